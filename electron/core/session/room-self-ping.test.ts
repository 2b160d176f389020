import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { StanzaError } from '../stream/iq-caller.js';
import { RoomSelfPing, selfPingVerdict, type RoomSelfPingOptions } from './room-self-ping.js';
import { parseXml, type Element } from './stanzas/xml.js';

const room = 'team@rooms.example.org';
const quietMs = 300_000;
const retryMs = 60_000;

const result = parseXml('<iq type="result"/>')!;
const refusal = (condition: string) =>
  StanzaError.from(parseXml(`<iq type="error"><error type="cancel"><${condition} xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>`)!);

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A watcher whose pings the test answers one by one. */
function watcher(options: Partial<RoomSelfPingOptions> = {}) {
  const pings: { room: string; answer: (outcome: Element | Error) => void }[] = [];
  const out = vi.fn<(room: string) => void>();
  let online = true;
  const selfPing = new RoomSelfPing({
    now: () => Date.now(),
    ping: (pinged) =>
      new Promise<Element>((resolve, reject) => pings.push({ room: pinged, answer: (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome)) })),
    online: () => online,
    out,
    quietMs,
    retryMs,
    ...options,
  });
  return { selfPing, pings, out, goOffline: () => (online = false), comeBack: () => (online = true) };
}

describe('XEP-0410 verdicts', () => {
  it('take a result, and the errors of an occupant the room has, as still in', () => {
    expect(selfPingVerdict({ answer: result })).toBe('in');
    for (const condition of ['service-unavailable', 'feature-not-implemented', 'item-not-found']) expect(selfPingVerdict({ error: refusal(condition) }), condition).toBe('in');
  });

  it('take not-acceptable, and any other error, as out', () => {
    expect(selfPingVerdict({ error: refusal('not-acceptable') })).toBe('out');
    expect(selfPingVerdict({ error: refusal('forbidden') })).toBe('out');
  });

  it('take no answer, or an unreachable server, as saying nothing', () => {
    expect(selfPingVerdict({ error: new Error('no answer to the ping request within 30000 ms') })).toBe('unreachable');
    expect(selfPingVerdict({ error: refusal('remote-server-not-found') })).toBe('unreachable');
    expect(selfPingVerdict({ error: refusal('remote-server-timeout') })).toBe('unreachable');
  });
});

describe('the room self-ping', () => {
  it('asks only once the room has been quiet for the whole quiet time, counted from what it last heard', async () => {
    const { selfPing, pings } = watcher();
    selfPing.watch(room);
    await vi.advanceTimersByTimeAsync(quietMs - 1_000);
    selfPing.heard(room);
    await vi.advanceTimersByTimeAsync(quietMs - 1_000);
    expect(pings).toEqual([]);

    await vi.advanceTimersByTimeAsync(1_000);
    expect(pings.map((ping) => ping.room)).toEqual([room]);
  });

  it('asks again a quiet time after the room answered, sooner after it could not be reached, and one ping at a time', async () => {
    const { selfPing, pings, out } = watcher();
    selfPing.watch(room);
    await vi.advanceTimersByTimeAsync(quietMs);
    selfPing.checkNow(room);
    expect(pings).toHaveLength(1);

    pings[0]!.answer(refusal('service-unavailable'));
    await vi.advanceTimersByTimeAsync(quietMs - 1);
    expect(pings).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(pings).toHaveLength(2);

    pings[1]!.answer(new Error('no answer'));
    await vi.advanceTimersByTimeAsync(retryMs);
    expect(pings).toHaveLength(3);
    expect(out).not.toHaveBeenCalled();
  });

  it('says the user is out when the room refuses the ping, and stops watching that room', async () => {
    const { selfPing, pings, out } = watcher();
    selfPing.watch(room);
    selfPing.checkAll();
    pings[0]!.answer(refusal('not-acceptable'));
    await vi.advanceTimersByTimeAsync(0);

    expect(out.mock.calls).toEqual([[room]]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('asks nothing while the stream is down, and asks every room once it is resumed', async () => {
    const { selfPing, pings, goOffline, comeBack } = watcher();
    selfPing.watch(room);
    selfPing.watch('other@rooms.example.org');
    goOffline();
    await vi.advanceTimersByTimeAsync(2 * quietMs);
    expect(pings).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);

    comeBack();
    selfPing.checkAll();
    expect(pings.map((ping) => ping.room)).toEqual([room, 'other@rooms.example.org']);
  });

  it('forgets a room left while its ping was out, leaving no timer behind', async () => {
    const { selfPing, pings, out } = watcher();
    selfPing.watch(room);
    selfPing.checkAll();
    selfPing.unwatch(room);
    pings[0]!.answer(refusal('not-acceptable'));
    await vi.advanceTimersByTimeAsync(0);

    expect(out).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});
