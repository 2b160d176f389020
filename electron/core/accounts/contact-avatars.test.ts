import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { avatarId } from '../session/stanzas/avatar.js';
import { ignored, type Ignored } from '../session/stanzas/parsed.js';
import { parseXml } from '../session/stanzas/xml.js';
import { StanzaError } from '../stream/iq-caller.js';
import { AvatarCache } from './avatar-cache.js';
import { ContactAvatars } from './contact-avatars.js';

const png = new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));
const id = avatarId(png);
const bob = 'bob@example.org';
const fromBob = (source: 'pep' | 'vcard', avatar: string | null = id) => ({ from: bob, id: avatar, source });

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'burrow-contact-avatars-'));
});
afterEach(() => rm(folder, { recursive: true, force: true }));

type Fetched = Uint8Array | null | Ignored;

async function setUp(fetched: () => Fetched | Promise<Fetched> = () => png) {
  const cache = AvatarCache.open(folder);
  const fetch = vi.fn(async (_jid: string, _id: string, _source: 'pep' | 'vcard') => fetched());
  const publish = vi.fn(async () => {});
  const changed = vi.fn();
  const reportFault = vi.fn();
  const avatars = new ContactAvatars({ cache, session: () => ({ fetch, publish }), changed, reportFault });
  return { cache, fetch, publish, changed, reportFault, avatars };
}

describe("contacts' avatars", () => {
  it('fetches an avatar by its id once, keeps it, and tells the change for that contact', async () => {
    const { avatars, fetch, changed, cache } = await setUp();
    await avatars.announced(fromBob('pep'));
    await avatars.announced(fromBob('pep'));
    expect(fetch.mock.calls).toEqual([[bob, id, 'pep']]);
    expect(changed.mock.calls).toEqual([[bob, expect.objectContaining({ id, type: 'image/png' })]]);
    expect(await cache.read(id)).toMatchObject({ id, type: 'image/png' });
  });

  it('asks once for an avatar announced twice at the same time', async () => {
    const { avatars, fetch } = await setUp();
    await Promise.all([avatars.announced(fromBob('pep')), avatars.announced(fromBob('pep'))]);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('fetches nothing after a restart for an avatar already on disk', async () => {
    const first = await setUp();
    await first.avatars.announced(fromBob('pep'));
    // Who shows which is written behind the change.
    await vi.waitFor(() => expect(AvatarCache.open(folder).idOf(bob)).toBe(id));
    const second = await setUp();
    await second.avatars.announced({ from: 'carol@example.org', id, source: 'vcard' });
    expect(second.fetch).not.toHaveBeenCalled();
    expect(second.changed).toHaveBeenCalledWith('carol@example.org', expect.objectContaining({ id }));
    expect(await second.avatars.shownBy(bob)).toMatchObject({ id });
  });

  it('falls back to the vCard for a contact who announces a hash in presence', async () => {
    const { avatars, fetch, changed } = await setUp();
    await avatars.announced(fromBob('vcard'));
    expect(fetch.mock.calls).toEqual([[bob, id, 'vcard']]);
    expect(changed).toHaveBeenCalledWith(bob, expect.objectContaining({ id }));
  });

  it('follows PEP over the vCard for a contact who publishes both, and a removal', async () => {
    const { avatars, changed } = await setUp();
    await avatars.announced(fromBob('pep'));
    await avatars.announced(fromBob('vcard', null));
    expect(changed).toHaveBeenCalledTimes(1);
    await avatars.announced(fromBob('pep', null));
    expect(changed).toHaveBeenLastCalledWith(bob, null);
    expect(await avatars.shownBy(bob)).toBeNull();
  });

  it('shows nothing, with a notice, for bytes that are not the announced image, and does not ask again in this run', async () => {
    const { avatars, fetch, changed, reportFault } = await setUp(() => new TextEncoder().encode('<svg/>'));
    await avatars.announced(fromBob('pep'));
    await avatars.announced(fromBob('pep'));
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(changed).not.toHaveBeenCalled();
    expect(reportFault).toHaveBeenCalledWith('warning', expect.stringContaining(`${bob}'s avatar was not shown`));
  });

  it('tells why when the data cannot be read, or their server refuses', async () => {
    const unreadable = await setUp(() => ignored('avatar x is not base64'));
    await unreadable.avatars.announced(fromBob('pep'));
    expect(unreadable.reportFault).toHaveBeenCalledWith('warning', expect.stringContaining('not base64'));

    const refusal = parseXml('<iq type="error"><error type="cancel"><item-not-found xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>')!;
    const refused = await setUp(() => Promise.reject(StanzaError.from(refusal)));
    await refused.avatars.announced(fromBob('pep'));
    await refused.avatars.announced(fromBob('pep'));
    expect(refused.fetch).toHaveBeenCalledTimes(1);
    expect(refused.changed).not.toHaveBeenCalled();
    expect(refused.reportFault).toHaveBeenCalledWith('info', expect.stringContaining(`${bob}'s avatar could not be fetched`));
  });

  it('asks again on the next announcement after the connection was lost under the request', async () => {
    const { avatars, fetch } = await setUp(() => Promise.reject(new Error('the account is not connected')));
    await avatars.announced(fromBob('pep'));
    await avatars.announced(fromBob('pep'));
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});

describe("one's own avatar", () => {
  it('is published, kept on disk and shown as the user’s', async () => {
    const { avatars, publish, cache, changed } = await setUp();
    expect(await avatars.publishOwn('alice@example.org', png)).toMatchObject({ id, type: 'image/png' });
    expect(publish).toHaveBeenCalledWith(expect.objectContaining({ id }));
    expect(await cache.has(id)).toBe(true);
    expect(changed).toHaveBeenCalledWith('alice@example.org', expect.objectContaining({ id }));
    await avatars.publishOwn('alice@example.org', null);
    expect(publish).toHaveBeenLastCalledWith(null);
    expect(changed).toHaveBeenLastCalledWith('alice@example.org', null);
  });

  it('is refused before anything is sent when it is not an image Burrow takes', async () => {
    const { avatars, publish } = await setUp();
    await expect(avatars.publishOwn('alice@example.org', new TextEncoder().encode('<svg/>'))).rejects.toThrow(/cannot be your avatar/);
    expect(publish).not.toHaveBeenCalled();
  });
});
