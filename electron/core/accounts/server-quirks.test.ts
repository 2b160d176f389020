import { describe, expect, it } from 'vitest';

import { memoryStore } from '../connection/winners.js';
import { ServerQuirks, type LearntQuirks } from './server-quirks.js';

describe("a server's learnt quirks", () => {
  it('are learnt once per server and transition, whatever the case of the domain', () => {
    const quirks = new ServerQuirks(memoryStore<LearntQuirks>());
    expect(quirks.breaksResume('chat.lab.test', 'directtls→websocket')).toBe(false);
    expect(quirks.learnBrokenResume('Chat.Lab.Test', 'directtls→websocket')).toBe(true);
    expect(quirks.learnBrokenResume('chat.lab.test', 'directtls→websocket')).toBe(false);
    expect(quirks.breaksResume('chat.lab.test', 'directtls→websocket')).toBe(true);
    expect(quirks.breaksResume('chat.lab.test', 'websocket→directtls'), 'another transition is not assumed').toBe(false);
    expect(quirks.breaksResume('other.example', 'directtls→websocket'), 'another server is not assumed').toBe(false);
  });

  it('outlive a restart, in the store', () => {
    const store = memoryStore<LearntQuirks>();
    new ServerQuirks(store).learnBrokenResume('chat.lab.test', 'bosh→bosh');
    expect(new ServerQuirks(store).breaksResume('chat.lab.test', 'bosh→bosh')).toBe(true);
  });

  it('are forgotten after 30 days, so that an upgraded server gets its chance back', () => {
    const store = memoryStore<LearntQuirks>();
    new ServerQuirks(store, () => new Date('2026-11-01T00:00:00Z')).learnBrokenResume('chat.lab.test', 'bosh→bosh');
    expect(new ServerQuirks(store, () => new Date('2026-11-30T00:00:00Z')).breaksResume('chat.lab.test', 'bosh→bosh')).toBe(true);
    expect(new ServerQuirks(store, () => new Date('2026-12-02T00:00:00Z')).breaksResume('chat.lab.test', 'bosh→bosh')).toBe(false);
  });
});
