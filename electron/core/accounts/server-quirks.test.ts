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

  it('give a server never seen slow the least patience with a resume, and a slow one twice its slowest answer', () => {
    const quirks = new ServerQuirks(memoryStore<LearntQuirks>());
    const limits = { floorMs: 4_000, ceilingMs: 20_000 };
    expect(quirks.resumePatienceMs('chat.lab.test', limits)).toBe(4_000);
    quirks.resumeAnswered('chat.lab.test', 300);
    expect(quirks.resumePatienceMs('chat.lab.test', limits)).toBe(4_000);
    quirks.resumeAnswered('chat.lab.test', 3_500);
    quirks.resumeAnswered('chat.lab.test', 900);
    expect(quirks.resumePatienceMs('chat.lab.test', limits), 'the slowest answer counts').toBe(7_000);
    quirks.resumeAnswered('chat.lab.test', 15_000);
    expect(quirks.resumePatienceMs('chat.lab.test', limits), 'never past the race deadline').toBe(20_000);
    expect(quirks.resumePatienceMs('other.example', limits), 'another server is not assumed slow').toBe(4_000);
  });

  it('keep what was learnt of one kind when learning the other', () => {
    const quirks = new ServerQuirks(memoryStore<LearntQuirks>());
    quirks.learnBrokenResume('chat.lab.test', 'bosh→directtls');
    quirks.resumeAnswered('chat.lab.test', 6_000);
    quirks.learnBrokenResume('chat.lab.test', 'directtls→bosh');
    expect(quirks.breaksResume('chat.lab.test', 'bosh→directtls')).toBe(true);
    expect(quirks.resumePatienceMs('chat.lab.test', { floorMs: 4_000, ceilingMs: 20_000 })).toBe(12_000);
  });

  it('forget a slow answer after 30 days', () => {
    const store = memoryStore<LearntQuirks>();
    new ServerQuirks(store, () => new Date('2026-11-01T00:00:00Z')).resumeAnswered('chat.lab.test', 9_000);
    const limits = { floorMs: 4_000, ceilingMs: 20_000 };
    expect(new ServerQuirks(store, () => new Date('2026-11-30T00:00:00Z')).resumePatienceMs('chat.lab.test', limits)).toBe(18_000);
    expect(new ServerQuirks(store, () => new Date('2026-12-02T00:00:00Z')).resumePatienceMs('chat.lab.test', limits)).toBe(4_000);
  });

  it('are nothing, not a crash, when the file holds something else', () => {
    const store = memoryStore<LearntQuirks>();
    store.set('chat.lab.test', { brokenResumes: 'everything' } as unknown as LearntQuirks);
    const quirks = new ServerQuirks(store);
    expect(quirks.breaksResume('chat.lab.test', 'bosh→bosh')).toBe(false);
    expect(quirks.learnBrokenResume('chat.lab.test', 'bosh→bosh')).toBe(true);
    expect(quirks.breaksResume('chat.lab.test', 'bosh→bosh')).toBe(true);
  });
});
