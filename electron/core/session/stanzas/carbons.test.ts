import { describe, expect, it } from 'vitest';

import { enableCarbons, unwrapCarbon } from './carbons.js';
import { parseXml } from './xml.js';

const me = 'alice@example.org';
const carbon = (from: string, direction: string) =>
  parseXml(
    `<message from="${from}" to="alice@example.org/desk"><${direction} xmlns="urn:xmpp:carbons:2">
       <forwarded xmlns="urn:xmpp:forward:0"><message from="alice@example.org/phone" to="bob@example.org" type="chat"><body>hi</body></message></forwarded>
     </${direction}></message>`,
  )!;

describe('carbons', () => {
  it('builds the enable request', () => {
    expect(enableCarbons().toString()).toBe('<iq type="set"><enable xmlns="urn:xmpp:carbons:2"/></iq>');
  });

  it.each(['sent', 'received'] as const)('unwraps a %s carbon from the user’s own bare JID', (direction) => {
    const unwrapped = unwrapCarbon(carbon('Alice@example.org', direction), me);
    expect(unwrapped).toMatchObject({ kind: 'carbon', direction });
    expect(unwrapped?.kind === 'carbon' && unwrapped.message.getChildText('body')).toBe('hi');
  });

  it.each(['mallory@example.org', 'alice@example.org/phone'])('refuses a carbon from %s as possibly forged', (from) => {
    expect(unwrapCarbon(carbon(from, 'sent'), me)).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('possibly forged') });
  });

  it('says null for an ordinary message and ignores an empty carbon', () => {
    expect(unwrapCarbon(parseXml('<message from="bob@example.org"><body>x</body></message>')!, me)).toBeNull();
    expect(unwrapCarbon(parseXml('<message from="alice@example.org"><sent xmlns="urn:xmpp:carbons:2"/></message>')!, me)).toEqual({
      kind: 'ignored',
      reason: 'a carbon without a forwarded message',
    });
  });
});
