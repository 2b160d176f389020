import { describe, expect, it } from 'vitest';
import { burrowCapabilities, CAPS_NODE, capsElement, capsVer, discoInfoResult } from './capabilities.js';
import { parseXml } from './xml.js';

/** XEP-0115 §5.2's worked example: Exodus 0.9.1. */
const exodus = {
  identities: [{ category: 'client', type: 'pc', name: 'Exodus 0.9.1' }],
  features: ['http://jabber.org/protocol/muc', 'http://jabber.org/protocol/disco#info', 'http://jabber.org/protocol/disco#items', 'http://jabber.org/protocol/caps'],
};

describe('the entity capabilities hash (XEP-0115 §5)', () => {
  it('is the worked example’s, whatever order the features come in', () => {
    expect(capsVer(exodus)).toBe('QgayPKawpkPSDYmwT/WM94uAlu0=');
    expect(capsVer({ ...exodus, features: [...exodus.features].reverse() })).toBe('QgayPKawpkPSDYmwT/WM94uAlu0=');
  });

  it('changes with any feature', () => {
    expect(capsVer({ ...exodus, features: exodus.features.slice(1) })).not.toBe('QgayPKawpkPSDYmwT/WM94uAlu0=');
  });

  it('goes into presence as <c/> with its hash function and node', () => {
    expect(capsElement(exodus, 'http://code.google.com/p/exodus').toString()).toBe(
      '<c xmlns="http://jabber.org/protocol/caps" hash="sha-1" node="http://code.google.com/p/exodus" ver="QgayPKawpkPSDYmwT/WM94uAlu0="/>',
    );
  });
});

describe('the answer to disco#info', () => {
  const ask = (node?: string) =>
    parseXml(`<iq type="get" id="d1" from="example.org"><query xmlns="http://jabber.org/protocol/disco#info"${node ? ` node="${node}"` : ''}/></iq>`)!;

  it('names Burrow as a desktop client, with what it does, avatar notifications among them', () => {
    const answer = discoInfoResult(ask(), burrowCapabilities);
    expect(answer?.toString()).toContain('<identity category="client" type="pc" name="Burrow"/>');
    expect(answer?.getChild('query')?.getChildren('feature').map((feature) => feature.attrs.var)).toEqual(
      expect.arrayContaining(['urn:xmpp:receipts', 'urn:xmpp:ping', 'http://jabber.org/protocol/muc', 'urn:xmpp:avatar:metadata+notify']),
    );
    expect(answer?.attrs).toMatchObject({ type: 'result', id: 'd1', to: 'example.org' });
  });

  it('is the same for the node#ver its caps name, and none for another node', () => {
    const node = `${CAPS_NODE}#${capsVer(burrowCapabilities)}`;
    const answer = discoInfoResult(ask(node), burrowCapabilities);
    expect(answer?.getChild('query')?.attrs.node).toBe(node);
    expect(answer?.getChild('query')?.getChildren('feature')).toHaveLength(burrowCapabilities.features.length);
    expect(discoInfoResult(ask(`${CAPS_NODE}#stale`), burrowCapabilities)).toBeNull();
  });

  it('has the hash in presence that the features it answers with make', () => {
    const answer = discoInfoResult(ask(), burrowCapabilities)!;
    const query = answer.getChild('query')!;
    const told = {
      identities: query.getChildren('identity').map((identity) => ({ category: String(identity.attrs.category), type: String(identity.attrs.type), name: String(identity.attrs.name) })),
      features: query.getChildren('feature').map((feature) => String(feature.attrs.var)),
    };
    expect(capsElement(burrowCapabilities).attrs.ver).toBe(capsVer(told));
  });
});
