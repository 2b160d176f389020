import { describe, expect, it } from 'vitest';
import { ServerMessage } from './wire.js';

describe('the browser-mode wire', () => {
  it('accepts the answer to a request that answers nothing, once JSON has dropped its undefined value', () => {
    const sent = JSON.parse(JSON.stringify({ type: 'result', id: 3, outcome: { ok: true, value: undefined } })) as unknown;
    expect(ServerMessage.safeParse(sent).success).toBe(true);
  });
});
