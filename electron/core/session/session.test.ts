import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { MAX_BODY_LENGTH } from '../../contract/contract.js';
import { ResumeUnansweredError } from '../stream/stream-management.js';
import type { HistoryDatabase } from './history-database.js';
import type { History } from './history.js';
import type { Session } from './session.js';
import type { SessionEvent } from './session.js';
import { FakeClient } from './testing/fake-client.js';
import { openSessionOverFolder } from './testing/session-over-folder.js';
import { burrowCapabilities, capsElement } from './stanzas/capabilities.js';
import { parseXml } from './stanzas/xml.js';
import type { Element } from './stanzas/xml.js';

const credentials = { username: 'alice', password: 'secret' };
/** The user's available presence, with Burrow's entity capabilities (XEP-0115). */
const ownPresence = `<presence>${capsElement(burrowCapabilities).toString()}</presence>`;
let folder: string;
const closing: (() => Promise<void>)[] = [];
/** The sessions of the test, latest last. */
let sessions: Session[] = [];
let runs = 0;
let previousDatabase: HistoryDatabase | undefined;

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'burrow-session-'));
  runs = 0;
  sessions = [];
});

afterEach(async () => {
  for (const close of closing.splice(0)) await close();
  // A disconnect handler may still be rewriting a journal; rm retries ENOTEMPTY until it is done.
  await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
});

/** The whole (short) conversation, oldest first. */
async function messagesOf(history: History, peer: string) {
  return (await history.page(peer, {}, 500)).messages;
}

/** A session over the data folder, as the app opens it on each start. */
async function openSession(
  options: { keepalive?: { intervalMs: number; timeoutMs: number }; now?: () => Date; archiveMaxPages?: number; archivePageSize?: number } = {},
) {
  const run = ++runs;
  let originIds = 0;
  const opened = await openSessionOverFolder(folder, closing, {
    newOriginId: () => `run${run}-origin${++originIds}`,
    // A new run is a new process: the last run's history is closed as a crash would close it.
    beforeHistoryOpens: () => previousDatabase?.close(),
    now: () => new Date('2026-11-22T12:00:00Z'),
    ...options,
  });
  previousDatabase = opened.database;
  const { session, outbox, history, events } = opened;
  sessions.push(session);
  return { session, outbox, history, events };
}

/** Waits until every session has recorded what it received, what was acknowledged and what went. */
const settle = async () => {
  for (const session of sessions) await session.settled();
};


/** A message goes out and the path stays silent: not suspect at 1.25 s, suspect by 1.75 s (on fake timers). */
async function sendThenStaySilent(session: Session, client: FakeClient, events: SessionEvent[]): Promise<void> {
  await session.send('bob@example.org', 'are you there?');
  // The stream layer asks for an ack right behind a stanza.
  client.requestAck();
  vi.advanceTimersByTime(1_250);
  expect(session.pathSuspect).toBe(false);
  vi.advanceTimersByTime(500);
  expect(events).toContainEqual({ type: 'suspect' });
}

describe('a fresh session', () => {
  it('sends its initial presence in the flight that asks for the roster, and passes on the presences that come first once the roster is in', async () => {
    const { session, events } = await openSession();
    const client = new FakeClient();
    client.answersRosterLater = true;

    const attached = session.attach(client, credentials);
    await vi.waitFor(() => expect(client.sentText()).toContain(ownPresence));
    client.deliver('<presence from="bob@example.org/phone"><show>away</show></presence>');
    await settle();
    expect(events.filter((event) => event.type === 'presence' || event.type === 'roster')).toEqual([]);

    client.answerRoster();
    expect(await attached).toBe('fresh');
    expect(events.filter((event) => event.type === 'presence' || event.type === 'roster').map((event) => event.type)).toEqual(['roster', 'presence']);
    expect(events).toContainEqual(expect.objectContaining({ type: 'presence', from: 'bob@example.org/phone', availability: 'away' }));
  });

  it('asks for the roster and carbons in one flight, and says it is online once it has the roster', async () => {
    const { session, events } = await openSession();
    const client = new FakeClient();

    expect(await session.attach(client, credentials)).toBe('fresh');
    await session.settled();

    expect(client.requests.map((iq) => iq.getChildElements()[0]?.toString()).slice(0, 2)).toEqual([
      '<enable xmlns="urn:xmpp:carbons:2"/>',
      '<query xmlns="jabber:iq:roster"/>',
    ]);
    expect(client.sentText()).toEqual([ownPresence]);
    expect(session.rosterItems()).toMatchObject([{ jid: 'bob@example.org', name: 'Bob' }]);
    expect(events).toContainEqual({ type: 'status', status: 'online' });
  });

  it('sends the roster request, carbons, the initial presence and the archive query in one flight behind <enable/>, and messages only once the server has answered it', async () => {
    const { session } = await openSession();
    await session.send('bob@example.org', 'waiting in the outbox');
    const client = new FakeClient();
    client.answersEnableLater = true;

    const attached = session.attach(client, credentials);
    await vi.waitFor(() => expect(client.requests.some((iq) => iq.getChild('query', 'urn:xmpp:mam:2'))).toBe(true));
    expect(client.requests.some((iq) => iq.getChild('query', 'jabber:iq:roster'))).toBe(true);
    expect(client.requests.some((iq) => iq.getChild('enable', 'urn:xmpp:carbons:2'))).toBe(true);
    expect(client.sentText()).toEqual([ownPresence]);

    client.answerEnable();
    await attached;
    expect(client.sent.filter((stanza) => stanza.is('message')).map((stanza) => stanza.getChildText('body'))).toEqual(['waiting in the outbox']);
  });

  it("asks the archive, on the account's first stream here, only for what came since it began: the server then leaves what a dropped stream missed to the archive instead of bouncing it", async () => {
    const { session } = await openSession({ now: () => new Date('2026-11-22T12:00:00.250Z') });
    const client = new FakeClient();
    await session.attach(client, credentials);
    await session.settled();

    const archiveQueries = client.requests.filter((iq) => iq.getChild('query', 'urn:xmpp:mam:2'));
    expect(archiveQueries).toHaveLength(1);
    const start = archiveQueries[0]!.getChild('query')!.getChild('x')!.getChildren('field').find((field) => field.attrs.var === 'start')?.getChildText('value');
    expect(start).toBe('2026-11-22T12:00:00.250Z');
  });

  it('sends again, with the same origin-ids and in order, what the last run stored but the server never acknowledged', async () => {
    const before = await openSession();
    await before.session.send('bob@example.org', 'one');
    await before.session.send('Bob@example.org/phone', 'two');

    // The crash: a new run over the same folder.
    const after = await openSession();
    const client = new FakeClient();
    await after.session.attach(client, credentials);

    expect(client.sentMessages()).toEqual([
      { to: 'bob@example.org', body: 'one', originId: 'run1-origin1' },
      { to: 'bob@example.org', body: 'two', originId: 'run1-origin2' },
    ]);
    expect(await messagesOf(after.history, 'bob@example.org')).toMatchObject([
      { id: 'run1-origin1', state: 'queued' },
      { id: 'run1-origin2', state: 'queued' },
    ]);
  });
});

describe('sending', () => {
  it('keeps a message in the outbox until the server acknowledges it, then shows it sent, then delivered', async () => {
    const { session, outbox, history, events } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);

    const message = await session.send('bob@example.org', 'hello');
    expect(outbox.unacknowledged()).toMatchObject([{ originId: message.id, state: 'sent' }]);

    client.acknowledge(2);
    await settle();
    expect(outbox.list()).toEqual([]);
    expect(events).toContainEqual({ type: 'message-state', message: expect.objectContaining({ peer: 'bob@example.org', id: message.id, state: 'sent' }) });

    client.deliver(`<message from="bob@example.org/phone"><received xmlns="urn:xmpp:receipts" id="${message.id}"/></message>`);
    await settle();
    expect(await messagesOf(history, 'bob@example.org')).toMatchObject([{ id: message.id, state: 'delivered' }]);
  });

  it('records a run of stanzas one acknowledgement covers with one write to the outbox, and shows each sent', async () => {
    const { session, outbox, events } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);
    const sent = [];
    for (let i = 0; i < 5; i++) sent.push(await session.send('bob@example.org', `run ${i}`));
    const outboxWrites = vi.spyOn(outbox, 'markAcked');

    client.acknowledge(client.unacknowledged().length);
    await settle();

    expect(outboxWrites).toHaveBeenCalledTimes(1);
    expect(outbox.list()).toEqual([]);
    expect(events.filter((event) => event.type === 'message-state').map((event) => event.type === 'message-state' && event.message.id)).toEqual(sent.map((message) => message.id));
  });

  it('keeps at most 100 stanzas in flight: the rest wait in the outbox, in order, for the server to acknowledge', async () => {
    const { session } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);
    const sent = [];
    for (let i = 0; i < 150; i++) sent.push(await session.send('bob@example.org', `burst ${i}`));
    expect(client.unacknowledged()).toHaveLength(100);

    client.acknowledge(30);
    await settle();
    expect(client.unacknowledged()).toHaveLength(100);
    client.acknowledge(100);
    await settle();
    expect(client.sentMessages().map((message) => message.originId)).toEqual(sent.map((message) => message.id));
  });

  it('stores a message written while offline and sends it once a stream is up', async () => {
    const { session } = await openSession();
    await session.send('bob@example.org', 'later');
    const client = new FakeClient();
    await session.attach(client, credentials);
    expect(client.sentMessages()).toMatchObject([{ body: 'later' }]);
  });

  it('keeps the order when a message is written while the stream is still being set up', async () => {
    const { session } = await openSession();
    await session.send('bob@example.org', 'written offline');
    const client = new FakeClient();
    client.answersRosterLater = true;

    const attached = session.attach(client, credentials);
    await settle();
    await session.send('bob@example.org', 'written while signing in');
    client.answerRoster();
    await attached;

    expect(client.sentMessages().map((sent) => sent.body)).toEqual(['written offline', 'written while signing in']);
  });

  it("holds a message that comes before the roster's answer until the roster is in, so that a contact's is known as one", async () => {
    const { session, history, events } = await openSession();
    const client = new FakeClient();
    client.answersRosterLater = true;

    const attached = session.attach(client, credentials);
    await vi.waitFor(() => expect(client.sentText()).toEqual([ownPresence]));
    client.deliver('<message from="bob@example.org/phone" type="chat" id="early"><body>sent while you were away</body></message>');
    // Nothing to wait for: the message is held (settled() itself would wait for the roster).
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await messagesOf(history, 'bob@example.org')).toEqual([]);

    client.answerRoster();
    await attached;
    await session.settled();
    expect((await messagesOf(history, 'bob@example.org')).map((message) => message.body)).toEqual(['sent while you were away']);
    const kinds = events.map((event) => event.type);
    expect(kinds.indexOf('roster')).toBeLessThan(kinds.indexOf('message'));
  });

  it('sends a message once more after a bounce that may pass, fails it on the second, and a retry sends it again with the same origin-id', async () => {
    const { session, history } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);
    const message = await session.send('bob@example.org', 'hello');
    const bounce = `<message from="bob@example.org" type="error" id="${message.id}"><error type="cancel"><service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></message>`;

    client.deliver(bounce);
    await settle();
    expect(client.sentMessages().map((sent) => sent.originId)).toEqual([message.id, message.id]);
    client.deliver(bounce);
    await settle();
    expect(await messagesOf(history, 'bob@example.org')).toMatchObject([{ state: 'failed' }]);

    await session.retry('bob@example.org', message.id);
    expect(client.sentMessages().map((sent) => sent.originId)).toEqual([message.id, message.id, message.id]);
    expect(await messagesOf(history, 'bob@example.org')).toMatchObject([{ state: 'queued' }]);
  });

  it('fails at once a message bounced for good', async () => {
    const { session, history } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);
    const message = await session.send('nobody@example.org', 'hello?');
    client.deliver(
      `<message from="nobody@example.org" type="error" id="${message.id}"><error type="cancel"><item-not-found xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></message>`,
    );
    await settle();
    expect(client.sentMessages()).toHaveLength(1);
    expect(await messagesOf(history, 'nobody@example.org')).toMatchObject([{ state: 'failed' }]);
  });

  it('sends again, from the history, a message the server had acknowledged and then bounced because the recipient’s session went away', async () => {
    const { session, outbox } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);
    const message = await session.send('bob@example.org', 'taken, then bounced');
    client.acknowledge(client.unacknowledged().length);
    await settle();
    expect(outbox.get(message.id)).toBeUndefined();

    client.deliver(
      `<message from="bob@example.org" type="error" id="${message.id}"><error type="cancel"><service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/><text xmlns="urn:ietf:params:xml:ns:xmpp-stanzas">User session terminated</text></error></message>`,
    );
    await settle();
    expect(client.sentMessages().map((sent) => [sent.originId, sent.body])).toEqual([
      [message.id, 'taken, then bounced'],
      [message.id, 'taken, then bounced'],
    ]);
  });
});

describe('a transport switch', () => {
  it('resumes the stream on the new connection, which re-sends only what was unacknowledged', async () => {
    const { session, outbox, events } = await openSession();
    const first = new FakeClient();
    await session.attach(first, credentials);
    const acknowledged = await session.send('bob@example.org', 'acknowledged');
    const inFlight = await session.send('bob@example.org', 'in flight');
    first.acknowledge(2);
    await settle();
    first.connectionLost = true;
    first.disconnect();
    const written = await session.send('bob@example.org', 'written while the path was down');

    const second = new FakeClient('resumed');
    expect(await session.attach(second, credentials)).toBe('resumed');

    expect(second.resumeAsked).toMatchObject({ id: 'stream-2', jid: 'alice@example.org/fresh' });
    expect(second.unacknowledged().map((stanza) => stanza.attrs.id)).toEqual([inFlight.id, written.id]);
    expect(second.sentMessages().map((message) => message.originId)).toEqual([written.id]);
    expect(outbox.get(acknowledged.id)).toBeUndefined();
    expect(events.filter((event) => event.type === 'status').map((event) => event.type === 'status' && event.status)).toEqual([
      'online',
      'offline',
      'resumed',
    ]);
  });

  it('keeps a new stream held until it is set up, though the resumed stream before it finishes releasing late (its acknowledgements were slow to record)', async () => {
    const { session, outbox } = await openSession();
    const first = new FakeClient();
    await session.attach(first, credentials);
    const a = await session.send('bob@example.org', 'a');
    const b = await session.send('bob@example.org', 'b');
    let recordAcks = () => {};
    const acksRecorded = new Promise<void>((resolve) => (recordAcks = resolve));
    const markAcked = outbox.markAcked.bind(outbox);
    vi.spyOn(outbox, 'markAcked').mockImplementation(async (...ids) => {
      await acksRecorded;
      return markAcked(...ids);
    });
    // Everything up to a (the initial presence too).
    first.acknowledge(first.unacknowledged().length - 1);
    first.disconnect();
    const resumed = new FakeClient('resumed');
    const resuming = session.attach(resumed, credentials);
    resumed.disconnect();
    const c = await session.send('bob@example.org', 'c');

    const fresh = new FakeClient('fresh');
    let answerRoster = () => {};
    const rosterAnswered = new Promise<void>((resolve) => (answerRoster = resolve));
    const respond = fresh.respond;
    fresh.respond = async (iq) => {
      await rosterAnswered;
      return respond(iq);
    };
    const freshening = session.attach(fresh, credentials);
    await vi.waitFor(() => expect(fresh.requests).not.toEqual([]));
    recordAcks();
    await resuming;
    expect(fresh.sentMessages()).toEqual([]);

    answerRoster();
    await freshening;
    expect(fresh.sentMessages().map((message) => message.originId)).toEqual([b.id, c.id]);
    expect(outbox.get(a.id)).toBeUndefined();
  });

  it('after a failed resume sends every unacknowledged message again with its origin-id, in order', async () => {
    const { session } = await openSession();
    const first = new FakeClient();
    await session.attach(first, credentials);
    const sent = [await session.send('bob@example.org', 'a'), await session.send('bob@example.org', 'b')];
    first.disconnect();

    const second = new FakeClient('fresh');
    await session.attach(second, credentials);

    expect(second.sentMessages().map((message) => message.originId)).toEqual(sent.map((message) => message.id));
  });

  describe('when the server ended the stream and then no longer had it (it restarted)', () => {
    /**
     * Alice sends `bodies` to bob; the server acknowledges them all; bob confirms those in
     * `confirmed`; seconds later the connection ends: the server ends it, or Burrow drops it (a silent path).
     */
    async function acknowledgedThenLost(bodies: string[], confirmed: string[], now: () => Date, endedBy: 'server' | 'burrow' = 'server') {
      let later = 0;
      const opened = await openSession({ now: () => new Date(now().getTime() + later) });
      const first = new FakeClient();
      await opened.session.attach(first, credentials);
      const sent = [];
      for (const body of bodies) sent.push(await opened.session.send('bob@example.org', body));
      first.acknowledge(first.unacknowledged().length);
      for (const message of sent.filter((each) => confirmed.includes(each.body))) {
        first.deliver(`<message from="bob@example.org/phone"><received xmlns="urn:xmpp:receipts" id="${message.id}"/></message>`);
      }
      await settle();
      later = 2_000;
      if (endedBy === 'server') first.disconnect();
      else first.drop();
      return { ...opened, sent };
    }
    const noon = () => new Date('2026-11-22T12:00:00Z');

    it('sends again, in order and ahead of newer ones, what it acknowledged lately and a peer that confirms receipt has not confirmed', async () => {
      const { session, sent } = await acknowledgedThenLost(['a', 'b', 'c'], ['a'], noon);
      const queued = await session.send('bob@example.org', 'typed while away');
      const second = new FakeClient('fresh');
      await session.attach(second, credentials);
      expect(second.resumeAsked).not.toBeNull();
      expect(second.sentMessages().map((message) => message.originId)).toEqual([sent[1]!.id, sent[2]!.id, queued.id]);
    });

    it('sends again what the server took before a message the peer confirmed, whose own receipt never came: a server may deliver the newer one to a new session while the older wait in the old one', async () => {
      const { session, sent } = await acknowledgedThenLost(['a', 'b', 'c'], ['b'], noon);
      const second = new FakeClient('fresh');
      await session.attach(second, credentials);
      expect(second.sentMessages().map((message) => message.originId)).toEqual([sent[0]!.id, sent[2]!.id]);
    });

    it('counts a receipt that came before the server acknowledged its message (a fast peer)', async () => {
      let now = noon();
      const opened = await openSession({ now: () => now });
      const first = new FakeClient();
      await opened.session.attach(first, credentials);
      const a = await opened.session.send('bob@example.org', 'a');
      const b = await opened.session.send('bob@example.org', 'b');
      const c = await opened.session.send('bob@example.org', 'c');
      first.deliver(`<message from="bob@example.org/phone"><received xmlns="urn:xmpp:receipts" id="${b.id}"/></message>`);
      await settle();
      first.acknowledge(first.unacknowledged().length);
      await settle();
      now = new Date('2026-11-22T12:00:02Z');
      first.disconnect();
      const second = new FakeClient('fresh');
      await opened.session.attach(second, credentials);
      expect(second.sentMessages().map((message) => message.originId)).toEqual([a.id, c.id]);
    });

    it('sends nothing again to a peer that never confirms receipt', async () => {
      const { session } = await acknowledgedThenLost(['a', 'b'], [], noon);
      const second = new FakeClient('fresh');
      await session.attach(second, credentials);
      expect(second.sentMessages()).toEqual([]);
    });

    it('sends nothing again that the server acknowledged more than two minutes ago', async () => {
      let now = noon();
      const { session } = await acknowledgedThenLost(['a', 'b'], ['a'], () => now);
      now = new Date('2026-11-22T12:02:01Z');
      const second = new FakeClient('fresh');
      await session.attach(second, credentials);
      expect(second.sentMessages()).toEqual([]);
    });

    it('sends nothing again when the stream was resumed: the server kept it', async () => {
      const { session } = await acknowledgedThenLost(['a', 'b'], ['a'], noon);
      const second = new FakeClient('resumed');
      await session.attach(second, credentials);
      expect(second.sentMessages()).toEqual([]);
    });

    it('sends nothing again when the server closed a stream just after taking it back (Prosody 0.12 over WebSocket): it had lost nothing', async () => {
      const { session } = await acknowledgedThenLost(['a', 'b'], ['a'], noon, 'burrow');
      const resumed = new FakeClient('resumed');
      await session.attach(resumed, credentials);
      resumed.disconnect();
      const fresh = new FakeClient('fresh');
      await session.attach(fresh, credentials);
      expect(fresh.sentMessages()).toEqual([]);
    });

    it('sends nothing again when it was Burrow that dropped the last connection (a silent path): the server did not go away', async () => {
      const { session } = await acknowledgedThenLost(['a', 'b'], ['a'], noon, 'burrow');
      const second = new FakeClient('fresh');
      await session.attach(second, credentials);
      expect(second.sentMessages()).toEqual([]);
    });
  });

  it('resumes again a resumed stream that went away before the server acknowledged anything on it: the account learns which resumes a server breaks', async () => {
    const { session, resumed } = await resumedSession();
    expect(session.resumedUnproven).toBe(true);
    resumed.disconnect();
    const next = new FakeClient('resumed');
    await session.attach(next, credentials);
    expect(next.resumeAsked?.id).toBe('stream-2');
  });

  it('counts a resumed stream that the server sent over and kept up a second as working, though it has acknowledged nothing yet (a busy ejabberd)', async () => {
    let now = new Date('2026-11-22T12:00:00Z');
    const { session, resumed } = await resumedSession({ now: () => now });
    resumed.deliver('<message from="bob@example.org/phone" type="chat"><body>re-sent from the queue</body><delay xmlns="urn:xmpp:delay" stamp="2026-11-22T11:59:00Z">Resent</delay></message>');
    await settle();
    expect(session.resumedUnproven).toBe(true);
    now = new Date('2026-11-22T12:00:02Z');
    expect(session.resumedUnproven).toBe(false);
  });

  it('finds, on taking a resumed stream back again, that the server read nothing sent on it when its count has not moved (Prosody 0.12, a BOSH stream taken over by TCP)', async () => {
    let now = new Date('2026-11-22T12:00:00Z');
    const { session, resumed } = await resumedSession({ now: () => now });
    await session.send('bob@example.org', 'never read');
    now = new Date('2026-11-22T12:00:05Z');
    resumed.disconnect();
    const again = new FakeClient('resumed');
    expect(await session.attach(again, credentials)).toBe('resumed');
    expect(session.resumedStreamReadNothing).toBe(true);
  });

  it('does not find a resumed stream unread once the server acknowledged on it, nor one cut within a second of its resume', async () => {
    let now = new Date('2026-11-22T12:00:00Z');
    const read = await resumedSession({ now: () => now });
    await read.session.send('bob@example.org', 'read');
    read.resumed.acknowledge(1);
    now = new Date('2026-11-22T12:00:05Z');
    read.resumed.disconnect();
    await read.session.attach(new FakeClient('resumed'), credentials);
    expect(read.session.resumedStreamReadNothing).toBe(false);

    const cut = await resumedSession();
    await cut.session.send('bob@example.org', 'not read yet');
    cut.resumed.disconnect();
    await cut.session.attach(new FakeClient('resumed'), credentials);
    expect(cut.session.resumedStreamReadNothing).toBe(false);
  });

  it('counts a resumed stream the server sent nothing over as unproven however long it stayed (Prosody 0.12 leaves a BOSH stream taken over by TCP silent)', async () => {
    let now = new Date('2026-11-22T12:00:00Z');
    const { session } = await resumedSession({ now: () => now });
    now = new Date('2026-11-22T12:00:10Z');
    expect(session.resumedUnproven).toBe(true);
  });

  it('reports a sign-in that fails', async () => {
    const { session } = await openSession();
    await expect(session.attach(new FakeClient({ fails: 'not-authorized' }), credentials)).rejects.toThrow('not-authorized');
  });

  it('still resumes the stream after a connection that failed before taking it over', async () => {
    const { session } = await openSession();
    const first = new FakeClient();
    await session.attach(first, credentials);
    first.disconnect();
    await expect(session.attach(new FakeClient({ fails: 'the connection was lost' }), credentials)).rejects.toThrow();

    const third = new FakeClient('resumed');
    expect(await session.attach(third, credentials)).toBe('resumed');
    expect(third.resumeAsked?.id).toBe('stream-2');
  });

  it('signs out by closing the stream, which the next connection then does not try to resume', async () => {
    const { session, events } = await openSession();
    const first = new FakeClient();
    await session.attach(first, credentials);
    await session.signOut();
    expect(first.stopped).toBe(true);
    expect(events).toContainEqual({ type: 'status', status: 'offline' });

    const second = new FakeClient();
    await session.attach(second, credentials);
    expect(second.resumeAsked).toBeNull();
  });

  it('starts afresh after a server left the request to resume unanswered', async () => {
    const { session } = await openSession();
    const first = new FakeClient();
    await session.attach(first, credentials);
    first.disconnect();
    await expect(session.attach(new FakeClient({ fails: new ResumeUnansweredError(20_000) }), credentials)).rejects.toThrow(ResumeUnansweredError);

    const third = new FakeClient('fresh');
    await session.attach(third, credentials);
    expect(third.resumeAsked).toBeNull();
  });
});

describe('receiving', () => {
  const fromBob = (originId: string, stanzaId: string) =>
    `<message from="bob@example.org/phone" to="alice@example.org/fresh" type="chat" id="m-${originId}"><body>hi</body>
       <origin-id xmlns="urn:xmpp:sid:0" id="${originId}"/><stanza-id xmlns="urn:xmpp:sid:0" by="alice@example.org" id="${stanzaId}"/>
       <request xmlns="urn:xmpp:receipts"/></message>`;

  it('keeps a message once however often it comes, and confirms every copy', async () => {
    const { session, history, events } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);

    client.deliver(fromBob('o-1', 's-1'));
    client.deliver(fromBob('o-1', 's-2'));
    await settle();

    expect(await messagesOf(history, 'bob@example.org')).toMatchObject([{ direction: 'in', body: 'hi', originId: 'o-1', stanzaId: 's-1' }]);
    expect(events.filter((event) => event.type === 'message')).toHaveLength(1);
    expect(client.sentText().filter((text) => text.includes('urn:xmpp:receipts'))).toEqual([
      '<message to="bob@example.org/phone"><received xmlns="urn:xmpp:receipts" id="m-o-1"/><store xmlns="urn:xmpp:hints"/></message>',
      '<message to="bob@example.org/phone"><received xmlns="urn:xmpp:receipts" id="m-o-1"/><store xmlns="urn:xmpp:hints"/></message>',
    ]);
  });

  it('confirms a message only once it is on disk, and handles the next without waiting for the disk', async () => {
    const { session, history } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);
    let diskSynced!: () => void;
    vi.spyOn(history, 'committed').mockReturnValue(new Promise<void>((resolve) => (diskSynced = resolve)));
    const receipts = () => client.sentText().filter((text) => text.includes('urn:xmpp:receipts'));

    client.deliver(fromBob('o-1', 's-1'));
    client.deliver(fromBob('o-2', 's-2'));
    await vi.waitFor(async () => expect(await messagesOf(history, 'bob@example.org')).toMatchObject([{ originId: 'o-1' }, { originId: 'o-2' }]));
    expect(receipts()).toEqual([]);

    diskSynced();
    await settle();
    expect(receipts()).toEqual([
      '<message to="bob@example.org/phone"><received xmlns="urn:xmpp:receipts" id="m-o-1"/><store xmlns="urn:xmpp:hints"/></message>',
      '<message to="bob@example.org/phone"><received xmlns="urn:xmpp:receipts" id="m-o-2"/><store xmlns="urn:xmpp:hints"/></message>',
    ]);
  });

  it('orders a message the server held back by its arrival, and keeps when it was sent', async () => {
    const { session, history } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);

    client.deliver(
      '<message from="bob@example.org/phone" type="chat"><body>while you were away</body><delay xmlns="urn:xmpp:delay" stamp="2026-11-22T08:00:00Z"/></message>',
    );
    await settle();

    expect(await messagesOf(history, 'bob@example.org')).toMatchObject([{ at: '2026-11-22T12:00:00.000Z', sentAt: '2026-11-22T08:00:00.000Z' }]);
  });

  it('puts what the server held for the user before the undelayed messages that overtook it as the stream began, and a later delayed one where it arrives', async () => {
    let now = new Date('2026-11-22T12:00:00Z');
    const { session, history } = await openSession({ now: () => now });
    const client = new FakeClient();
    await session.attach(client, credentials);
    const fromBob = (body: string, delay = '') => `<message from="bob@example.org/phone" type="chat"><body>${body}</body>${delay}</message>`;
    const heldSince = (stamp: string) => `<delay xmlns="urn:xmpp:delay" from="example.org" stamp="${stamp}">Offline storage</delay>`;

    now = new Date('2026-11-22T12:00:01Z');
    client.deliver(fromBob('sent just now'));
    await settle();
    now = new Date('2026-11-22T12:00:02Z');
    client.deliver(fromBob('held 1', heldSince('2026-11-22T11:59:00Z')));
    client.deliver(fromBob('held 2', heldSince('2026-11-22T11:59:30Z')));
    await settle();
    now = new Date('2026-11-22T12:00:30Z');
    client.deliver(fromBob('delayed on its way', heldSince('2026-11-22T12:00:20Z')));
    await settle();

    expect((await messagesOf(history, 'bob@example.org')).map((message) => message.body)).toEqual(['held 1', 'held 2', 'sent just now', 'delayed on its way']);
  });

  it('records what the user wrote on another device, and refuses a forged carbon', async () => {
    const { session, history, events } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);
    const carbon = (from: string) =>
      `<message from="${from}"><sent xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0">
         <message from="alice@example.org/phone" to="bob@example.org" type="chat"><body>from my phone</body></message></forwarded></sent></message>`;

    client.deliver(carbon('alice@example.org'));
    client.deliver(carbon('mallory@example.org'));
    await settle();

    expect(await messagesOf(history, 'bob@example.org')).toMatchObject([{ direction: 'out', body: 'from my phone', state: 'sent' }]);
    expect(events).toContainEqual({ type: 'ignored', reason: expect.stringContaining('possibly forged') });
  });

  it('takes a receipt the peer sent to another of the user’s devices, or that the archive kept while away, as delivery', async () => {
    const { session, history } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);
    const sent = await session.send('bob@example.org', 'hello');
    client.acknowledge(client.unacknowledged().length);
    await settle();

    client.deliver(`<message from="alice@example.org"><received xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0">
         <message from="bob@example.org/phone" to="alice@example.org/tablet"><received xmlns="urn:xmpp:receipts" id="${sent.id}"/></message></forwarded></received></message>`);
    await settle();

    expect(await messagesOf(history, 'bob@example.org')).toMatchObject([{ id: sent.id, state: 'delivered' }]);
  });

  it('refuses a message longer than Burrow would send, live or carbon-copied, with a notice, and keeps none of it', async () => {
    const { session, history, events } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);
    const tooLong = 'x'.repeat(MAX_BODY_LENGTH + 1);
    client.deliver(`<message from="bob@example.org/phone" type="chat" id="m-1"><body>${tooLong}</body><request xmlns="urn:xmpp:receipts"/></message>`);
    client.deliver(`<message from="alice@example.org"><received xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0">
       <message from="bob@example.org/phone" to="alice@example.org/phone" type="chat"><body>${tooLong}</body></message></forwarded></received></message>`);
    client.deliver('<message from="bob@example.org/phone" type="chat"><body>short</body></message>');
    await settle();

    expect((await messagesOf(history, 'bob@example.org')).map((message) => message.body)).toEqual(['short']);
    const notice = { type: 'ignored', reason: 'a message from bob@example.org/phone of 10,001 characters, over the 10,000 Burrow takes' };
    expect(events.filter((event) => event.type === 'ignored' && event.reason.includes('10,001'))).toEqual([notice, notice]);
  });

  it('applies roster pushes from the user’s own account and answers them', async () => {
    const { session, events } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);

    client.deliver('<iq type="set" id="push-1"><query xmlns="jabber:iq:roster"><item jid="bob@example.org" subscription="remove"/></query></iq>');
    client.deliver('<iq type="set" id="push-2" from="mallory@example.org"><query xmlns="jabber:iq:roster"><item jid="m@example.org"/></query></iq>');
    await settle();

    expect(session.rosterItems()).toEqual([]);
    expect(events).toContainEqual({ type: 'roster', items: [] });
    expect(client.sentText().slice(1)).toEqual(['<iq type="result" id="push-1"/>']);
  });

  it('answers an iq it does not serve with service-unavailable', async () => {
    const { session } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);

    client.deliver('<iq type="get" id="v1" from="example.org"><query xmlns="jabber:iq:version"/></iq>');
    client.deliver('<iq type="get" id="p1" from="example.org"><ping xmlns="urn:xmpp:ping"/></iq>');
    await settle();

    expect(client.sentText().slice(1)).toEqual([
      '<iq type="error" id="v1" to="example.org"><error type="cancel"><service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>',
      '<iq type="result" id="p1" to="example.org"/>',
    ]);
  });

  it('answers disco#info with what Burrow does, and item-not-found for a node it does not have', async () => {
    const { session } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);

    const ver = capsElement(burrowCapabilities).attrs.ver as string;
    client.deliver(`<iq type="get" id="d1" from="bob@example.org/phone"><query xmlns="http://jabber.org/protocol/disco#info" node="https://burrow.org/messenger#${ver}"/></iq>`);
    client.deliver('<iq type="get" id="d2" from="bob@example.org/phone"><query xmlns="http://jabber.org/protocol/disco#info" node="elsewhere"/></iq>');
    await settle();

    const [answer, refusal] = client.sent.slice(1);
    expect(answer?.attrs).toMatchObject({ type: 'result', id: 'd1', to: 'bob@example.org/phone' });
    expect(answer?.getChild('query')?.getChildren('feature').map((feature) => feature.attrs.var)).toContain('urn:xmpp:avatar:metadata+notify');
    expect(refusal?.toString()).toBe(
      '<iq type="error" id="d2" to="bob@example.org/phone"><error type="cancel"><item-not-found xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>',
    );
  });

  it('tells its presence again when someone accepts to be seen, so that their server learns its caps', async () => {
    const { session } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);

    client.deliver('<presence from="carol@example.org" type="subscribed"/>');
    await settle();

    await vi.waitFor(() => expect(client.sentText()).toEqual([ownPresence, ownPresence]));
  });

  it('passes presence and subscription requests on', async () => {
    const { session, events } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);

    client.deliver('<presence from="bob@example.org/phone"><show>dnd</show><status>meeting</status></presence>');
    client.deliver('<presence from="carol@example.org" type="subscribe"/>');
    await settle();

    expect(events).toContainEqual({ type: 'presence', from: 'bob@example.org/phone', availability: 'dnd', status: 'meeting' });
    expect(events).toContainEqual({ type: 'subscription', from: 'carol@example.org', request: 'subscribe' });
  });
});

describe('corrections (XEP-0308)', () => {
  const replaceOf = (text: string) => /<replace xmlns="urn:xmpp:message-correct:0" id="([^"]+)"\/>/.exec(text)?.[1];
  const fromBob = (id: string, body: string, replaces?: string) =>
    `<message from="bob@example.org/phone" to="alice@example.org/fresh" type="chat" id="${id}"><body>${body}</body>${
      replaces ? `<replace xmlns="urn:xmpp:message-correct:0" id="${replaces}"/>` : ''
    }</message>`;

  /** A session whose server has acknowledged the user's message `body` to bob. */
  async function sentAndAcknowledged(body: string) {
    const opened = await openSession();
    const client = new FakeClient();
    await opened.session.attach(client, credentials);
    const original = await opened.session.send('bob@example.org', body);
    client.acknowledge(client.unacknowledged().length);
    await settle();
    return { ...opened, client, original };
  }

  it('sends a correction of the user’s own message through the outbox, naming the id it was sent with, and shows the new text at once', async () => {
    const { session, outbox, history, events, client, original } = await sentAndAcknowledged('see you at 6');

    const corrected = await session.correct('bob@example.org', original.id, 'see you at 7');
    expect(corrected).toMatchObject({ id: original.id, body: 'see you at 7', edited: true });
    expect(events.at(-1)).toEqual({ type: 'message', message: corrected });
    const sent = client.sentText().filter((text) => text.includes('see you at 7'));
    expect(sent).toHaveLength(1);
    expect(replaceOf(sent[0]!)).toBe(original.id);
    expect(outbox.unacknowledged()).toMatchObject([{ body: 'see you at 7', replaces: original.id }]);

    client.acknowledge(client.unacknowledged().length);
    await settle();
    expect(outbox.list()).toEqual([]);
    expect(await messagesOf(history, 'bob@example.org')).toMatchObject([{ id: original.id, body: 'see you at 7', edited: true, state: 'sent' }]);
  });

  it('marks the message when its correction bounces — once more after a bounce that may pass — and clears the mark with the next correction', async () => {
    const { session, outbox, history, events, client, original } = await sentAndAcknowledged('see you at 6');
    await session.correct('bob@example.org', original.id, 'see you at 7');
    client.acknowledge(client.unacknowledged().length);
    await settle();
    const correctionId = client.sentMessages().at(-1)!.originId;
    const bounce = `<message from="bob@example.org" type="error" id="${correctionId}"><error type="cancel"><service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></message>`;

    client.deliver(bounce);
    await settle();
    expect(client.sentMessages().map((sent) => [sent.originId, sent.body])).toEqual([
      [original.id, 'see you at 6'],
      [correctionId, 'see you at 7'],
      [correctionId, 'see you at 7'],
    ]);
    expect((await messagesOf(history, 'bob@example.org'))[0]).not.toHaveProperty('correctionFailure');

    client.deliver(bounce);
    await settle();
    const marked = { id: original.id, body: 'see you at 7', edited: true, state: 'sent', correctionFailure: 'service-unavailable' };
    expect(await messagesOf(history, 'bob@example.org')).toMatchObject([marked]);
    expect(events.at(-1)).toMatchObject({ type: 'message', message: marked });
    expect(outbox.list()).toEqual([]);

    const again = await session.correct('bob@example.org', original.id, 'see you at 8');
    expect(again).not.toHaveProperty('correctionFailure');
  });

  it('leaves the message unmarked when a correction bounces after a later one changed its text', async () => {
    const { session, history } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);
    const original = await session.send('bob@example.org', 'see you at 6');
    await session.correct('bob@example.org', original.id, 'see you at 7');
    const firstCorrection = client.sentMessages().at(-1)!.originId;
    await session.correct('bob@example.org', original.id, 'see you at 8');

    client.deliver(
      `<message from="bob@example.org" type="error" id="${firstCorrection}"><error type="cancel"><forbidden xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></message>`,
    );
    await settle();
    expect(await messagesOf(history, 'bob@example.org')).toEqual([expect.objectContaining({ body: 'see you at 8', edited: true })]);
    expect((await messagesOf(history, 'bob@example.org'))[0]).not.toHaveProperty('correctionFailure');
  });

  it('keeps a correction made while offline, across a restart, and sends it once on the next stream', async () => {
    const first = await openSession();
    const live = new FakeClient();
    await first.session.attach(live, credentials);
    const original = await first.session.send('bob@example.org', 'see you at 6');
    live.acknowledge(live.unacknowledged().length);
    await settle();
    live.disconnect();
    await settle();
    await first.session.correct('bob@example.org', original.id, 'see you at 7');

    const { session, history } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);
    expect(client.sentMessages()).toMatchObject([{ body: 'see you at 7' }]);
    expect(replaceOf(client.sentText().find((text) => text.includes('see you at 7'))!)).toBe(original.id);
    expect(await messagesOf(history, 'bob@example.org')).toMatchObject([{ body: 'see you at 7', edited: true }]);
  });

  it('refuses to correct a message of the peer’s', async () => {
    const { session, history } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);
    client.deliver(fromBob('b-1', 'hi'));
    await settle();
    const [theirs] = await messagesOf(history, 'bob@example.org');

    expect(await session.correct('bob@example.org', theirs!.id, 'bye')).toBeNull();
    expect(client.sentMessages()).toEqual([]);
  });

  it('applies the peer’s correction, found by the id they sent the message with, and ignores with a notice one of a message they did not send', async () => {
    const { session, history, events } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);
    const mine = await session.send('bob@example.org', 'mine');
    client.deliver(fromBob('b-1', 'helo'));
    await settle();

    client.deliver(fromBob('b-2', 'hello', 'b-1'));
    client.deliver(fromBob('b-3', 'not what you said', mine.id));
    await settle();

    expect(await messagesOf(history, 'bob@example.org')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ body: 'mine', edited: false }),
        expect.objectContaining({ direction: 'in', body: 'hello', edited: true }),
      ]),
    );
    expect(events).toContainEqual({ type: 'ignored', reason: 'a correction from bob@example.org/phone of a message they did not send' });
  });

  it('applies a correction made on another of the user’s devices (a carbon), and keeps one of a message not here as a message', async () => {
    const { session, history } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);
    const carbon = (id: string, body: string, replaces?: string) =>
      `<message from="alice@example.org"><sent xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0">
         <message from="alice@example.org/phone" to="bob@example.org" type="chat" id="${id}"><body>${body}</body>${
           replaces ? `<replace xmlns="urn:xmpp:message-correct:0" id="${replaces}"/>` : ''
         }</message></forwarded></sent></message>`;

    client.deliver(carbon('p-1', 'from my phon'));
    client.deliver(carbon('p-2', 'from my phone', 'p-1'));
    client.deliver(carbon('p-4', 'of something long gone', 'p-3'));
    await settle();

    expect(await messagesOf(history, 'bob@example.org')).toMatchObject([
      { direction: 'out', body: 'from my phone', edited: true },
      { direction: 'out', body: 'of something long gone', edited: false },
    ]);
  });

  it('applies corrections from the archive, where an older one coming late does not undo a newer one', async () => {
    const { session, history } = await openSession();
    const client = new FakeClient();
    const archived = (archiveId: string, stamp: string, message: string) =>
      `<message to="alice@example.org/fresh"><result xmlns="urn:xmpp:mam:2" queryid="query-1" id="${archiveId}">
         <forwarded xmlns="urn:xmpp:forward:0"><delay xmlns="urn:xmpp:delay" stamp="${stamp}"/>${message}</forwarded></result></message>`;
    client.respond = (iq) => {
      if (!iq.getChild('query', 'urn:xmpp:mam:2')) return parseXml('<iq type="result"/>')!;
      client.deliver(archived('a-1', '2026-11-22T11:00:01Z', fromBob('b-1', 'helo')));
      client.deliver(archived('a-2', '2026-11-22T11:00:02Z', fromBob('b-2', 'hello', 'b-1')));
      client.deliver(archived('a-3', '2026-11-22T11:00:03Z', fromBob('b-3', 'hello!', 'b-1')));
      return parseXml('<iq type="result"><fin xmlns="urn:xmpp:mam:2" complete="true"/></iq>')!;
    };
    await session.attach(client, credentials);
    await session.settled();
    expect(await messagesOf(history, 'bob@example.org')).toMatchObject([{ body: 'hello!', edited: true }]);

    client.deliver(archived('a-2', '2026-11-22T11:00:02Z', fromBob('b-2', 'hello', 'b-1')));
    await settle();
    expect(await messagesOf(history, 'bob@example.org')).toMatchObject([{ body: 'hello!', edited: true }]);
  });
});

describe('filling gaps from the archive', () => {
  it('asks for what came after the newest archive id it knows, page by page, and keeps each message once', async () => {
    const first = await openSession();
    const live = new FakeClient();
    await first.session.attach(live, credentials);
    live.deliver(
      `<message from="bob@example.org/phone" type="chat"><body>seen live</body><stanza-id xmlns="urn:xmpp:sid:0" by="alice@example.org" id="a-1"/></message>`,
    );
    await settle();
    live.disconnect();
    await settle();

    const { session, history } = await openSession();
    const client = new FakeClient();
    const pages = [
      { results: ['a-2', 'a-3'], fin: '<fin xmlns="urn:xmpp:mam:2"><set xmlns="http://jabber.org/protocol/rsm"><last>a-3</last></set></fin>' },
      { results: ['a-3', 'a-4'], fin: '<fin xmlns="urn:xmpp:mam:2" complete="true"><set xmlns="http://jabber.org/protocol/rsm"><last>a-4</last></set></fin>' },
    ];
    client.respond = (iq) => {
      const query = iq.getChild('query', 'urn:xmpp:mam:2');
      if (!query) return parseXml('<iq type="result"/>')!;
      const page = pages.shift()!;
      for (const archiveId of page.results) {
        client.deliver(
          `<message to="alice@example.org/fresh"><result xmlns="urn:xmpp:mam:2" queryid="${query.attrs.queryid}" id="${archiveId}">
             <forwarded xmlns="urn:xmpp:forward:0"><delay xmlns="urn:xmpp:delay" stamp="2026-11-22T11:00:0${archiveId.at(-1)}Z"/>
             <message from="bob@example.org/phone" type="chat"><body>missed ${archiveId}</body></message></forwarded></result></message>`,
        );
      }
      return parseXml(`<iq type="result">${page.fin}</iq>`)!;
    };

    await session.attach(client, credentials);
    await session.settled();

    const afters = client.requests.flatMap((iq) => iq.getChild('query', 'urn:xmpp:mam:2')?.getChild('set')?.getChildText('after') ?? []);
    expect(afters).toEqual(['a-1', 'a-3']);
    expect((await messagesOf(history, 'bob@example.org')).map((message) => message.body)).toEqual(['seen live', 'missed a-2', 'missed a-3', 'missed a-4']);
  });

  it('after a run that ended without its stream going (the app killed), asks the archive for everything since that run went online', async () => {
    const first = await openSession({ now: () => new Date('2026-11-22T12:00:00Z') });
    await first.session.attach(new FakeClient(), credentials);
    await settle();
    // Killed: no disconnect, nothing more written.

    const { session } = await openSession({ now: () => new Date('2026-11-22T13:00:00Z') });
    const client = new FakeClient();
    await session.attach(client, credentials);
    await session.settled();

    const query = client.requests.find((iq) => iq.getChild('query', 'urn:xmpp:mam:2'))?.getChild('query');
    const start = query?.getChild('x')?.getChildren('field').find((field) => field.attrs.var === 'start')?.getChildText('value');
    expect(start).toBe('2026-11-22T12:00:00.000Z');
  });

  it('asks for the gap from where it stood when the stream went, even when live messages come before the query', async () => {
    const { session, history } = await openSession();
    const first = new FakeClient();
    await session.attach(first, credentials);
    const fromBob = (body: string, archiveId: string) =>
      `<message from="bob@example.org/phone" type="chat"><body>${body}</body><stanza-id xmlns="urn:xmpp:sid:0" by="alice@example.org" id="${archiveId}"/></message>`;
    first.deliver(fromBob('seen live', 'a-1'));
    await settle();
    first.drop();
    await settle();

    const second = new FakeClient();
    const queries: Element[] = [];
    second.respond = async (iq) => {
      const query = iq.getChild('query', 'urn:xmpp:mam:2');
      if (iq.getChild('enable', 'urn:xmpp:carbons:2')) {
        // Once the initial presence is out, the server routes new messages here.
        second.deliver(fromBob('sent after the gap', 'a-3'));
        await settle();
      }
      if (!query) return parseXml('<iq type="result"/>')!;
      queries.push(query);
      // The archive answers what came after the id asked for.
      if (query.getChild('set')?.getChildText('after') === 'a-1') {
        second.deliver(
          `<message><result xmlns="urn:xmpp:mam:2" queryid="${query.attrs.queryid}" id="a-2"><forwarded xmlns="urn:xmpp:forward:0">${fromBob('sent in the gap', 'a-2')}</forwarded></result></message>`,
        );
      }
      return parseXml('<iq type="result"><fin xmlns="urn:xmpp:mam:2" complete="true"><set xmlns="http://jabber.org/protocol/rsm"><last>a-3</last></set></fin></iq>')!;
    };
    await session.attach(second, credentials);

    expect(queries.map((query) => query.getChild('set')?.getChildText('after'))).toEqual(['a-1']);
    expect((await messagesOf(history, 'bob@example.org')).map((message) => message.body)).toEqual(expect.arrayContaining(['sent in the gap']));
  });

  /** Bob's message with its id in Alice's archive. */
  const fromBob = (body: string, archiveId: string) =>
    `<message from="bob@example.org/phone" type="chat"><body>${body}</body><origin-id xmlns="urn:xmpp:sid:0" id="o-${archiveId}"/><stanza-id xmlns="urn:xmpp:sid:0" by="alice@example.org" id="${archiveId}"/></message>`;

  /** The same message as an archive result of `query`, stamped to the second as archives do. */
  const archived = (query: Element, body: string, archiveId: string) =>
    `<message><result xmlns="urn:xmpp:mam:2" queryid="${query.attrs.queryid}" id="${archiveId}"><forwarded xmlns="urn:xmpp:forward:0">
       <delay xmlns="urn:xmpp:delay" stamp="2026-11-22T12:00:05Z"/>${fromBob(body, archiveId)}</forwarded></result></message>`;

  /** A session whose first stream received Bob's "one" (a-1) and then went; the clock moves on as told. */
  async function afterFirstStream() {
    let clock = Date.parse('2026-11-22T12:00:05.100Z');
    const opened = await openSession({ now: () => new Date(clock) });
    const first = new FakeClient();
    await opened.session.attach(first, credentials);
    first.deliver(fromBob('one', 'a-1'));
    await settle();
    clock += 100;
    first.drop();
    await settle();
    clock += 100;
    return { ...opened, tick: (ms: number) => (clock += ms) };
  }

  it('keeps the archive’s order around what the new stream received live, though the archive stamps only to the second', async () => {
    const { session, history, tick } = await afterFirstStream();
    const second = new FakeClient();
    second.respond = async (iq) => {
      if (iq.getChild('enable', 'urn:xmpp:carbons:2')) {
        second.deliver(fromBob('three', 'a-3'));
        await settle();
      }
      const query = iq.getChild('query', 'urn:xmpp:mam:2');
      if (!query) return parseXml('<iq type="result"/>')!;
      tick(100);
      for (const [body, archiveId] of [['two', 'a-2'], ['three', 'a-3'], ['four', 'a-4']] as const) second.deliver(archived(query, body, archiveId));
      return parseXml('<iq type="result"><fin xmlns="urn:xmpp:mam:2" complete="true"><set xmlns="http://jabber.org/protocol/rsm"><last>a-4</last></set></fin></iq>')!;
    };
    await session.attach(second, credentials);
    await session.settled();

    expect((await messagesOf(history, 'bob@example.org')).map((message) => message.body)).toEqual(['one', 'two', 'three', 'four']);
  });

  it('checks a resumed stream against the archive too, and puts back in order what the server delivered after a newer message', async () => {
    const { session, history, tick } = await afterFirstStream();
    const resumed = new FakeClient('resumed');
    const queries: (string | undefined)[] = [];
    resumed.respond = async (iq) => {
      const query = iq.getChild('query', 'urn:xmpp:mam:2');
      if (!query) return parseXml('<iq type="result"/>')!;
      queries.push(query.getChild('set')?.getChildText('after') ?? undefined);
      // Like ejabberd taking a session back: what the old one held comes after a newer message.
      for (const [body, archiveId] of [['three', 'a-3'], ['two', 'a-2']] as const) {
        tick(10);
        resumed.deliver(fromBob(body, archiveId));
      }
      for (const [body, archiveId] of [['two', 'a-2'], ['three', 'a-3']] as const) resumed.deliver(archived(query, body, archiveId));
      return parseXml('<iq type="result"><fin xmlns="urn:xmpp:mam:2" complete="true"><set xmlns="http://jabber.org/protocol/rsm"><last>a-3</last></set></fin></iq>')!;
    };
    expect(await session.attach(resumed, credentials)).toBe('resumed');
    await session.settled();

    expect(queries, 'asked from where the history stood when the last stream went').toEqual(['a-1']);
    expect((await messagesOf(history, 'bob@example.org')).map((message) => message.body)).toEqual(['one', 'two', 'three']);
  });

  it('places the gap after a message that was still being recorded when the stream went', async () => {
    let clock = Date.parse('2026-11-22T12:00:05.100Z');
    const { session, history } = await openSession({ now: () => new Date(clock) });
    const first = new FakeClient();
    await session.attach(first, credentials);
    first.deliver(`<message from="bob@example.org/phone" type="chat"><body>one</body><stanza-id xmlns="urn:xmpp:sid:0" by="alice@example.org" id="a-1"/></message>`);
    first.drop();
    clock += 100;
    await settle();

    const second = new FakeClient();
    second.respond = (iq) => {
      const query = iq.getChild('query', 'urn:xmpp:mam:2');
      if (!query) return parseXml('<iq type="result"/>')!;
      second.deliver(
        `<message><result xmlns="urn:xmpp:mam:2" queryid="${query.attrs.queryid}" id="a-2"><forwarded xmlns="urn:xmpp:forward:0">
           <delay xmlns="urn:xmpp:delay" stamp="2026-11-22T12:00:05Z"/><message from="bob@example.org/phone" type="chat"><body>two</body></message></forwarded></result></message>`,
      );
      return parseXml('<iq type="result"><fin xmlns="urn:xmpp:mam:2" complete="true"><set xmlns="http://jabber.org/protocol/rsm"><last>a-2</last></set></fin></iq>')!;
    };
    await session.attach(second, credentials);

    expect((await messagesOf(history, 'bob@example.org')).map((message) => message.body)).toEqual(['one', 'two']);
  });

  it('gives up a query when its connection goes, so that the next connection is not held up waiting for it', async () => {
    const { session, events } = await openSession();
    const first = new FakeClient();
    await session.attach(first, credentials);
    first.drop();
    await settle();
    const second = new FakeClient();
    second.respond = (iq) => (iq.getChild('query', 'urn:xmpp:mam:2') ? new Promise(() => {}) : parseXml('<iq type="result"/>')!);
    const signingIn = session.attach(second, credentials);
    await vi.waitFor(() => expect(second.requests.some((iq) => iq.getChild('query', 'urn:xmpp:mam:2'))).toBe(true));

    second.drop();

    await expect(signingIn).resolves.toBe('fresh');
    expect(session.isOnline).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'catching-up', fetched: null });
    expect(events.filter((event) => event.type === 'error'), 'the gap is filled over the next connection: nothing to report').toEqual([]);
  });

  it('sends again the receipts the server never acknowledged before the stream went, and only those', async () => {
    const { session } = await openSession();
    const first = new FakeClient();
    await session.attach(first, credentials);
    const from = (sender: string, id: string) =>
      `<message from="${sender}" type="chat" id="${id}"><body>${id}</body><request xmlns="urn:xmpp:receipts"/></message>`;
    first.deliver(from('bob@example.org/phone', 'm-1'));
    await settle();
    first.acknowledge(first.unacknowledged().length);
    // Ids are each sender's own: Carol's may be the same as Bob's.
    first.deliver(from('bob@example.org/phone', 'm-2'));
    first.deliver(from('carol@example.org/desk', 'm-2'));
    await settle();
    first.disconnect();

    const second = new FakeClient('fresh');
    await session.attach(second, credentials);

    expect(second.sentText().filter((text) => text.includes('urn:xmpp:receipts'))).toEqual([
      '<message to="bob@example.org/phone"><received xmlns="urn:xmpp:receipts" id="m-2"/><store xmlns="urn:xmpp:hints"/></message>',
      '<message to="carol@example.org/desk"><received xmlns="urn:xmpp:receipts" id="m-2"/><store xmlns="urn:xmpp:hints"/></message>',
    ]);
    second.acknowledge(second.unacknowledged().length);
    second.disconnect();
    const third = new FakeClient('fresh');
    await session.attach(third, credentials);
    expect(third.sentText().filter((text) => text.includes('urn:xmpp:receipts'))).toEqual([]);
  });

  it('sends on the resumed stream a receipt that found its connection already gone, and reports nothing', async () => {
    const { session, events } = await openSession();
    const first = new FakeClient();
    await session.attach(first, credentials);
    first.connectionLost = true;
    first.deliver(`<message from="bob@example.org/phone" type="chat" id="m-1"><body>hi</body><request xmlns="urn:xmpp:receipts"/></message>`);
    await settle();
    first.disconnect();

    const second = new FakeClient('resumed');
    expect(await session.attach(second, credentials)).toBe('resumed');

    expect(second.sentText().filter((text) => text.includes('urn:xmpp:receipts'))).toEqual([
      '<message to="bob@example.org/phone"><received xmlns="urn:xmpp:receipts" id="m-1"/><store xmlns="urn:xmpp:hints"/></message>',
    ]);
    expect(events.filter((event) => event.type === 'error')).toEqual([]);
  });

  it('confirms a message first received in a gap fill, but not one it already had, nor its own', async () => {
    const first = await openSession();
    const live = new FakeClient();
    await first.session.attach(live, credentials);
    live.deliver(
      `<message from="bob@example.org/phone" type="chat" id="m-1"><body>seen live</body><request xmlns="urn:xmpp:receipts"/>
         <stanza-id xmlns="urn:xmpp:sid:0" by="alice@example.org" id="a-1"/></message>`,
    );
    await settle();
    live.disconnect();
    await settle();

    const { session } = await openSession();
    const client = new FakeClient();
    const archived = (archiveId: string, message: string) =>
      `<result xmlns="urn:xmpp:mam:2" id="${archiveId}"><forwarded xmlns="urn:xmpp:forward:0">${message}</forwarded></result>`;
    client.respond = (iq) => {
      const query = iq.getChild('query', 'urn:xmpp:mam:2');
      if (!query) return parseXml('<iq type="result"/>')!;
      for (const result of [
        archived('a-1', '<message from="bob@example.org/phone" type="chat" id="m-1"><body>seen live</body><request xmlns="urn:xmpp:receipts"/></message>'),
        archived('a-2', '<message from="alice@example.org/laptop" to="bob@example.org" type="chat" id="m-2"><body>mine</body><request xmlns="urn:xmpp:receipts"/></message>'),
        archived('a-3', '<message from="bob@example.org/phone" type="chat" id="m-3"><body>while you were away</body><request xmlns="urn:xmpp:receipts"/></message>'),
      ]) {
        client.deliver(`<message to="alice@example.org/fresh">${result.replace('<result ', `<result queryid="${query.attrs.queryid}" `)}</message>`);
      }
      return parseXml('<iq type="result"><fin xmlns="urn:xmpp:mam:2" complete="true"><set xmlns="http://jabber.org/protocol/rsm"><last>a-3</last></set></fin></iq>')!;
    };

    await session.attach(client, credentials);
    await session.settled();

    expect(client.sentText().filter((text) => text.includes('urn:xmpp:receipts'))).toEqual([
      '<message to="bob@example.org/phone"><received xmlns="urn:xmpp:receipts" id="m-3"/><store xmlns="urn:xmpp:hints"/></message>',
    ]);
  });
});

/** Runs `test` with the watchdog's clock faked (intervals and Date), restoring the real one after. */
async function onFakeClock(test: () => Promise<void>): Promise<void> {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
  try {
    await test();
  } finally {
    vi.useRealTimers();
  }
}

/** A session whose first stream went, and whose stream is now resumed over `resumed`. */
async function resumedSession(options: Parameters<typeof openSession>[0] = {}) {
  const opened = await openSession(options);
  const first = new FakeClient();
  await opened.session.attach(first, credentials);
  first.disconnect();
  const resumed = new FakeClient('resumed');
  await opened.session.attach(resumed, credentials);
  return { ...opened, resumed };
}

describe('a path that goes silent', () => {
  it('is dropped, without closing the stream, once nothing has come for the keepalive interval and timeout together', async () => {
    const { session, events } = await openSession({ keepalive: { intervalMs: 40, timeoutMs: 60 } });
    const client = new FakeClient();
    await session.attach(client, credentials);

    await new Promise((resolve) => setTimeout(resolve, 60));
    client.hear();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(client.dropped).toBe(false);

    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(client.ackRequests).toBeGreaterThan(0);
    expect(client.dropped).toBe(true);
    expect(client.stopped).toBe(false);
    expect(events).toContainEqual({ type: 'status', status: 'offline' });
  });

  it('is left alone while it signs in, however long the server takes (a resume may take it 15 s): the sign-in has its own deadlines', async () => {
    const { session } = await openSession({ keepalive: { intervalMs: 40, timeoutMs: 60 } });
    const client = new FakeClient();
    client.bindsLater = true;
    const attached = session.attach(client, credentials);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(client.dropped).toBe(false);
    expect(client.ackRequests).toBe(0);
    client.answerBind();
    await attached;
  });

  it('turns suspect once silent for 1.5 s while waiting for the server, not while idle, and no longer once heard', () =>
    onFakeClock(async () => {
      const { session, events } = await openSession();
      const client = new FakeClient();
      await session.attach(client, credentials);
      vi.advanceTimersByTime(3_000);
      expect(events).not.toContainEqual({ type: 'suspect' });

      client.hear();
      await sendThenStaySilent(session, client, events);
      expect(session.pathSuspect).toBe(true);

      client.acknowledge(client.unacknowledged().length);
      vi.advanceTimersByTime(250);
      expect(session.pathSuspect).toBe(false);
    }));

  it('gives a stream just resumed 5 s of silence before suspecting it, until the server first acknowledges on it', () =>
    onFakeClock(async () => {
      const { session, resumed } = await resumedSession();
      resumed.hear();
      resumed.requestAck();
      vi.advanceTimersByTime(4_750);
      expect(session.pathSuspect, 'the server may still be working through what it held').toBe(false);
      vi.advanceTimersByTime(500);
      expect(session.pathSuspect).toBe(true);

      resumed.acknowledge(0);
      vi.advanceTimersByTime(250);
      resumed.requestAck();
      vi.advanceTimersByTime(1_750);
      expect(session.pathSuspect, 'once it has acknowledged, the usual 1.5 s').toBe(true);
    }));

  it('suspects a path that keeps talking but leaves an ack request unanswered for 10 s, until it answers', () =>
    onFakeClock(async () => {
      const { session } = await openSession();
      const client = new FakeClient();
      await session.attach(client, credentials);
      client.hear();
      client.requestAck();
      for (let elapsed = 0; elapsed < 9_750; elapsed += 250) {
        client.hear();
        vi.advanceTimersByTime(250);
      }
      expect(session.pathSuspect).toBe(false);
      client.hear();
      vi.advanceTimersByTime(500);
      expect(session.pathSuspect).toBe(true);
      client.hear();
      vi.advanceTimersByTime(500);
      expect(session.pathSuspect, 'talking is not answering').toBe(true);

      client.acknowledge(0);
      vi.advanceTimersByTime(250);
      expect(session.pathSuspect).toBe(false);
    }));

  it('waits four round trips before suspecting a slow path', () =>
    onFakeClock(async () => {
      const { session } = await openSession();
      const client = new FakeClient();
      await session.attach(client, credentials);
      client.roundTripMs = 1_000;
      client.hear();
      client.requestAck();
      vi.advanceTimersByTime(3_750);
      expect(session.pathSuspect).toBe(false);
      vi.advanceTimersByTime(500);
      expect(session.pathSuspect).toBe(true);
    }));

  describe('whose server holds a request (BOSH), answering it empty after 10 s when it has nothing to say', () => {
    const waitMs = 10_000;
    /** The server answers the request it held; the next one goes out at once. */
    function answerHeld(client: FakeClient): void {
      client.hear();
      client.answerDueAt = Date.now() + waitMs;
    }
    /** Signed in, the server holding the request it has just been sent. */
    async function signedInOverBosh() {
      const { session, events } = await openSession();
      const client = new FakeClient();
      await session.attach(client, credentials);
      answerHeld(client);
      return { session, events, client };
    }

    it('is not probed while the answer is due: an idle minute costs no ack request, and the path stays', () =>
      onFakeClock(async () => {
        const { events, client } = await signedInOverBosh();
        const before = client.ackRequests;
        for (let elapsed = 0; elapsed < 60_000; elapsed += waitMs) {
          vi.advanceTimersByTime(waitMs);
          answerHeld(client);
        }
        expect(client.ackRequests - before).toBe(0);
        expect(client.dropped).toBe(false);
        expect(events).not.toContainEqual({ type: 'suspect' });
      }));

    it('is probed once the answer is overdue, then suspect, and dropped within 15 s of the last answer when none comes', () =>
      onFakeClock(async () => {
        const { events, client } = await signedInOverBosh();
        const before = client.ackRequests;
        vi.advanceTimersByTime(waitMs + 1_250);
        expect(client.ackRequests - before, 'the answer may still be on its way').toBe(0);
        vi.advanceTimersByTime(500);
        expect(client.ackRequests - before).toBe(1);
        vi.advanceTimersByTime(1_750);
        expect(events).toContainEqual({ type: 'suspect' });
        expect(client.dropped).toBe(false);
        vi.advanceTimersByTime(15_000 - (waitMs + 3_500));
        expect(client.dropped).toBe(true);
      }));

    it('still turns suspect after 1.5 s of silence while a message waits for its ack, its held request not due yet', () =>
      onFakeClock(async () => {
        const { session, events, client } = await signedInOverBosh();
        vi.advanceTimersByTime(3_000);
        await sendThenStaySilent(session, client, events);
      }));
  });

  it('probes the path at once when asked (a network change)', async () => {
    const { session } = await openSession();
    const client = new FakeClient();
    await session.attach(client, credentials);
    const before = client.ackRequests;
    session.checkPath();
    expect(client.ackRequests).toBe(before + 1);
  });

  it('hands a stream still open to the connection replacing it: dropped without a goodbye, resumed, never announced offline', async () => {
    const { session, events } = await openSession();
    const suspect = new FakeClient();
    await session.attach(suspect, credentials);
    await session.send('bob@example.org', 'in flight');

    const next = new FakeClient('resumed');
    expect(await session.attach(next, credentials)).toBe('resumed');
    await settle();

    expect(suspect.dropped).toBe(true);
    expect(suspect.stopped).toBe(false);
    expect(next.resumeAsked?.unacknowledged).toContainEqual(expect.stringContaining('in flight'));
    expect(events).not.toContainEqual({ type: 'status', status: 'offline' });
    expect(session.isOnline).toBe(true);
  });

  it('starts afresh when told not to resume (a server known to break such a resume), sending again what was unacknowledged', async () => {
    const { session } = await openSession();
    const first = new FakeClient();
    await session.attach(first, credentials);
    await session.send('bob@example.org', 'once more');
    first.disconnect();
    await settle();

    const next = new FakeClient('resumed');
    expect(await session.attach(next, credentials, { resume: false })).toBe('fresh');
    expect(next.resumeAsked).toBeNull();
    expect(next.sentMessages().map((message) => message.body)).toEqual(['once more']);
  });

  it('asks a fresh stream for the resource of the one it follows, so that the server replaces that session rather than keep it waiting', async () => {
    const { session } = await openSession();
    const first = new FakeClient();
    await session.attach(first, credentials);
    expect(first.resourceAsked, "the first stream takes the server's choice").toBeUndefined();
    first.disconnect();
    await settle();

    const next = new FakeClient();
    expect(await session.attach(next, credentials, { resume: false })).toBe('fresh');
    expect(next.resourceAsked).toBe('fresh');
  });
});

describe('going online', () => {
  it('is usable before the archive has filled the gap, which follows behind', async () => {
    const first = await openSession();
    const live = new FakeClient();
    await first.session.attach(live, credentials);
    live.disconnect();
    await settle();

    const { session, events } = await openSession();
    const client = new FakeClient();
    let answerArchive = () => {};
    client.respond = (iq) =>
      iq.getChild('query', 'urn:xmpp:mam:2')
        ? new Promise((resolve) => (answerArchive = () => resolve(parseXml('<iq type="result"><fin xmlns="urn:xmpp:mam:2" complete="true"/></iq>')!)))
        : parseXml('<iq type="result"/>')!;

    expect(await session.attach(client, credentials)).toBe('fresh');
    expect(events).toContainEqual({ type: 'status', status: 'online' });
    await vi.waitFor(() => expect(client.requests.some((iq) => iq.getChild('query', 'urn:xmpp:mam:2'))).toBe(true));
    await session.send('bob@example.org', 'while the archive fills');
    expect(client.sentMessages().map((message) => message.body)).toEqual(['while the archive fills']);
    expect(events).toContainEqual({ type: 'catching-up', fetched: 0 });
    answerArchive();
    await session.settled();
    expect(events.at(-1)).toEqual({ type: 'catching-up', fetched: null });
  });

  it('goes on filling a gap over the next stream when the connection goes in the middle of it', async () => {
    const first = await openSession();
    const live = new FakeClient();
    await first.session.attach(live, credentials);
    live.disconnect();
    await settle();

    const { session } = await openSession();
    const cutOff = new FakeClient();
    cutOff.respond = (iq) => (iq.getChild('query', 'urn:xmpp:mam:2') ? new Promise(() => {}) : parseXml('<iq type="result"/>')!);
    await session.attach(cutOff, credentials);
    await vi.waitFor(() => expect(cutOff.requests.some((iq) => iq.getChild('query', 'urn:xmpp:mam:2'))).toBe(true));
    cutOff.disconnect();

    const resumed = new FakeClient('resumed');
    await session.attach(resumed, credentials);
    await vi.waitFor(() => expect(resumed.requests.some((iq) => iq.getChild('query', 'urn:xmpp:mam:2'))).toBe(true));
    await session.settled();
  });

  it('fills a gap a bounded number of pages at a time, and goes on from there on the next connection', async () => {
    const first = await openSession({ archiveMaxPages: 2, archivePageSize: 1 });
    const live = new FakeClient();
    await first.session.attach(live, credentials);
    live.disconnect();
    await settle();

    const { session, events } = await openSession({ archiveMaxPages: 2, archivePageSize: 1 });
    let next = 0;
    const client = new FakeClient();
    client.respond = (iq) => {
      const query = iq.getChild('query', 'urn:xmpp:mam:2');
      if (!query) return parseXml('<iq type="result"/>')!;
      const id = `a-${++next}`;
      client.deliver(
        `<message to="alice@example.org/fresh"><result xmlns="urn:xmpp:mam:2" queryid="${query.attrs.queryid}" id="${id}">
           <forwarded xmlns="urn:xmpp:forward:0"><delay xmlns="urn:xmpp:delay" stamp="2026-11-22T11:00:00Z"/>
           <message from="bob@example.org/phone" type="chat"><body>missed ${id}</body></message></forwarded></result></message>`,
      );
      return parseXml(`<iq type="result"><fin xmlns="urn:xmpp:mam:2"><set xmlns="http://jabber.org/protocol/rsm"><last>${id}</last></set></fin></iq>`)!;
    };
    await session.attach(client, credentials);
    await session.settled();
    expect(client.requests.filter((iq) => iq.getChild('query', 'urn:xmpp:mam:2'))).toHaveLength(2);
    expect(events).toContainEqual({ type: 'catching-up', fetched: 1 });
    expect(events).toContainEqual({ type: 'ignored', reason: 'more than 2 pages of archive to catch up on: the rest follows on the next connection' });
  });
});

