import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../../electron/contract/contract.js';
import { communityIdFor, completePolicyCommunity, firstRunCommunity, policyCommunityToComplete } from './firstRunCommunity.js';

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

describe('the first run under a policy', () => {
  const corp = { id: 'corp', displayName: 'Corp chat', hostServer: 'chat.corp.example', username: '', useGlobalConnection: true, connection: {} };
  const viewWith = (community: typeof corp, storedPasswords: string[] = []) =>
    ({ communities: [{ community, source: 'admin-default', connection: {}, lockedFields: [], removable: false }], storedPasswords }) as unknown as SettingsView;

  it("completes the administrator's community until its password is stored", () => {
    expect(policyCommunityToComplete(viewWith(corp))).toEqual(corp);
    expect(policyCommunityToComplete(viewWith(corp, ['community:corp:password']))).toBeUndefined();
  });

  it('asks only for the password when the policy gave the user name', () => {
    const named = { ...corp, username: 'jdoe' };
    expect(completePolicyCommunity(named, { host: '', username: '', password: '' })).toEqual({ ok: false, problems: { password: 'is required' } });
    expect(completePolicyCommunity(named, { host: '', username: 'someone-else', password: 'secret' })).toEqual({ ok: true, community: named });
  });

  it('asks for the user name too when the policy left it open', () => {
    expect(completePolicyCommunity(corp, { host: '', username: '', password: 'secret' })).toEqual({ ok: false, problems: { username: 'is required' } });
    expect(completePolicyCommunity(corp, { host: '', username: ' jdoe ', password: 'secret' })).toEqual({ ok: true, community: { ...corp, username: 'jdoe' } });
  });
});
