/**
 * A race that the community wins at once over a fake stream, in place of connect.js:
 * `vi.mock('../connection/connect.js', () => import('./testing/fake-stream-race.js'))`.
 */
import type { FakeClient } from '../../session/testing/fake-client.js';

let nextStream: FakeClient | null = null;

/** The stream the next race wins with. */
export function winNextRaceWith(client: FakeClient): void {
  nextStream = client;
}

export async function connectToCommunity() {
  const candidate = { endpoint: { transport: 'websocket', host: 'example.org', port: 443, path: '/ws', secure: true, source: 'default' }, route: { kind: 'direct' } };
  const winner = { attempt: 1, candidate, path: 'WebSocket wss://example.org:443/ws', excluded: false, outcome: 'won' };
  return { plan: {}, result: { connected: true, connection: { client: nextStream, secure: true, close: () => {} }, winner, attempts: [winner], elapsedMs: 1 } };
}
