import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { StanzaError } from '../stream/iq-caller.js';
import { RoomRefusedError } from './rooms.js';
import type { Session } from './session.js';
import { FakeClient } from './testing/fake-client.js';
import { openSessionOverFolder } from './testing/session-over-folder.js';
import { parseXml, type Element } from './stanzas/xml.js';

const credentials = { username: 'alice', password: 'secret' };
const room = 'team@rooms.example.org';
let folder: string;
const closing: (() => Promise<void>)[] = [];

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'burrow-rooms-'));
});

afterEach(async () => {
  for (const close of closing.splice(0)) await close();
  await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
});

async function openSession() {
  let originIds = 0;
  return openSessionOverFolder(folder, closing, { newOriginId: () => `origin${++originIds}` });
}

/**
 * A server with one room that keeps an archive: `archived` are the room's messages (from its
 * occupants, as `nick: body/originId`) it hands to an archive query, after the last id asked for.
 */
function roomServer(client: FakeClient, archived: { nick: string; body: string; originId?: string }[] = []): void {
  client.respond = (iq: Element) => {
    const query = iq.getChildElements()[0];
    if (iq.attrs.to === room && query?.attrs.xmlns === 'http://jabber.org/protocol/disco#info') {
      return parseXml(`<iq type="result" from="${room}"><query xmlns="http://jabber.org/protocol/disco#info"><identity category="conference" type="text"/><feature var="urn:xmpp:mam:2"/></query></iq>`)!;
    }
    if (iq.attrs.to === room && query?.attrs.xmlns === 'urn:xmpp:mam:2') {
      archived.forEach(({ nick, body, originId }, i) => {
        const origin = originId ? `<origin-id xmlns="urn:xmpp:sid:0" id="${originId}"/>` : '';
        client.deliver(
          `<message from="${room}" to="alice@example.org/fresh"><result xmlns="urn:xmpp:mam:2" queryid="${query.attrs.queryid}" id="a-${i}"><forwarded xmlns="urn:xmpp:forward:0"><delay xmlns="urn:xmpp:delay" stamp="2026-11-22T11:00:0${i}Z"/><message from="${room}/${nick}" type="groupchat"><body>${body}</body>${origin}</message></forwarded></result></message>`,
        );
      });
      return parseXml(`<iq type="result" from="${room}"><fin xmlns="urn:xmpp:mam:2" complete="true"/></iq>`)!;
    }
    if (query?.attrs.xmlns === 'jabber:iq:roster') return parseXml('<iq type="result"><query xmlns="jabber:iq:roster"/></iq>')!;
    return parseXml('<iq type="result"/>')!;
  };
}

/** The room lets `nick` in: the occupants first, the user's own presence (status 110) last. */
function letIn(client: FakeClient, nick: string, others: string[] = ['Bob']): void {
  for (const other of others) client.deliver(`<presence from="${room}/${other}"><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="member" role="participant"/></x></presence>`);
  client.deliver(`<presence from="${room}/${nick}"><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="owner" role="moderator"/><status code="110"/></x></presence>`);
}

const joinSent = (client: FakeClient) => client.sent.some((stanza) => stanza.is('presence') && stanza.attrs.to === `${room}/Alice`);
const groupchatsSent = (client: FakeClient) => client.sent.filter((stanza) => stanza.attrs.type === 'groupchat' && stanza.getChild('body')).map((stanza) => stanza.getChildText('body'));

async function enterRoom(session: Session, client: FakeClient) {
  const entered = session.groupChat.enter(room, 'Alice');
  await vi.waitFor(() => expect(joinSent(client)).toBe(true));
  letIn(client, 'Alice');
  return entered;
}

describe('a room', () => {
  it('is entered without the room’s own history, read from its archive instead, and shows its occupants', async () => {
    const { session, events } = await openSession();
    const client = new FakeClient();
    roomServer(client, [{ nick: 'Bob', body: 'before you came' }]);
    await session.attach(client, credentials);

    expect(await enterRoom(session, client)).toEqual({ created: false });
    const join = client.sent.find((stanza) => stanza.attrs.to === `${room}/Alice`)!;
    expect(join.toString()).toContain('<history maxstanzas="0"/>');
    await vi.waitFor(() => expect(events).toContainEqual(expect.objectContaining({ type: 'message', message: expect.objectContaining({ peer: room, body: 'before you came', sender: 'Bob' }) })));
    expect(session.groupChat.occupants(room).map((occupant) => occupant.nick)).toEqual(['Bob', 'Alice']);
    expect(events).toContainEqual({ type: 'room', room, nick: 'Alice', presence: { state: 'joined' } });
  });

  it('sends the user’s messages once the room is open, and counts one delivered when the room reflects it', async () => {
    const { session, outbox, history } = await openSession();
    const client = new FakeClient();
    roomServer(client);
    await session.attach(client, credentials);
    const entered = session.groupChat.enter(room, 'Alice');
    await vi.waitFor(() => expect(joinSent(client)).toBe(true));
    const waiting = await session.send(room, 'written while entering');
    await session.settled();
    expect(groupchatsSent(client)).toEqual([]);

    letIn(client, 'Alice');
    await entered;
    await vi.waitFor(() => expect(groupchatsSent(client)).toEqual(['written while entering']));
    client.deliver(`<message from="${room}/Alice" type="groupchat" id="${waiting.id}"><body>written while entering</body><origin-id xmlns="urn:xmpp:sid:0" id="${waiting.id}"/><stanza-id xmlns="urn:xmpp:sid:0" by="${room}" id="r-1"/></message>`);
    await session.settled();

    expect(outbox.list()).toEqual([]);
    expect((await history.page(room)).messages).toEqual([expect.objectContaining({ id: waiting.id, direction: 'out', state: 'delivered', stanzaId: 'r-1' })]);
  });

  it('marks a message that names the user’s nickname as a mention, and one that does not as none', async () => {
    const { session, history } = await openSession();
    const client = new FakeClient();
    roomServer(client);
    await session.attach(client, credentials);
    await enterRoom(session, client);

    client.deliver(`<message from="${room}/Bob" type="groupchat"><body>alice: lunch?</body></message>`);
    client.deliver(`<message from="${room}/Bob" type="groupchat"><body>Palice is not a name</body></message>`);
    await session.settled();

    const [named, other] = (await history.page(room)).messages;
    expect(named).toMatchObject({ body: 'alice: lunch?', sender: 'Bob', mention: true });
    expect(other).not.toHaveProperty('mention');
  });

  it('after a fresh start, enters again and re-sends only what the room neither reflected nor archived, in order, before what was written meanwhile', async () => {
    const { session, outbox } = await openSession();
    const first = new FakeClient();
    roomServer(first);
    await session.attach(first, credentials);
    await enterRoom(session, first);
    const reached = await session.send(room, 'the room got this one');
    const lost = await session.send(room, 'this one was lost in the cut');
    await vi.waitFor(() => expect(groupchatsSent(first)).toHaveLength(2));
    // The server took both; the cut came before the room reflected either.
    first.acknowledge(2);
    first.disconnect();
    await session.settled();
    await session.send(room, 'written while away');

    const second = new FakeClient();
    roomServer(second, [{ nick: 'Alice', body: 'the room got this one', originId: reached.id }]);
    await session.attach(second, credentials);
    await vi.waitFor(() => expect(joinSent(second)).toBe(true));
    expect(groupchatsSent(second)).toEqual([]);
    letIn(second, 'Alice');

    await vi.waitFor(() => expect(groupchatsSent(second)).toEqual(['this one was lost in the cut', 'written while away']));
    await session.settled();
    expect(outbox.list().map((message) => message.body)).toEqual(['this one was lost in the cut', 'written while away']);
    expect(outbox.list()[0]?.originId).toBe(lost.id);
  });

  it('enters on a fresh stream the rooms bookmarked on another device, and bookmarks the one it enters', async () => {
    const { session, events } = await openSession();
    const client = new FakeClient();
    roomServer(client);
    const serve = client.respond;
    client.respond = (iq) =>
      iq.getChild('pubsub', 'http://jabber.org/protocol/pubsub')?.getChild('items')
        ? parseXml(
            `<iq type="result"><pubsub xmlns="http://jabber.org/protocol/pubsub"><items node="urn:xmpp:bookmarks:1"><item id="${room}"><conference xmlns="urn:xmpp:bookmarks:1" autojoin="true"><nick>Ali</nick></conference></item><item id="quiet@rooms.example.org"><conference xmlns="urn:xmpp:bookmarks:1"/></item></items></pubsub></iq>`,
          )!
        : serve(iq);
    await session.attach(client, credentials);

    await vi.waitFor(() => expect(client.sent.some((stanza) => stanza.is('presence') && stanza.attrs.to === `${room}/Ali`)).toBe(true));
    expect(client.sent.some((stanza) => stanza.attrs.to?.startsWith('quiet@'))).toBe(false);
    letIn(client, 'Ali');
    await vi.waitFor(() => expect(events).toContainEqual({ type: 'room', room, nick: 'Ali', presence: { state: 'joined' } }));

    const other = 'other@rooms.example.org';
    const entering = session.groupChat.enter(other, 'Alice');
    await vi.waitFor(() => expect(client.sent.some((stanza) => stanza.attrs.to === `${other}/Alice`)).toBe(true));
    client.deliver(`<presence from="${other}/Alice"><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="none" role="participant"/><status code="110"/></x></presence>`);
    await entering;
    await vi.waitFor(() => expect(client.requests.map(String).find((iq) => iq.includes('<publish node="urn:xmpp:bookmarks:1">'))).toContain(`<item id="${other}"><conference xmlns="urn:xmpp:bookmarks:1" autojoin="true"><nick>Alice</nick>`));
  });

  it('places what the archive brings after a cut after what came live before it, though the archive stamps to the second', async () => {
    const { session, history } = await openSession();
    const first = new FakeClient();
    roomServer(first);
    await session.attach(first, credentials);
    await enterRoom(session, first);
    first.deliver(`<message from="${room}/Bob" type="groupchat"><body>live before the cut</body><stanza-id xmlns="urn:xmpp:sid:0" by="${room}" id="r-1"/></message>`);
    await session.settled();
    first.disconnect();
    await session.settled();

    const second = new FakeClient();
    // Stamped earlier than the live message was stored: a second's resolution, or another clock.
    roomServer(second, [{ nick: 'Bob', body: 'archived after the cut' }]);
    await session.attach(second, credentials);
    await vi.waitFor(() => expect(joinSent(second)).toBe(true));
    letIn(second, 'Alice');

    await vi.waitFor(async () => expect((await history.page(room)).messages.map((message) => message.body)).toEqual(['live before the cut', 'archived after the cut']));
  });

  it('refuses to enter with a nickname someone else holds, and forgets the room', async () => {
    const { session } = await openSession();
    const client = new FakeClient();
    roomServer(client);
    await session.attach(client, credentials);

    const entered = session.groupChat.enter(room, 'Alice');
    await vi.waitFor(() => expect(joinSent(client)).toBe(true));
    client.deliver(`<presence from="${room}/Alice" type="error"><x xmlns="http://jabber.org/protocol/muc"/><error type="cancel"><conflict xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></presence>`);

    await expect(entered).rejects.toEqual(new RoomRefusedError(room, 'conflict'));
    expect(session.groupChat.has(room)).toBe(false);
  });
});

describe('a room that may have lost the user without a word (XEP-0410 self-ping)', () => {
  const isSelfPing = (iq: Element) => iq.attrs.to === `${room}/Alice` && iq.getChild('ping', 'urn:xmpp:ping') !== undefined;

  /** The user in the room, with one message the room reflected later into its archive and one it never got; then the path goes. */
  async function inTheRoomWhenThePathGoes() {
    const opened = await openSession();
    const first = new FakeClient();
    roomServer(first);
    await opened.session.attach(first, credentials);
    await enterRoom(opened.session, first);
    const reached = await opened.session.send(room, 'the room got this one');
    const lost = await opened.session.send(room, 'lost with the room');
    await vi.waitFor(() => expect(groupchatsSent(first)).toHaveLength(2));
    first.acknowledge(first.unacknowledged().length);
    first.connectionLost = true;
    first.disconnect();
    await opened.session.settled();
    return { ...opened, reached, lost };
  }

  /** A resumed stream whose room answers the self-ping with `answer` (its archive holding `reached`). */
  function resumedWhereTheRoomAnswers(answer: (iq: Element) => Element, reached: { id: string }): FakeClient {
    const second = new FakeClient('resumed');
    roomServer(second, [{ nick: 'Alice', body: 'the room got this one', originId: reached.id }]);
    const serve = second.respond;
    second.respond = (iq) => (isSelfPing(iq) ? answer(iq) : serve(iq));
    return second;
  }

  it('is asked after a resume, and when it refuses the user, entered again: its archive read, and what it never got sent again', async () => {
    const { session, outbox, events, reached, lost } = await inTheRoomWhenThePathGoes();
    const second = resumedWhereTheRoomAnswers(() => {
      throw StanzaError.from(parseXml('<iq type="error"><error type="cancel"><not-acceptable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>')!);
    }, reached);

    expect(await session.attach(second, credentials)).toBe('resumed');
    await vi.waitFor(() => expect(joinSent(second)).toBe(true));
    expect(events).toContainEqual({ type: 'room-occupant-left', room, nick: 'Bob' });
    expect(groupchatsSent(second)).toEqual([]);
    letIn(second, 'Alice');

    await vi.waitFor(() => expect(groupchatsSent(second)).toEqual(['lost with the room']));
    await session.settled();
    expect(outbox.list().map((message) => message.originId)).toEqual([lost.id]);
    expect(events.filter((event) => event.type === 'room').map((event) => event.type === 'room' && event.presence.state)).toEqual(['entering', 'joined', 'entering', 'joined']);
  });

  it('is left as it is when it answers that the user is still in', async () => {
    const { session, events, reached } = await inTheRoomWhenThePathGoes();
    const second = resumedWhereTheRoomAnswers(() => parseXml('<iq type="result"/>')!, reached);

    await session.attach(second, credentials);
    await vi.waitFor(() => expect(second.requests.some(isSelfPing)).toBe(true));
    await session.settled();
    expect(joinSent(second)).toBe(false);
    expect(events.filter((event) => event.type === 'room')).toHaveLength(2);
  });
});

describe('a private message through a room (XEP-0045 §7.5)', () => {
  const bobInRoom = `${room}/Bob`;
  const muc = '<x xmlns="http://jabber.org/protocol/muc#user"/>';

  it('is a conversation with the occupant, apart from the room’s and from one with the room’s address, and the user answers there', async () => {
    const { session, history, events } = await openSession();
    const client = new FakeClient();
    roomServer(client);
    await session.attach(client, credentials);
    await enterRoom(session, client);

    client.deliver(`<message from="${bobInRoom}" to="alice@example.org/fresh" type="chat" id="p-1"><body>just between us</body>${muc}</message>`);
    await session.settled();
    expect((await history.page(bobInRoom)).messages).toEqual([expect.objectContaining({ peer: bobInRoom, direction: 'in', body: 'just between us', state: 'received' })]);
    expect((await history.page(room)).messages).toEqual([]);
    expect(events).toContainEqual({ type: 'message', message: expect.objectContaining({ peer: bobInRoom, body: 'just between us' }) });

    const answer = await session.send(bobInRoom, 'sure');
    await vi.waitFor(() => expect(client.sent.some((stanza) => stanza.getChildText('body') === 'sure')).toBe(true));
    const sent = client.sent.find((stanza) => stanza.getChildText('body') === 'sure')!;
    expect(sent.attrs).toMatchObject({ type: 'chat', to: bobInRoom });
    expect(sent.getChild('x', 'http://jabber.org/protocol/muc#user')).toBeDefined();
    client.acknowledge(client.unacknowledged().length);
    await session.settled();
    expect((await history.page(bobInRoom)).messages.map(({ id, direction, state }) => [id === answer.id, direction, state])).toEqual([
      [false, 'in', 'received'],
      [true, 'out', 'sent'],
    ]);
    expect(groupchatsSent(client)).toEqual([]);
  });

  it('shares a file with the room as a room message, and with an occupant privately', async () => {
    const { session } = await openSession();
    const client = new FakeClient();
    roomServer(client);
    await session.attach(client, credentials);
    await enterRoom(session, client);

    await session.shareFile(room, 'https://upload.example.org/a/team.png');
    await session.shareFile(bobInRoom, 'https://upload.example.org/b/bob.png');
    await vi.waitFor(() => expect(client.sent.filter((stanza) => stanza.getChild('body'))).toHaveLength(2));
    const [toRoom, toBob] = client.sent.filter((stanza) => stanza.getChild('body'));
    expect(toRoom!.attrs).toMatchObject({ type: 'groupchat', to: room });
    expect(toBob!.attrs).toMatchObject({ type: 'chat', to: bobInRoom });
    expect(toBob!.getChild('x', 'http://jabber.org/protocol/muc#user')).toBeDefined();
  });

  it('keeps what the user sent privately from another device (a carbon) in the occupant’s conversation too', async () => {
    const { session, history } = await openSession();
    const client = new FakeClient();
    roomServer(client);
    await session.attach(client, credentials);
    await enterRoom(session, client);

    client.deliver(
      `<message from="alice@example.org" to="alice@example.org/fresh" type="chat"><sent xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0"><message from="alice@example.org/phone" to="${bobInRoom}" type="chat" id="c-1"><body>from my phone</body>${muc}</message></forwarded></sent></message>`,
    );
    await session.settled();
    expect((await history.page(bobInRoom)).messages).toEqual([expect.objectContaining({ direction: 'out', body: 'from my phone' })]);
    expect((await history.page(room)).messages).toEqual([]);
  });
});
