import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { avatarId } from '../session/stanzas/avatar.js';
import { parseXml, type Element } from '../session/stanzas/xml.js';
import { AvatarCache } from './avatar-cache.js';
import { ContactAvatars, publishOwnAvatar } from './contact-avatars.js';

const png = new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));
const id = avatarId(png);
const base64 = Buffer.from(png).toString('base64');
const bob = 'bob@example.org';

const pepAnswer = (data = base64) =>
  parseXml(`<iq type="result" from="${bob}"><pubsub xmlns="http://jabber.org/protocol/pubsub"><items node="urn:xmpp:avatar:data"><item id="${id}"><data xmlns="urn:xmpp:avatar:data">${data}</data></item></items></pubsub></iq>`)!;
const vcardAnswer = () => parseXml(`<iq type="result" from="${bob}"><vCard xmlns="vcard-temp"><PHOTO><TYPE>image/png</TYPE><BINVAL>${base64}</BINVAL></PHOTO></vCard></iq>`)!;

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'burrow-contact-avatars-'));
});
afterEach(() => rm(folder, { recursive: true, force: true }));

async function setUp(answer: (iq: Element) => Element | Promise<Element>) {
  const cache = await AvatarCache.open(folder);
  const request = vi.fn((iq: Element) => Promise.resolve(answer(iq)));
  const changed = vi.fn();
  const reportFault = vi.fn();
  return { cache, request, changed, reportFault, avatars: new ContactAvatars({ cache, request, changed, reportFault }) };
}

describe("contacts' avatars", () => {
  it('fetches a PEP avatar by its id once, keeps it, and tells the change for that contact', async () => {
    const { avatars, request, changed, cache } = await setUp(() => pepAnswer());
    await avatars.announced({ kind: 'avatar-announced', from: bob, id, source: 'pep' });
    await avatars.announced({ kind: 'avatar-announced', from: bob, id, source: 'pep' });
    expect(request).toHaveBeenCalledTimes(1);
    expect(request.mock.calls[0]?.[0].toString()).toContain(`<items node="urn:xmpp:avatar:data"><item id="${id}"/>`);
    expect(changed.mock.calls).toEqual([[bob, id]]);
    expect(await cache.read(id)).toMatchObject({ id, type: 'image/png' });
  });

  it('asks once for an avatar announced twice at the same time', async () => {
    const { avatars, request } = await setUp(() => pepAnswer());
    const announcement = { kind: 'avatar-announced', from: bob, id, source: 'pep' } as const;
    await Promise.all([avatars.announced(announcement), avatars.announced(announcement)]);
    expect(request).toHaveBeenCalledTimes(1);
  });

  it('shows an image already on disk for another contact without fetching it', async () => {
    const { avatars, request, changed } = await setUp(() => pepAnswer());
    await avatars.announced({ kind: 'avatar-announced', from: bob, id, source: 'pep' });
    await avatars.announced({ kind: 'avatar-announced', from: 'carol@example.org', id, source: 'vcard' });
    expect(request).toHaveBeenCalledTimes(1);
    expect(changed).toHaveBeenLastCalledWith('carol@example.org', id);
  });

  it('falls back to the vCard for a contact who announces a hash in presence', async () => {
    const { avatars, request, changed } = await setUp(() => vcardAnswer());
    await avatars.announced({ kind: 'avatar-announced', from: bob, id, source: 'vcard' });
    expect(request.mock.calls[0]?.[0].toString()).toBe(`<iq type="get" to="${bob}"><vCard xmlns="vcard-temp"/></iq>`);
    expect(changed).toHaveBeenCalledWith(bob, id);
  });

  it('follows PEP over the vCard for a contact who publishes both, and a removal', async () => {
    const { avatars, changed } = await setUp(() => pepAnswer());
    await avatars.announced({ kind: 'avatar-announced', from: bob, id, source: 'pep' });
    await avatars.announced({ kind: 'avatar-announced', from: bob, id: null, source: 'vcard' });
    expect(changed.mock.calls).toEqual([[bob, id]]);
    await avatars.announced({ kind: 'avatar-announced', from: bob, id: null, source: 'pep' });
    expect(changed).toHaveBeenLastCalledWith(bob, null);
  });

  it('shows nothing, with a notice, for bytes that are not the announced image or a request that fails', async () => {
    const wrong = await setUp(() => pepAnswer(Buffer.from('<svg/>').toString('base64')));
    await wrong.avatars.announced({ kind: 'avatar-announced', from: bob, id, source: 'pep' });
    expect(wrong.changed).not.toHaveBeenCalled();
    expect(wrong.reportFault).toHaveBeenCalledWith(expect.stringContaining(`${bob}'s avatar was not shown`));

    const failing = await setUp(() => Promise.reject(new Error('item-not-found')));
    await failing.avatars.announced({ kind: 'avatar-announced', from: bob, id, source: 'pep' });
    expect(failing.changed).not.toHaveBeenCalled();
    expect(failing.reportFault).toHaveBeenCalledWith(`${bob}'s avatar could not be fetched: item-not-found`);
  });
});

describe("one's own avatar", () => {
  it('is published data first, then metadata, and kept on disk', async () => {
    const { cache, request } = await setUp((iq) => parseXml(`<iq type="result" id="${iq.attrs.id ?? ''}"/>`)!);
    expect(await publishOwnAvatar(png, { cache, request })).toBe(id);
    expect(request.mock.calls.map(([iq]) => iq.toString().match(/node="([^"]+)"/)?.[1])).toEqual(['urn:xmpp:avatar:data', 'urn:xmpp:avatar:metadata']);
    expect(await cache.has(id)).toBe(true);
  });

  it('is refused before anything is sent when it is not an image Burrow takes', async () => {
    const { cache, request } = await setUp(() => pepAnswer());
    await expect(publishOwnAvatar(new TextEncoder().encode('<svg/>'), { cache, request })).rejects.toThrow(/cannot be your avatar/);
    expect(request).not.toHaveBeenCalled();
  });
});
