/**
 * Avatars (XEP-0084, with the vCard photo beside it) on each of the lab's servers: Alice's Burrow
 * publishes an avatar, and Bob's is told of it through the PEP notification its entity capabilities
 * (XEP-0115) ask the server for, fetches it and shows it; a Burrow started again over the same
 * folder shows it from disk before it signs in. Something that is not an image is refused before
 * anything is published, and a removal reaches Bob too.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';

import { DrivenCore } from '../../../bench/core-client.js';
import { serverKinds } from '../../../lab/lab.js';
import { describeWithLab } from '../../../lab/testing.js';
import { avatarId } from '../session/stanzas/avatar.js';

const communityId = 'lab';
const toldTimeoutMs = 20_000;

/** A 1×1 PNG, then bytes of this run's own (after IEND, which image decoders pass over): a new avatar id each run. */
const avatar = Buffer.concat([
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'),
  randomBytes(64),
]);
const data = avatar.toString('base64');
const hash = avatarId(avatar);

for (const server of serverKinds) {
  describeWithLab(`avatars through the lab on ${server}`, { scenario: 'S1', server }, (lab) => {
    let folder: string;
    let alice: DrivenCore;
    let bob: DrivenCore;
    const jid = (name: string) => `${name}@${lab().domain}`;

    async function start(name: 'alice' | 'bob' | 'carol'): Promise<DrivenCore> {
      const account = lab().accounts.find((candidate) => candidate.username === name)!;
      return DrivenCore.start(lab(), {
        dataDir: path.join(folder, name),
        community: { id: communityId, displayName: 'Lab', hostServer: lab().domain, username: name },
        password: account.password,
        caFile: lab().caFile,
      });
    }
    const connected = (core: DrivenCore, name: string) =>
      core.reaches('account:changed', (state) => state.lifecycle.state === 'online', 30_000, `${name} to connect`);

    beforeAll(async () => {
      folder = await mkdtemp(path.join(tmpdir(), 'burrow-avatars-lab-'));
      [alice, bob] = await Promise.all([start('alice'), start('bob')]);
      await Promise.all([connected(alice, 'alice'), connected(bob, 'bob')]);
      // Each sees the other's presence (Alice asks, Bob accepts and asks back): PEP notifications go to those who do, once
      // Bob's presence (told again when Alice accepts) has told her server's PEP, by its caps, what he wants notified.
      const contactOf = async (core: DrivenCore, other: string) => (await core.invoke('roster:get', { communityId })).contacts.find((contact) => contact.jid === other);
      await alice.invoke('roster:add', { communityId, jid: jid('bob') });
      await vi.waitFor(async () => expect((await bob.invoke('roster:get', { communityId })).requests).toContain(jid('alice')), { timeout: 20_000, interval: 200 });
      await bob.invoke('subscription:answer', { communityId, jid: jid('alice'), accept: true });
      for (const [core, other] of [
        [alice, jid('bob')],
        [bob, jid('alice')],
      ] as const) {
        await vi.waitFor(async () => expect((await contactOf(core, other))?.subscription).toBe('both'), { timeout: 20_000, interval: 200 });
      }
    }, 90_000);

    afterAll(async () => {
      await Promise.all([alice?.stop(), bob?.stop()]);
      await rm(folder, { recursive: true, force: true });
    });

    it('refuses to publish what is not an image, before anything is sent', async () => {
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64');
      await expect(alice.invoke('avatars:setOwn', { communityId, data: svg })).rejects.toThrow(/cannot be your avatar/);
    });

    it('tells Bob of the avatar Alice publishes, with its bytes', async () => {
      const toldBob = bob.waitFor('avatars:changed', ({ jid: who, image }) => who === jid('alice') && image?.hash === hash, toldTimeoutMs, "Alice's avatar at Bob's");
      const own = await alice.invoke('avatars:setOwn', { communityId, data });
      expect(own).toEqual({ communityId, jid: jid('alice'), image: { hash, mime: 'image/png', data } });
      expect(await toldBob).toEqual({ communityId, jid: jid('alice'), image: { hash, mime: 'image/png', data } });
      expect(await bob.invoke('avatars:get', { communityId, jid: jid('alice') })).toMatchObject({ image: { hash } });
    });

    it("shows Alice's avatar from disk when Bob's Burrow starts again", async () => {
      await bob.stop();
      bob = await start('bob');
      // The account's files are open once it knows its JID.
      await bob.reaches('account:changed', (state) => state.jid === jid('bob'), 20_000, "Bob's account files open");
      expect(await bob.invoke('avatars:get', { communityId, jid: jid('alice') })).toMatchObject({ image: { hash, data } });
      await connected(bob, 'bob');
    });

    it("shows a contact's avatar that is only in their vCard, announced by its hash in presence (XEP-0153)", async (context) => {
      const carolsAvatar = Buffer.concat([avatar, randomBytes(8)]);
      if (!(await lab().storeVcardPhotoOnly('carol', 'image/png', carolsAvatar.toString('base64')))) {
        context.skip(`${server} keeps every vCard photo in PEP too: a contact with a vCard photo alone cannot be made`);
      }
      const carol = await start('carol');
      try {
        await connected(carol, 'carol');
        const toldBob = bob.waitFor('avatars:changed', ({ jid: who, image }) => who === jid('carol') && image?.hash === avatarId(carolsAvatar), toldTimeoutMs, "Carol's vCard avatar at Bob's");
        await carol.invoke('roster:add', { communityId, jid: jid('bob') });
        await vi.waitFor(async () => expect((await bob.invoke('roster:get', { communityId })).requests).toContain(jid('carol')), { timeout: 20_000, interval: 200 });
        await bob.invoke('subscription:answer', { communityId, jid: jid('carol'), accept: true });
        expect((await toldBob).image).toEqual({ hash: avatarId(carolsAvatar), mime: 'image/png', data: carolsAvatar.toString('base64') });
      } finally {
        await carol.stop();
      }
    });

    it('tells Bob when Alice removes her avatar', async () => {
      const toldBob = bob.waitFor('avatars:changed', ({ jid: who, image }) => who === jid('alice') && image === null, toldTimeoutMs, "Alice's avatar gone at Bob's");
      expect(await alice.invoke('avatars:setOwn', { communityId, data: null })).toMatchObject({ image: null });
      await toldBob;
    });
  });
}
