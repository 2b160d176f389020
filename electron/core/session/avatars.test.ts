import { describe, expect, it, vi } from 'vitest';

import { StanzaError } from '../stream/iq-caller.js';
import { Avatars } from './avatars.js';
import type { SessionEvent, SessionLink } from './session-link.js';
import { avatarId } from './stanzas/avatar.js';
import { parseXml, type Element } from './stanzas/xml.js';

const png = new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));
const image = { id: avatarId(png), type: 'image/png', bytes: png };
const stanza = (text: string) => parseXml(text)!;
const refusal = (condition: string) => StanzaError.from(stanza(`<iq type="error"><error type="cancel"><${condition} xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>`));

function linkAnswering(answer: (iq: Element) => Element | Promise<Element>) {
  const events: SessionEvent[] = [];
  const requests: Element[] = [];
  const link: SessionLink = {
    client: null,
    request: vi.fn(async (iq: Element) => {
      requests.push(iq);
      return answer(iq);
    }),
    received: () => Promise.resolve(),
    emit: (event) => events.push(event),
    reportError: () => {},
  };
  return { link, events, requests };
}

const what = (iq: Element) => {
  const publish = iq.getChild('pubsub')?.getChild('publish');
  if (publish) return `${publish.attrs.node}${publish.parent?.getChild('publish-options') ? ' (open)' : ''}`;
  return `vCard ${iq.attrs.type}`;
};

describe('publishing the user’s avatar', () => {
  it('publishes the data, then the metadata, open to anyone, then the vCard photo keeping the rest of the vCard', async () => {
    const { link, requests } = linkAnswering((iq) =>
      iq.getChild('vCard') && iq.attrs.type === 'get' ? stanza('<iq type="result"><vCard xmlns="vcard-temp"><FN>Alice</FN></vCard></iq>') : stanza('<iq type="result"/>'),
    );
    await new Avatars(link).publish(image);
    expect(requests.map(what)).toEqual(['urn:xmpp:avatar:data (open)', 'urn:xmpp:avatar:metadata (open)', 'vCard get', 'vCard set']);
    expect(requests[3]?.toString()).toContain('<FN>Alice</FN><PHOTO><TYPE>image/png</TYPE>');
  });

  it('publishes without options, from then on, on a server that refuses them; and a vCard where there was none', async () => {
    let refused = false;
    const { link, requests } = linkAnswering((iq) => {
      if (iq.getChild('pubsub')?.getChild('publish-options') && !refused) {
        refused = true;
        throw refusal('precondition-not-met');
      }
      if (iq.getChild('vCard') && iq.attrs.type === 'get') throw refusal('item-not-found');
      return stanza('<iq type="result"/>');
    });
    await new Avatars(link).publish(image);
    expect(requests.map(what)).toEqual(['urn:xmpp:avatar:data (open)', 'urn:xmpp:avatar:data', 'urn:xmpp:avatar:metadata', 'vCard get', 'vCard set']);
  });

  it('removes it with empty metadata and a vCard without a photo', async () => {
    const { link, requests } = linkAnswering(() => stanza('<iq type="result"/>'));
    await new Avatars(link).publish(null);
    expect(requests[0]?.toString()).toContain('<metadata xmlns="urn:xmpp:avatar:metadata"/>');
    expect(requests.at(-1)?.toString()).toBe('<iq type="set"><vCard xmlns="vcard-temp"/></iq>');
  });
});

describe("contacts' announcements", () => {
  it('are told from PEP notifications and presence hashes; another node is ignored with its reason', () => {
    const { link, events } = linkAnswering(() => stanza('<iq type="result"/>'));
    const avatars = new Avatars(link);
    avatars.handleEvent(
      stanza(`<message from="bob@example.org"><event xmlns="http://jabber.org/protocol/pubsub#event"><items node="urn:xmpp:avatar:metadata"><item id="${image.id}"><metadata xmlns="urn:xmpp:avatar:metadata"><info id="${image.id}" type="image/png" bytes="70"/></metadata></item></items></event></message>`),
    );
    avatars.handlePresence(stanza(`<presence from="carol@example.org/pc"><x xmlns="vcard-temp:x:update"><photo>${image.id}</photo></x></presence>`));
    avatars.handlePresence(stanza('<presence from="dave@example.org/pc"/>'));
    avatars.handleEvent(stanza('<message from="bob@example.org"><event xmlns="http://jabber.org/protocol/pubsub#event"><items node="http://jabber.org/protocol/tune"/></event></message>'));
    expect(events).toEqual([
      { type: 'avatar-announced', from: 'bob@example.org', id: image.id, source: 'pep' },
      { type: 'avatar-announced', from: 'carol@example.org', id: image.id, source: 'vcard' },
      { type: 'ignored', reason: 'not an avatar metadata notification' },
    ]);
  });

  it('fetch the bytes from where they were announced', async () => {
    const { link, requests } = linkAnswering((iq) =>
      iq.getChild('vCard')
        ? stanza('<iq type="result"><vCard xmlns="vcard-temp"/></iq>')
        : stanza(`<iq type="result"><pubsub xmlns="http://jabber.org/protocol/pubsub"><items node="urn:xmpp:avatar:data"><item id="${image.id}"><data xmlns="urn:xmpp:avatar:data">${Buffer.from(png).toString('base64')}</data></item></items></pubsub></iq>`),
    );
    const avatars = new Avatars(link);
    expect(await avatars.fetch('bob@example.org', image.id, 'pep')).toEqual(png);
    expect(await avatars.fetch('carol@example.org', image.id, 'vcard')).toBeNull();
    expect(requests.map((iq) => iq.attrs.to)).toEqual(['bob@example.org', 'carol@example.org']);
  });
});
