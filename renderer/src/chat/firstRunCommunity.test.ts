import { describe, expect, it } from 'vitest';
import { communityIdFor, firstRunCommunity } from './firstRunCommunity.js';

describe('the first-run community', () => {
  it('keeps every connection setting Automatic', () => {
    const result = firstRunCommunity({ host: 'chat.lab.test', username: 'alice', password: 'secret' }, null, []);
    expect(result).toEqual({
      ok: true,
      community: { id: 'chat.lab.test', displayName: 'chat.lab.test', hostServer: 'chat.lab.test', username: 'alice', useGlobalConnection: true, connection: {} },
    });
  });

  it('reads a full address as user name and domain, and host:port as host and port', () => {
    const result = firstRunCommunity({ host: 'chat.lab.test:5222', username: 'alice@lab.test', password: 'x' }, null, []);
    expect(result.ok && result.community).toMatchObject({ hostServer: 'chat.lab.test', port: 5222, username: 'alice', xmppDomain: 'lab.test' });
    const noHost = firstRunCommunity({ host: '', username: 'alice@lab.test', password: 'x' }, null, []);
    expect(noHost.ok && noHost.community).toMatchObject({ hostServer: 'lab.test', username: 'alice' });
    expect(noHost.ok && noHost.community.xmppDomain).toBeUndefined();
  });

  it('accepts an address URL as the host server', () => {
    const result = firstRunCommunity({ host: 'wss://chat.lab.test/xmpp-websocket', username: 'alice', password: 'x' }, null, []);
    expect(result.ok && result.community).toMatchObject({ id: 'chat.lab.test-xmpp-websocket', displayName: 'chat.lab.test', hostServer: 'wss://chat.lab.test/xmpp-websocket' });
  });

  it('names what is missing or wrong', () => {
    expect(firstRunCommunity({ host: '', username: '', password: '' }, null, [])).toEqual({
      ok: false,
      problems: { host: 'is required', username: 'is required', password: 'is required' },
    });
    const bad = firstRunCommunity({ host: 'not a host!', username: 'alice', password: 'x' }, null, []);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems.host).toBeTruthy();
  });

  it('picks an unused identifier, and keeps the one it chose when edited', () => {
    expect(communityIdFor('chat.lab.test', ['chat.lab.test', 'chat.lab.test-2'])).toBe('chat.lab.test-3');
    const again = firstRunCommunity({ host: 'other.lab.test', username: 'alice', password: 'x' }, 'chat.lab.test', ['chat.lab.test']);
    expect(again.ok && again.community.id).toBe('chat.lab.test');
  });
});
