/**
 * Group chat (XEP-0045) on each of the lab's servers, with whole Burrow cores in the client's
 * network: Alice makes a room, Bob finds it in the server's list and enters, Carol is refused the
 * nickname Bob holds, the topic and a mention reach Bob, and the room's guarantee holds — the
 * messages sent before, during and after a path cut and a server restart (which ends every session,
 * so each core must enter the room again and read its archive) each arrive once, in order, and
 * every sender's own leave the outbox as the room reflects or archives them. A new device of Bob's
 * enters the room from his bookmarks (XEP-0402). Bob and Alice write privately through the room. When the room's process crashes and the room
 * forgets its occupants untold (the lab kills it, `crashRoom`), each core finds out with its
 * self-ping (XEP-0410), enters again, and what it sent meanwhile arrives once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { DrivenCore } from '../../../bench/core-client.js';
import type { AccountView, MessageView } from '../../contract/contract.js';
import { serverKinds } from '../../../lab/lab.js';
import { describeWithLab } from '../../../lab/testing.js';
import { roomsDomain } from '../../../lab/topology.js';

const communityId = 'lab';
const connectTimeoutMs = 30_000;
/** The keepalive (a silent path noticed within 15 s), a new race and a sign-in; after a restart, entering the room again too. */
const reconnectTimeoutMs = 90_000;
const perPhase = 15;

interface Person {
  name: 'alice' | 'bob' | 'carol';
  nick: string;
  core: DrivenCore;
  states: AccountView[];
  /** Each state the person's own room messages went through, in order: "bob #0043 sent". */
  trace: string[];
}

for (const server of serverKinds) {
  describeWithLab(`a room through the lab on ${server}`, { scenario: 'S1', server }, (lab) => {
    let folder: string;
    let alice: Person;
    let bob: Person;
    let carol: Person;
    const room = `burrow-lab-${Date.now().toString(36)}@${roomsDomain}`;

    async function start(name: Person['name'], nick: string, device: string = name): Promise<Person> {
      const account = lab().accounts.find((candidate) => candidate.username === name);
      if (!account) throw new Error(`the lab has no account ${name}`);
      const core = await DrivenCore.start(lab(), {
        dataDir: path.join(folder, device),
        community: { id: communityId, displayName: 'Lab', hostServer: lab().domain, username: name },
        password: account.password,
        caFile: lab().caFile,
      });
      const before = core.latestOf('account:changed');
      const person: Person = { name, nick, core, states: before ? [before] : [], trace: [] };
      core.on('account:changed', (state) => person.states.push(state));
      core.on('chat:message', (message) => {
        if (message.direction === 'out') person.trace.push(`${message.body} ${message.state} ${new Date().toISOString()}`);
      });
      return person;
    }

    const connected = (person: Person) =>
      person.core.reaches('account:changed', (state) => state.lifecycle.state === 'online', connectTimeoutMs, `${person.name} to connect`);

    /** Back in the room after the connection went: the core entered it again on its own. */
    const backInRoom = (person: Person) =>
      person.core.waitFor('room:changed', (view) => view.room === room && view.state === 'joined', reconnectTimeoutMs, `${person.name} back in the room`);

    beforeAll(async () => {
      folder = await mkdtemp(path.join(tmpdir(), 'burrow-rooms-lab-'));
      [alice, bob, carol] = await Promise.all([start('alice', 'Alice'), start('bob', 'Bob'), start('carol', 'Bob')]);
      await Promise.all([connected(alice), connected(bob), connected(carol)]);
    }, 60_000);

    afterAll(async () => {
      await Promise.all([alice?.core.stop(), bob?.core.stop(), carol?.core.stop()]);
      await rm(folder, { recursive: true, force: true });
    });

    it('lets Alice make a room on the service the server names, and Bob find it in the list and enter it', async () => {
      const directory = await alice.core.invoke('rooms:browse', { communityId });
      expect(directory.service).toBe(roomsDomain);

      const made = await alice.core.invoke('room:create', { communityId, name: room.split('@')[0]!, nick: alice.nick });
      expect(made).toMatchObject({ room, nick: 'Alice', state: 'joined' });

      const listed = await bob.core.invoke('rooms:browse', { communityId });
      expect(listed.rooms.map((each) => each.jid)).toContain(room);
      const aliceSeesBob = alice.core.waitFor('room:occupants', (delta) => delta.room === room && delta.upserted.some((occupant) => occupant.nick === 'Bob'), 10_000, 'Bob among the occupants');
      expect(await bob.core.invoke('room:join', { communityId, room, nick: bob.nick })).toMatchObject({ room, state: 'joined' });
      await aliceSeesBob;
      expect((await bob.core.invoke('room:occupants', { communityId, room })).map((occupant) => occupant.nick).sort()).toEqual(['Alice', 'Bob']);
      expect(await bob.core.invoke('rooms:get', { communityId })).toEqual([expect.objectContaining({ room, nick: 'Bob', state: 'joined' })]);
    });

    it('refuses Carol the nickname Bob holds, saying so', async () => {
      await expect(carol.core.invoke('room:join', { communityId, room, nick: carol.nick })).rejects.toThrow(/nickname “Bob” is taken/);
      expect(await carol.core.invoke('rooms:get', { communityId })).toEqual([]);
    });

    it('tells Bob the topic Alice sets, and marks the message that names him as a mention', async () => {
      const topic = bob.core.waitFor('room:changed', (view) => view.room === room && view.subject === 'Burrow in the lab', 10_000, 'the topic at Bob');
      await alice.core.invoke('room:setSubject', { communityId, room, subject: 'Burrow in the lab' });
      await topic;

      const mention = bob.core.waitFor('chat:message', (message) => message.peer === room && message.body === 'Bob, are you there?', 10_000, 'the mention at Bob');
      const plain = bob.core.waitFor('chat:message', (message) => message.peer === room && message.body === 'Hello, everyone', 10_000, 'the plain message at Bob');
      // The room's reflection tells Alice it has her message.
      const reflected = alice.core.waitFor('chat:message', (message) => message.body === 'Hello, everyone' && message.state === 'delivered', 10_000, 'the reflection at Alice');
      await alice.core.invoke('chat:send', { communityId, peer: room, body: 'Hello, everyone' });
      await alice.core.invoke('chat:send', { communityId, peer: room, body: 'Bob, are you there?' });
      expect(await mention).toMatchObject({ direction: 'in', sender: 'Alice', mention: true, state: 'received' });
      expect(await plain).not.toHaveProperty('mention');
      await reflected;
    });

    it('lets Bob write to Alice privately through the room, and Alice answer him there, apart from the room', async () => {
      const atAlice = alice.core.waitFor('chat:message', (message) => message.body === 'just between us', 15_000, 'Bob’s private message at Alice');
      await bob.core.invoke('chat:send', { communityId, peer: `${room}/Alice`, body: 'just between us' });
      expect(await atAlice).toMatchObject({ peer: `${room}/Bob`, direction: 'in', state: 'received' });
      // A conversation of its own, not a stranger's message request.
      expect((await alice.core.invoke('chat:conversations', { communityId })).map((conversation) => conversation.peer)).toContain(`${room}/Bob`);

      const atBob = bob.core.waitFor('chat:message', (message) => message.body === 'between us, then', 15_000, 'Alice’s answer at Bob');
      await alice.core.invoke('chat:send', { communityId, peer: `${room}/Bob`, body: 'between us, then' });
      expect(await atBob).toMatchObject({ peer: `${room}/Alice`, direction: 'in' });
      for (const person of [alice, bob]) {
        expect((await person.core.wholeHistory(communityId, room)).map((message) => message.body), `the room at ${person.name}`).not.toContain('just between us');
      }
    });

    it('delivers every room message once, in order, across a path cut and a server restart', async () => {
      const sent: Record<string, string[]> = { alice: [], bob: [] };
      const send = async (from: Person) => {
        for (let i = 0; i < perPhase; i++) {
          const body = `${from.name} #${String(sent[from.name]!.length).padStart(4, '0')}`;
          sent[from.name]!.push(body);
          await from.core.invoke('chat:send', { communityId, peer: room, body });
        }
      };
      const bothSend = () => Promise.all([send(alice), send(bob)]);

      await bothSend();
      await lab().cut([5222, 5223]);
      await bothSend();
      await Promise.all([alice, bob].map((person) =>
        person.core.waitFor('account:changed', (state) => state.lifecycle.state === 'online' && !/:522[23]/.test(JSON.stringify(state.lifecycle)), reconnectTimeoutMs, `${person.name} back over 443`),
      ));
      await lab().heal();
      await bothSend();

      const bothBack = Promise.all([backInRoom(alice), backInRoom(bob)]);
      await lab().restartServer();
      await bothSend();
      await bothBack;
      await bothSend();

      const pairs = [
        [bob, alice],
        [alice, bob],
      ] as const;
      const histories = await Promise.all(pairs.map(([receiver, sender]) => settledRoomHistory(receiver, (messages) => fromSender(messages, sender).length >= sent[sender.name]!.length)));
      pairs.forEach(([receiver, sender], i) => {
        if (fromSender(histories[i]!, sender).join() !== sent[sender.name]!.join()) {
          console.log(`[${server}] the room at ${receiver.name}:\n  ${describe(histories[i]!)}\n${sender.name}'s own, as they went:\n  ${sender.trace.join('\n  ')}\n${sender.core.stderr.join('').slice(-4000)}`);
        }
      });
      for (const [i, [receiver, sender]] of pairs.entries()) {
        expect(fromSender(histories[i]!, sender), `${sender.name}'s messages at ${receiver.name}`).toEqual(sent[sender.name]);
        const own = await settledRoomHistory(sender, (messages) => messages.every((message) => message.direction !== 'out' || message.state === 'delivered'));
        expect(own.filter((message) => message.direction === 'out' && message.state !== 'delivered'), `${sender.name}'s messages not reflected`).toEqual([]);
      }
    }, 600_000);

    it('brings the room to another device of Bob’s through his bookmarks', async () => {
      const laptop = await start('bob', 'Bob', 'bob-laptop');
      try {
        await laptop.core.reaches('room:changed', (view) => view.room === room && view.state === 'joined' && view.nick === 'Bob', 60_000, 'the bookmarked room on Bob’s laptop');
      } finally {
        await laptop.core.stop();
      }
    });

    it('enters the room again when it lost Alice and Bob without a word (its process crashed), and what each sent meanwhile arrives once', async () => {
      await lab().crashRoom(room);

      // Each one's message bounces as from someone not in the room: the self-ping confirms it, and each enters again.
      const bothBack = Promise.all([backInRoom(alice), backInRoom(bob)]);
      await alice.core.invoke('chat:send', { communityId, peer: room, body: 'Alice, after the crash' });
      await bob.core.invoke('chat:send', { communityId, peer: room, body: 'Bob, after the crash' });
      await bothBack;
      const pairs = [
        [alice, 'Bob, after the crash'],
        [bob, 'Alice, after the crash'],
      ] as const;
      for (const [receiver, body] of pairs) {
        const messages = await settledRoomHistory(receiver, (all) => all.some((message) => message.body === body));
        expect(messages.filter((message) => message.body === body), `${body} at ${receiver.name}`).toHaveLength(1);
      }
      for (const sender of [alice, bob]) {
        const own = await settledRoomHistory(sender, (all) => all.every((message) => message.direction !== 'out' || message.state === 'delivered'));
        expect(own.filter((message) => message.direction === 'out' && message.state !== 'delivered'), `${sender.name}'s messages not reflected`).toEqual([]);
      }
    }, 180_000);

    /** The room's conversation at `person`, once `done` holds (or after 60 s). */
    async function settledRoomHistory(person: Person, done: (messages: MessageView[]) => boolean): Promise<MessageView[]> {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const messages = await person.core.wholeHistory(communityId, room);
        if (done(messages) || Date.now() > deadline) return messages;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  });
}

/** Each message of a room's conversation on a line: its body, where it was placed, its archive id and state. */
function describe(messages: MessageView[]): string {
  return messages.map((message) => `${message.body} at ${message.at} (${message.direction}, ${message.state})`).join('\n  ');
}

/** The numbered messages of `sender` in a room's conversation, in its order. */
function fromSender(messages: MessageView[], sender: Person): string[] {
  return messages.map((message) => message.body).filter((body) => body.startsWith(`${sender.name} #`));
}
