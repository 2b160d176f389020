import { appendFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { Outbox } from './outbox.js';

let folder: string;
const opened: Outbox[] = [];
let faults: { level: string; message: string }[] = [];

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'burrow-outbox-'));
  faults = [];
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((outbox) => outbox.close()));
  await rm(folder, { recursive: true, force: true });
});

/** Opening the folder again is what the next start after a crash does: nothing in memory survives. */
async function openOutbox(): Promise<Outbox> {
  let counter = 0;
  const outbox = await Outbox.open(folder, {
    newOriginId: () => `origin-${opened.length}-${++counter}`,
    now: () => new Date('2026-11-22T10:00:00Z'),
    reportFault: (level, message) => faults.push({ level, message }),
  });
  opened.push(outbox);
  return outbox;
}

describe('the outbox', () => {
  it('has a message on disk before it is sent, so a crash before the ack keeps it with its origin-id', async () => {
    const outbox = await openOutbox();
    const stored = await outbox.store({ to: 'bob@example.org', body: 'hello' });
    outbox.markSent(stored.originId);

    const afterCrash = await openOutbox();

    expect(afterCrash.unacknowledged()).toEqual([
      { originId: stored.originId, to: 'bob@example.org', body: 'hello', createdAt: '2026-11-22T10:00:00.000Z', state: 'queued' },
    ]);
  });

  it('lets a message go only when the server acknowledges it, for good', async () => {
    const outbox = await openOutbox();
    const first = await outbox.store({ to: 'bob@example.org', body: 'one' });
    const second = await outbox.store({ to: 'bob@example.org', body: 'two' });

    expect(await outbox.markAcked(first.originId, 'never-stored')).toEqual([first]);

    expect(outbox.unacknowledged().map((message) => message.body)).toEqual(['two']);
    expect((await openOutbox()).unacknowledged().map((message) => message.originId)).toEqual([second.originId]);
  });

  it('hands back every unacknowledged message, sent or not, in the order written, for re-sending after a failed resume', async () => {
    const outbox = await openOutbox();
    const bodies = ['a', 'b', 'c', 'd'];
    const stored = [];
    for (const body of bodies) stored.push(await outbox.store({ to: 'bob@example.org', body }));
    for (const message of stored.slice(0, 3)) outbox.markSent(message.originId);
    await outbox.markAcked(stored[0]!.originId);

    expect(outbox.unacknowledged().map(({ body, state }) => [body, state])).toEqual([
      ['b', 'sent'],
      ['c', 'sent'],
      ['d', 'queued'],
    ]);
    expect(outbox.unacknowledged().map((message) => message.originId)).toEqual(stored.slice(1).map((message) => message.originId));
  });

  it('keeps a bounced message aside until the user retries it in its old place, or discards it', async () => {
    const outbox = await openOutbox();
    const bounced = await outbox.store({ to: 'bob@example.org', body: 'one' });
    await outbox.store({ to: 'bob@example.org', body: 'two' });
    await outbox.markFailed(bounced.originId, 'service-unavailable');

    const reopened = await openOutbox();
    expect(reopened.unacknowledged().map((message) => message.body)).toEqual(['two']);
    expect(reopened.get(bounced.originId)).toMatchObject({ state: 'failed', failure: 'service-unavailable' });

    await reopened.retry(bounced.originId);
    expect(reopened.unacknowledged().map((message) => message.body)).toEqual(['one', 'two']);
    expect(reopened.get(bounced.originId)).not.toHaveProperty('failure');

    await reopened.discard(bounced.originId);
    expect((await openOutbox()).list().map((message) => message.body)).toEqual(['two']);
  });

  it('takes back messages the server lost, each in the place its creation gives it, ahead of newer ones, also after a crash', async () => {
    let second = 0;
    const outbox = await Outbox.open(folder, { now: () => new Date(Date.UTC(2026, 10, 22, 10, 0, second++)) });
    opened.push(outbox);
    const [one, two, three] = [await outbox.store({ to: 'bob@example.org', body: 'one' }), await outbox.store({ to: 'bob@example.org', body: 'two' }), await outbox.store({ to: 'bob@example.org', body: 'three' })];
    await outbox.markAcked(one.originId, two.originId);
    const four = await outbox.store({ to: 'bob@example.org', body: 'four' });

    await outbox.requeue(two, one, two);

    expect(outbox.unacknowledged().map((message) => message.body)).toEqual(['one', 'two', 'three', 'four']);
    expect((await openOutbox()).unacknowledged().map((message) => message.originId)).toEqual([one, two, three, four].map((message) => message.originId));
  });

  it('survives a line torn by a crash in the middle of a write', async () => {
    const outbox = await openOutbox();
    await outbox.store({ to: 'bob@example.org', body: 'kept' });
    await outbox.close();
    await appendFile(path.join(folder, 'outbox.jsonl'), '\n{"kind":"stored","message":{"originId":"torn","to');

    const afterCrash = await openOutbox();
    await afterCrash.store({ to: 'bob@example.org', body: 'after' });

    expect((await openOutbox()).list().map((message) => message.body)).toEqual(['kept', 'after']);
    expect(faults).toEqual([{ level: 'warning', message: expect.stringMatching(/^A message to someone was cut off in the outbox .* it began: “”$/) }]);
  });

  it('recovers a message whose line was torn after its text, and sends it like any queued one', async () => {
    const line = JSON.stringify({ kind: 'stored', message: { originId: 'torn', to: 'bob@example.org', body: 'see you at 5', createdAt: '2026-11-22T09:59:00.000Z', state: 'queued' } });
    await appendFile(path.join(folder, 'outbox.jsonl'), `\n${line.slice(0, line.indexOf('"createdAt"') + 20)}`);

    const afterCrash = await openOutbox();

    expect(afterCrash.unacknowledged()).toEqual([{ originId: 'torn', to: 'bob@example.org', body: 'see you at 5', createdAt: '2026-11-22T10:00:00.000Z', state: 'queued' }]);
    expect(faults).toEqual([{ level: 'info', message: expect.stringMatching(/^A message to bob@example.org was half-written .* recovered and will be sent: “see you at 5”$/) }]);
    expect((await openOutbox()).unacknowledged().map((message) => message.originId)).toEqual(['torn']);
  });

  it('keeps a correction a correction, with the message it replaces, across a restart and a line torn after its text', async () => {
    const outbox = await openOutbox();
    await outbox.store({ to: 'bob@example.org', body: 'see you at 6', replaces: 'o-1' });
    await outbox.close();
    const line = JSON.stringify({ kind: 'stored', message: { originId: 'torn', to: 'bob@example.org', replaces: 'o-2', body: 'no, at 7', createdAt: '2026-11-22T09:59:00.000Z', state: 'queued' } });
    await appendFile(path.join(folder, 'outbox.jsonl'), `\n${line.slice(0, line.indexOf('"createdAt"') + 20)}`);

    const afterCrash = await openOutbox();

    expect(afterCrash.unacknowledged().map(({ body, replaces }) => ({ body, replaces }))).toEqual([
      { body: 'see you at 6', replaces: 'o-1' },
      { body: 'no, at 7', replaces: 'o-2' },
    ]);
  });

  it('says which message a line torn inside its text held, and how it began, rather than drop it silently', async () => {
    await appendFile(path.join(folder, 'outbox.jsonl'), '\n{"kind":"stored","message":{"originId":"torn","to":"bob@example.org","body":"the door code is 4');

    expect((await openOutbox()).list()).toEqual([]);
    expect(faults).toEqual([
      {
        level: 'warning',
        message:
          'A message to bob@example.org was cut off in the outbox when Burrow last stopped and could not be recovered, so it was not sent. Please send it again; it began: “the door code is 4”',
      },
    ]);
  });

  it('refuses to open, saying why, when its journal cannot be read (a folder in its place: EISDIR)', async () => {
    await mkdir(path.join(folder, 'outbox.jsonl'));

    await expect(openOutbox()).rejects.toThrow(/EISDIR/);
    expect(faults).toEqual([{ level: 'error', message: expect.stringMatching(/^Burrow cannot read its outbox .*outbox\.jsonl \(EISDIR.* no message is lost\.$/) }]);
  });

  it('compacts its journal so that it does not grow with every message ever sent', async () => {
    const outbox = await openOutbox();
    for (let index = 0; index < 300; index += 1) {
      const message = await outbox.store({ to: 'bob@example.org', body: `m${index}` });
      await outbox.markAcked(message.originId);
    }
    await outbox.store({ to: 'bob@example.org', body: 'last' });

    const journal = await readFile(path.join(folder, 'outbox.jsonl'), 'utf8');
    expect(journal.split('\n').filter(Boolean).length).toBeLessThan(300);
    expect((await openOutbox()).list().map((message) => message.body)).toEqual(['last']);
  });
});
