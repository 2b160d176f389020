/**
 * Two real accounts on each of the lab's servers (Prosody and ejabberd), each a whole Burrow core in
 * the client's network: they add each other, see presence, chat, and (S12) keep chatting while the
 * lab cuts their path again and again and restarts the server — nothing lost, nothing duplicated,
 * each conversation in order. S12's figures go to reports/lab-matrix.json as S12-<server>.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { DrivenCore } from '../../../bench/core-client.js';
import { accountStatusLine } from '../../contract/account-words.js';
import { attemptCauseWords, pathLine, pathUrl } from '../../contract/attempt-words.js';
import { isTrying, onlinePath, type AccountView, type ContactView, type MessageView } from '../../contract/contract.js';
import { findScenario, serverKinds, type Lab, type ServerKind } from '../../../lab/lab.js';
import { describeWithLab } from '../../../lab/testing.js';
import { labMatrixFile, writeMatrixRows } from '../connection/testing/lab-connect.js';

const communityId = 'lab';
const connectTimeoutMs = 30_000;
/** The keepalive (a silent path noticed within 15 s), a new race, and one sign-in that may stall (a resume over BOSH, which Prosody 0.12 leaves unanswered). */
const reconnectTimeoutMs = 60_000;
/** LAB.md's S12: at least 1,000 messages each way, at least 6 cuts alternating direct ports and 443, and a server restart. */
const cuts = 6;
/** Two sending phases per cut (before and during it), three around the restart (before, during, after). */
const phases = cuts * 2 + 3;
const perPhase = Math.ceil(1000 / phases);
const messagesEachWay = phases * perPhase;

/** S12's row of reports/lab-matrix.json for one server. */
interface S12Row {
  scenario: `S12-${ServerKind}`;
  server: ServerKind;
  expected: string;
  pass: boolean;
  outcome: string;
  /** Messages sent, both ways together; lost, duplicated and out of order likewise. */
  sent: number;
  lost: number | null;
  duplicated: number | null;
  outOfOrder: number | null;
  /** Per cut: the ports black-holed, each account's way back (its races' attempts too), and how long until both were connected on another path (null: not within the timeout). */
  cuts: { ports: number[]; paths: string[]; recoveryMs: number | null; steps: string[]; races: string[] }[];
  /** From the server's restart until both accounts were connected again (null: not within the timeout). */
  restartRecoveryMs: number | null;
  /** How long the restart itself took, until the server listened again: the rest of restartRecoveryMs is Burrow's. */
  serverRestartMs: number | null;
  durationMs: number;
}

interface Person {
  name: 'alice' | 'bob';
  jid: string;
  core: DrivenCore;
  /** Every account state seen, in order. */
  states: AccountView[];
  /** The body of every message received, in the order it was added to the history. */
  arrivals: string[];
}

for (const server of serverKinds) {
  describeWithLab(`two accounts chatting through the lab on ${server} (S12)`, { scenario: 'S12', server }, (lab) => {
    let folder: string;
    let alice: Person;
    let bob: Person;

    async function start(name: Person['name']): Promise<Person> {
      const account = lab().accounts.find((candidate) => candidate.username === name);
      if (!account) throw new Error(`the lab has no account ${name}`);
      const core = await DrivenCore.start(lab(), {
        dataDir: path.join(folder, name),
        community: { id: communityId, displayName: 'Lab', hostServer: lab().domain, username: name },
        password: account.password,
        caFile: lab().caFile,
      });
      // The account may have changed state before these listeners were added.
      const before = core.latestOf('account:changed');
      const person: Person = { name, jid: `${name}@${lab().domain}`, core, states: before ? [before] : [], arrivals: [] };
      core.on('account:changed', (state) => person.states.push(state));
      core.on('chat:message', (message) => {
        if (message.direction === 'in') person.arrivals.push(message.body);
      });
      return person;
    }

    const connected = (person: Person) =>
      person.core
        .reaches('account:changed', (state) => state.lifecycle.state === 'online', connectTimeoutMs, `${person.name} to connect`)
        .catch((error: Error) => {
          throw withStates(error, person);
        });

    const contact = (person: Person, jid: string, test: (contact: ContactView) => boolean, what: string) =>
      person.core.waitFor('roster:delta', ({ upserted }) => upserted.some((item) => item.jid === jid && test(item)), 20_000, `${person.name}: ${what}`);

    beforeAll(async () => {
      folder = await mkdtemp(path.join(tmpdir(), 'burrow-messaging-lab-'));
      [alice, bob] = await Promise.all([start('alice'), start('bob')]);
      await Promise.all([connected(alice), connected(bob)]);
    }, 60_000);

    afterAll(async () => {
      await Promise.all([alice?.core.stop(), bob?.core.stop()]);
      await rm(folder, { recursive: true, force: true });
    });

    it('connects each account directly and says which path won', () => {
      for (const person of [alice, bob]) {
        const state = person.states.findLast((seen) => seen.lifecycle.state === 'online');
        expect(state?.jid).toBe(person.jid);
        expect(pathOf(state)).toMatch(/:522[23]/);
      }
    });

    it('lets them add each other, see each other’s presence change, and chat with delivery receipts', async () => {
      const bobAsked = bob.core.waitFor('roster:delta', ({ requestsAdded }) => requestsAdded.includes(alice.jid), 20_000, 'alice’s request to reach bob');
      await alice.core.invoke('roster:add', { communityId, jid: bob.jid, name: 'Bob' });
      await bobAsked;

      const aliceSeesBob = contact(alice, bob.jid, (item) => item.subscription === 'both' && item.availability === 'available', 'bob, both ways, available');
      const bobSeesAlice = contact(bob, alice.jid, (item) => item.subscription === 'both' && item.availability === 'available', 'alice, both ways, available');
      await bob.core.invoke('subscription:answer', { communityId, jid: alice.jid, accept: true });
      await Promise.all([aliceSeesBob, bobSeesAlice]);

      const bobAway = contact(alice, bob.jid, (item) => item.availability === 'away' && item.status === 'In a meeting', 'bob away, in a meeting');
      await bob.core.invoke('presence:set', { communityId, presence: { availability: 'away', status: 'In a meeting' } });
      await bobAway;
      const bobBack = contact(alice, bob.jid, (item) => item.availability === 'available', 'bob available again');
      await bob.core.invoke('presence:set', { communityId, presence: { availability: 'available', status: '' } });
      await bobBack;

      const arrives = bob.core.waitFor('chat:message', (message) => message.direction === 'in' && message.body === 'Hello Bob', 10_000, 'the message at bob');
      const sent = await alice.core.invoke('chat:send', { communityId, peer: bob.jid, body: 'Hello Bob' });
      expect(sent.state).toBe('queued');
      const delivered = alice.core.waitFor('chat:message', (message) => message.id === sent.id && message.state === 'delivered', 10_000, 'the receipt');
      expect((await arrives).peer).toBe(alice.jid);
      await delivered;

      const conversations = await bob.core.invoke('chat:conversations', { communityId });
      expect(conversations).toContainEqual(expect.objectContaining({ peer: alice.jid, unread: 1 }));
      await bob.core.invoke('chat:markRead', { communityId, peer: alice.jid });
      expect(await bob.core.invoke('chat:conversations', { communityId })).toContainEqual(expect.objectContaining({ peer: alice.jid, unread: 0 }));
    });

    it('shows bob typing in his conversation at alice, keyed by his bare JID though his device sends it', async () => {
      const typing = alice.core.waitFor('chat:peerState', ({ peer, state }) => peer === bob.jid && state === 'composing', 10_000, 'bob typing, at alice');
      await bob.core.invoke('chat:setState', { communityId, peer: alice.jid, state: 'composing' });
      await typing;
      const stopped = alice.core.waitFor('chat:peerState', ({ peer, state }) => peer === bob.jid && state === 'paused', 10_000, 'bob paused, at alice');
      await bob.core.invoke('chat:setState', { communityId, peer: alice.jid, state: 'paused' });
      await stopped;
    });

    it('corrects alice’s last message at both ends (XEP-0308), also when the correction is sent during a cut: once, edited, found by its new text', async () => {
      const correctedAtBob = (body: string) =>
        bob.core.waitFor('chat:message', (message) => message.direction === 'in' && message.body === body && message.edited, reconnectTimeoutMs, `the correction “${body}” at bob`);
      const arrives = bob.core.waitFor('chat:message', (message) => message.direction === 'in' && message.body === 'See you at 6', 10_000, 'the message at bob');
      const original = await alice.core.invoke('chat:send', { communityId, peer: bob.jid, body: 'See you at 6' });
      const atBob = await arrives;

      const live = correctedAtBob('See you at 7');
      expect(await alice.core.invoke('chat:correct', { communityId, peer: bob.jid, id: original.id, body: 'See you at 7' })).toMatchObject({
        id: original.id,
        body: 'See you at 7',
        edited: true,
      });
      expect((await live).id).toBe(atBob.id);

      await lab().cut([5222, 5223]);
      try {
        const duringCut = correctedAtBob('See you at 8');
        await alice.core.invoke('chat:correct', { communityId, peer: bob.jid, id: original.id, body: 'See you at 8' });
        expect((await duringCut).id).toBe(atBob.id);
      } finally {
        await lab().heal();
      }

      for (const [person, peer] of [[bob, alice], [alice, bob]] as const) {
        const history = await person.core.wholeHistory(communityId, peer.jid);
        expect(history.filter((message) => message.body.startsWith('See you at'))).toEqual([expect.objectContaining({ body: 'See you at 8', edited: true })]);
        const found = await person.core.invoke('search:messages', { query: 'See you at 8', communityId });
        expect(found.results.map(({ message }) => message.id)).toContain(history.find((message) => message.body === 'See you at 8')?.id);
      }
    });

    it(`S12: loses and duplicates nothing across ${cuts} path cuts and a server restart, each conversation in order`, async () => {
      const startedAt = Date.now();
      const row: S12Row = {
        scenario: `S12-${server}`,
        server,
        expected: `${findScenario('S12').expected}; ${messagesEachWay} messages each way, ${cuts} cuts alternating direct ports and 443, one server restart`,
        pass: false,
        outcome: '',
        sent: 0,
        lost: null,
        duplicated: null,
        outOfOrder: null,
        cuts: [],
        restartRecoveryMs: null,
        serverRestartMs: null,
        durationMs: 0,
      };
      const timings: string[] = [];
      const sent: Record<Person['name'], string[]> = { alice: [], bob: [] };
      const send = async (from: Person, to: Person) => {
        for (let i = 0; i < perPhase; i++) {
          const body = `${from.name} #${String(sent[from.name].length).padStart(4, '0')}`;
          sent[from.name].push(body);
          await from.core.invoke('chat:send', { communityId, peer: to.jid, body });
        }
      };
      const bothSend = async (phase: string) => {
        const at = Date.now();
        await Promise.all([send(alice, bob), send(bob, alice)]);
        timings.push(`${phase}: ${perPhase} each way queued in ${Date.now() - at} ms`);
      };
      const lastPathOf = (person: Person) => pathOf(person.states.findLast((state) => state.lifecycle.state === 'online'));
      /** A connected state on a port the cut leaves open (an account still on an open path has nothing to recover). */
      const onOpenPath = (state: AccountView | undefined, cutPorts: readonly number[]) =>
        state?.lifecycle.state === 'online' && !cutPorts.includes(Number(/:(\d+)/.exec(pathOf(state) ?? '')?.[1]));
      /** Both accounts connected on a path the cut leaves open, or null after the timeout: recorded, checked at the end. */
      const bothBack = (cutPorts: readonly number[], since: number) =>
        Promise.all(
          [alice, bob].map((person) =>
            onOpenPath(person.states.at(-1), cutPorts)
              ? undefined
              : person.core.waitFor('account:changed', (state) => onOpenPath(state, cutPorts), reconnectTimeoutMs, `${person.name} to reconnect`),
          ),
        )
          .then(() => Date.now() - since)
          .catch(() => null);

      try {
        for (let cut = 0; cut < cuts; cut++) {
          await bothSend(`before cut ${cut + 1}`);
          const before = { alice: lastPathOf(alice), bob: lastPathOf(bob) };
          const seen = { alice: alice.states.length, bob: bob.states.length };
          // Alternately the direct ports and 443, so that each cut forces a switch of transport.
          const ports = cut % 2 === 0 ? [5222, 5223] : [443];
          const cutAt = Date.now();
          await lab().cut(ports);
          const back = bothBack(ports, cutAt);
          await bothSend(`during cut ${cut + 1}`);
          const recoveryMs = await back;
          const record = {
            ports,
            paths: [alice, bob].map((person) => `${person.name}: ${before[person.name]} → ${lastPathOf(person)}`),
            recoveryMs,
            steps: [alice, bob].map((person) => `${person.name}: ${steps(person.states.slice(seen[person.name]))}`),
            races: [alice, bob].flatMap((person) => races(person, person.states.slice(seen[person.name]))),
          };
          row.cuts.push(record);
          console.log(`[${server}] cut ${cut + 1} (${ports.join('+')}): ${recoveryMs === null ? `not back within ${reconnectTimeoutMs} ms` : `both back in ${recoveryMs} ms`}\n  ${[...record.paths, ...record.steps, ...record.races].join('\n  ')}`);
        }
        await lab().heal();

        await bothSend('before the restart');
        const seen = { alice: alice.states.length, bob: bob.states.length };
        const backAfterRestart = Promise.all([alice, bob].map((person) => reconnectedAfterDrop(person)));
        const restartAt = Date.now();
        await lab().restartServer();
        row.serverRestartMs = Date.now() - restartAt;
        timings.push(`server restart took ${row.serverRestartMs} ms`);
        await bothSend('during the restart');
        row.restartRecoveryMs = await backAfterRestart.then(
          () => Date.now() - restartAt,
          (error: Error) => {
            console.log(`[${server}] ${error.message}`);
            return null;
          },
        );
        console.log(
          `[${server}] restart: ${row.restartRecoveryMs === null ? 'not back within 60 s' : `both back ${row.restartRecoveryMs} ms after it began`}\n  ${[alice, bob].map((person) => `${person.name}: ${steps(person.states.slice(seen[person.name]))}`).join('\n  ')}`,
        );
        await bothSend('after the restart');
        row.sent = sent.alice.length + sent.bob.length;

        const deliveredAt = Date.now();
        const [aliceCount, bobCount] = await Promise.all([receivedAll(bob, alice, sent.alice.length), receivedAll(alice, bob, sent.bob.length)]);
        timings.push(`last messages delivered ${Date.now() - deliveredAt} ms after the last was queued`);
        // The conversation as the user is left with it: once the archive has confirmed the order of
        // what came during the switches (a server may deliver a held message after a newer one).
        const caughtUpAt = Date.now();
        await Promise.all([alice, bob].map((person) => caughtUp(person)));
        timings.push(`both caught up with the archive ${Date.now() - caughtUpAt} ms later`);
        const atBob = await bob.core.wholeHistory(communityId, alice.jid);
        const atAlice = await alice.core.wholeHistory(communityId, bob.jid);
        const aliceTally = tally(sent.alice, atBob, bob.arrivals);
        const bobTally = tally(sent.bob, atAlice, alice.arrivals);
        row.lost = aliceTally.lost + bobTally.lost;
        row.duplicated = aliceTally.duplicated + bobTally.duplicated;
        row.outOfOrder = aliceTally.outOfOrder + bobTally.outOfOrder;
        row.outcome = [
          `alice → bob: sent ${sent.alice.length}, received ${aliceCount}, lost ${aliceTally.lost}${await stillAtSender(alice, bob, atBob)}, duplicated ${aliceTally.duplicated}, out of order ${aliceTally.outOfOrder}`,
          `bob → alice: sent ${sent.bob.length}, received ${bobCount}, lost ${bobTally.lost}${await stillAtSender(bob, alice, atAlice)}, duplicated ${bobTally.duplicated}, out of order ${bobTally.outOfOrder}`,
          `recovery per cut (ms): ${row.cuts.map((each) => each.recoveryMs ?? 'none').join(', ')}; after the restart: ${row.restartRecoveryMs ?? 'none'}`,
        ].join('; ');
        console.log([`[${server}] S12:`, ...timings, ...row.outcome.split('; ')].join('\n  '));

        expect(sent.alice.length).toBeGreaterThanOrEqual(1000);
        expect(aliceTally).toEqual({ lost: 0, duplicated: 0, outOfOrder: 0 });
        expect(bobTally).toEqual({ lost: 0, duplicated: 0, outOfOrder: 0 });
        expect(
          row.cuts.map((each) => each.recoveryMs !== null),
          'every cut recovered within the timeout',
        ).toEqual(row.cuts.map(() => true));
        expect(row.restartRecoveryMs, 'recovered from the restart within the timeout').not.toBeNull();

        // Every message of each sender's own history reached the server: none is left queued once the
        // last acknowledgements and receipts are in.
        for (const [from, to] of [
          [alice, bob],
          [bob, alice],
        ] as const) {
          expect(await unacknowledged(from, to)).toEqual([]);
        }
        row.pass = true;
      } catch (error) {
        row.outcome = [row.outcome, `check failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`].filter(Boolean).join('; ');
        throw error;
      } finally {
        row.sent = sent.alice.length + sent.bob.length;
        row.durationMs = Date.now() - startedAt;
        writeMatrixRows(labMatrixFile, [row]);
        keepServerLog(lab(), `${row.scenario}.server.log`);
      }
    }, 1_200_000);

    /** Online, with no archive fill under way. */
    const caughtUp = (person: Person) =>
      person.core.reaches('account:changed', (state) => state.lifecycle.state === 'online' && state.catchingUp === null, 180_000, `${person.name} to catch up with the archive`);

    /** The server went away and came back: the account noticed and connected again. */
    function reconnectedAfterDrop(person: Person): Promise<unknown> {
      return new Promise((resolve, reject) => {
        let dropped = false;
        const timer = setTimeout(() => reject(withStates(new Error(`${person.name} did not reconnect after the server restart`), person)), 60_000);
        const stop = person.core.on('account:changed', (state) => {
          if (state.lifecycle.state !== 'online') dropped = true;
          else if (dropped) {
            clearTimeout(timer);
            stop();
            resolve(state);
          }
        });
      });
    }

    /** What the sender's own history says of the messages the receiver does not hold: " (at the sender: 40 queued, 36 sent)". */
    async function stillAtSender(sender: Person, receiver: Person, receiverHistory: MessageView[]): Promise<string> {
      const received = new Set(receiverHistory.filter((message) => message.direction === 'in').map((message) => message.body));
      const own = await sender.core.wholeHistory(communityId, receiver.jid);
      const missing = own.filter((message) => message.direction === 'out' && message.body.startsWith(`${sender.name} #`) && !received.has(message.body));
      if (missing.length === 0) return '';
      const counts = new Map<string, number>();
      for (const message of missing) counts.set(message.state, (counts.get(message.state) ?? 0) + 1);
      return ` (at the sender: ${[...counts].map(([state, count]) => `${count} ${state}`).join(', ')})`;
    }

    /** The sender's own messages still queued or failed, after waiting up to 20 s for them to clear. */
    async function unacknowledged(sender: Person, peer: Person): Promise<MessageView[]> {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const own = (await sender.core.wholeHistory(communityId, peer.jid)).filter((message) => message.direction === 'out');
        const pending = own.filter((message) => message.state === 'queued' || message.state === 'failed');
        if (pending.length === 0 || Date.now() > deadline) return pending;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }

    /** Waits until `receiver` holds `count` messages from `sender`; returns how many it holds. */
    async function receivedAll(receiver: Person, sender: Person, count: number): Promise<number> {
      // After the restart, messages the server may have lost go again, and a busy server takes its time with them.
      const deadline = Date.now() + 120_000;
      for (;;) {
        const inbound = (await receiver.core.wholeHistory(communityId, sender.jid)).filter((message) => message.direction === 'in');
        const bodies = inbound.filter((message) => message.body.startsWith(`${sender.name} #`));
        if (bodies.length >= count || Date.now() > deadline) return bodies.length;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  });
}

/** Keeps the server's main log beside the lab matrix, for reading what the server saw after the lab is gone. */
function keepServerLog(lab: Lab, name: string): void {
  const [log] = lab.serverLogs;
  if (log && existsSync(log)) copyFileSync(log, path.join(path.dirname(labMatrixFile), name));
}

/** "alice #0132–#0198, #0307" for these bodies, in order. */
function ranges(bodies: string[]): string {
  const numbers = bodies.map((body) => Number(body.slice(-4))).sort((a, b) => a - b);
  const spans: [number, number][] = [];
  for (const n of numbers) {
    const last = spans.at(-1);
    if (last && n === last[1] + 1) last[1] = n;
    else spans.push([n, n]);
  }
  const name = bodies[0]?.split(' ')[0] ?? '';
  const label = (n: number) => `#${String(n).padStart(4, '0')}`;
  return `${name} ${spans.map(([from, to]) => (from === to ? label(from) : `${label(from)}–${label(to)}`)).join(', ')}`;
}

/** The winning path while online, else null. */
function pathOf(state: AccountView | undefined): string | null {
  return state ? onlinePath(state.lifecycle) : null;
}

const trying = ({ lifecycle }: AccountView) => isTrying(lifecycle);

/** The account's way back, e.g. "Lab: reconnecting (The connection was lost.) → connected (resumed)". */
function steps(states: AccountView[]): string {
  const described = states.map((state) =>
    state.lifecycle.state === 'online' ? `connected (${state.lifecycle.resumed ? 'resumed' : 'fresh'}) ${onlinePath(state.lifecycle)}` : accountStatusLine(state),
  );
  return described.filter((step, i) => step !== described[i - 1]).join(' → ');
}

/** Each race the account finished in these states: what every attempt did, e.g. "bob race (fresh, 812 ms): WebSocket wss://…/ws won at 790 ms; …". */
function races(person: Person, states: AccountView[]): string[] {
  const finished = states.filter((state, i) => state.attempts.length > 0 && !trying(state) && states[i - 1] !== undefined && trying(states[i - 1]!));
  return finished.map((state) => {
    const attempts = state.attempts
      .filter((attempt) => attempt.outcome !== 'not-started')
      .map((attempt) => `${pathLine(attempt.path)} ${attempt.outcome} at ${attempt.endedAtMs ?? '?'} ms${attempt.cause ? ` (${attemptCauseWords(attempt.cause)})` : ''}`);
    const { lifecycle } = state;
    const result = lifecycle.state === 'online' ? `${lifecycle.resumed ? 'resumed' : 'fresh'}, ${lifecycle.connectMs} ms` : accountStatusLine(state);
    return `${person.name} race (${result}): ${attempts.join('; ')}`;
  });
}

function withStates(error: Error, person: Person): Error {
  return new Error(`${error.message}; its last states: ${describeStates(person.states.slice(-40))}\n${person.core.stderr.join('')}`);
}

function describeStates(states: AccountView[]): string {
  return states
    .map((state) => `${accountStatusLine(state)} ${pathOf(state) ?? ''} [${state.attempts.map((attempt) => `${pathUrl(attempt.path)}:${attempt.outcome}`).join(' ')}]`)
    .join('\n');
}

/**
 * Counts what the receiver's history lost, duplicated and put out of order; each message out of
 * order is printed with its neighbour, their times and the order they arrived in (`arrivals`).
 */
function tally(sent: string[], history: MessageView[], arrivals: string[]): { lost: number; duplicated: number; outOfOrder: number } {
  const inbound = history.filter((message) => message.direction === 'in' && /#\d{4}$/.test(message.body));
  const received = inbound.map((message) => message.body);
  const counts = new Map<string, number>();
  for (const body of received) counts.set(body, (counts.get(body) ?? 0) + 1);
  let outOfOrder = 0;
  for (let i = 1; i < received.length; i++) {
    if (received[i]! >= received[i - 1]!) continue;
    outOfOrder += 1;
    const describe = (message: MessageView) => `${message.body} at ${message.at}, arrived ${arrivals.indexOf(message.body) + 1}. of ${arrivals.length}`;
    console.log(`out of order: ${describe(inbound[i]!)} after ${describe(inbound[i - 1]!)}`);
  }
  const lost = sent.filter((body) => !counts.has(body));
  if (lost.length > 0) console.log(`lost: ${ranges(lost)}`);
  return {
    lost: lost.length,
    duplicated: [...counts.values()].reduce((sum, count) => sum + count - 1, 0),
    outOfOrder,
  };
}
