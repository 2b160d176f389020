import { describe, expect, it } from 'vitest';

import { ProxyError } from '../errors.js';
import { ProxyLogins } from './proxy-logins.js';

const proxy = 'http://burrow@proxy.lab.test:3128';
const refusedLogin = () => new ProxyError('authentication', 'proxy.lab.test:3128', 'chat.lab.test:443', 'Proxy Authentication Required', 407);
const refusedPort = () => new ProxyError('refused-tunnel', 'proxy.lab.test:3128', 'chat.lab.test:5222', 'Forbidden', 403);

/** A tunnel whose outcome the test decides, counting how many reached the proxy. */
function tunnels() {
  const opened: { settle: (error?: Error) => void }[] = [];
  const open = () =>
    new Promise<string>((resolve, reject) => opened.push({ settle: (error) => (error ? reject(error) : resolve('socket')) }));
  return { opened, open };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('ProxyLogins', () => {
  it('lets one tunnel try the credentials, and refuses the others with its refusal without reaching the proxy', async () => {
    const logins = new ProxyLogins();
    const { opened, open } = tunnels();
    const attempts = Array.from({ length: 5 }, () => logins.through(proxy, open));
    await turn();
    expect(opened).toHaveLength(1);

    opened[0]!.settle(refusedLogin());
    const outcomes = await Promise.allSettled(attempts);
    expect(opened).toHaveLength(1);
    expect(outcomes.every((outcome) => outcome.status === 'rejected' && (outcome.reason as ProxyError).kind === 'authentication')).toBe(true);
  });

  it('lets the others through once the first login is accepted', async () => {
    const logins = new ProxyLogins();
    const { opened, open } = tunnels();
    const attempts = Array.from({ length: 3 }, () => logins.through(proxy, open));
    await turn();
    expect(opened).toHaveLength(1);
    opened[0]!.settle();
    await turn();
    expect(opened).toHaveLength(3);
    for (const tunnel of opened.slice(1)) tunnel.settle();
    expect(await Promise.all(attempts)).toEqual(['socket', 'socket', 'socket']);
  });

  it('hands the first try to the next tunnel when the first failed for another reason than the login', async () => {
    const logins = new ProxyLogins();
    const { opened, open } = tunnels();
    const first = logins.through(proxy, open);
    const second = logins.through(proxy, open);
    const third = logins.through(proxy, open);
    await turn();
    opened[0]!.settle(refusedPort());
    await expect(first).rejects.toMatchObject({ kind: 'refused-tunnel' });
    await turn();
    expect(opened, 'the next tries the login alone').toHaveLength(2);
    opened[1]!.settle(refusedLogin());
    await expect(second).rejects.toMatchObject({ kind: 'authentication' });
    await expect(third).rejects.toMatchObject({ kind: 'authentication' });
    expect(opened).toHaveLength(2);
  });

  it('keeps proxies and users apart', async () => {
    const logins = new ProxyLogins();
    const { opened, open } = tunnels();
    void logins.through(proxy, open);
    void logins.through('http://other@proxy.lab.test:3128', open);
    await turn();
    expect(opened).toHaveLength(2);
    for (const tunnel of opened) tunnel.settle();
  });

  it('remembers what each login learnt of its proxy’s scheme, for the whole race', () => {
    const logins = new ProxyLogins();
    logins.memory(proxy).known = { scheme: 'ntlm', header: 'Proxy-Authorization' };
    expect(logins.memory(proxy).known).toEqual({ scheme: 'ntlm', header: 'Proxy-Authorization' });
    expect(logins.memory('http://other@proxy.lab.test:3128').known).toBeUndefined();
  });
});
