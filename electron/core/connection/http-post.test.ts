import http from 'node:http';

import { afterEach, describe, expect, it } from 'vitest';

import { attemptCauseWords } from '../../contract/attempt-words.js';
import { describeFailure } from './causes.js';
import { postXml } from './http-post.js';
import { ProxyLogins } from './routes/proxy-logins.js';
import { fakeDigestOffer, startFakeHttpProxy } from './testing/fake-http-proxy.js';
import type { FakeHttpProxy, FakeHttpProxyOptions } from './testing/fake-http-proxy.js';
import { closeServer, listenLocally } from './testing/tcp-servers.js';

const url = new URL('http://chat.lab.test/http-bind');
const alice = { username: 'CORP\\alice', password: 's3cret' };

describe('postXml through a forward proxy that asks for a login', () => {
  const proxies: FakeHttpProxy[] = [];
  const agents: http.Agent[] = [];

  afterEach(async () => {
    for (const agent of agents.splice(0)) agent.destroy();
    await Promise.all(proxies.splice(0).map((proxy) => closeServer(proxy.server)));
  });

  async function post(options: FakeHttpProxyOptions, credentials: { username: string; password: string }, logins = new ProxyLogins()) {
    const proxy = await startFakeHttpProxy(options);
    proxies.push(proxy);
    const agent = new http.Agent({ keepAlive: true });
    agents.push(agent);
    const forwardProxy = { host: '127.0.0.1', port: proxy.port, ...credentials, logins };
    const send = () => postXml(url, '<body/>', { agent, forwardProxy, timeoutMs: 2000, signal: new AbortController().signal });
    return { proxy, send };
  }

  it('sends the post again with the scheme offered, and the next post with it at once', async () => {
    const { proxy, send } = await post({ offers: [fakeDigestOffer()], user: alice }, alice);
    // The fake proxy answers 502 to whatever passes its login: it forwards nothing.
    expect((await send()).status).toBe(502);
    expect((await send()).status).toBe(502);
    expect(proxy.requests.map(({ requestLine, authorization }) => [requestLine, /nc=\w+/.exec(authorization ?? '')?.[0]])).toEqual([
      ['POST http://chat.lab.test/http-bind HTTP/1.1', undefined],
      ['POST http://chat.lab.test/http-bind HTTP/1.1', 'nc=00000001'],
      ['POST http://chat.lab.test/http-bind HTTP/1.1', 'nc=00000002'],
    ]);
  });

  it('runs NTLM’s negotiate and authenticate legs on one connection', async () => {
    const { proxy, send } = await post({ offers: ['NTLM'], user: alice }, alice);
    expect((await send()).status).toBe(502);
    const [bare, negotiate, authenticate] = proxy.requests;
    expect(bare?.authorization).toBeUndefined();
    expect(negotiate?.connection).toBe(authenticate?.connection);
    expect(proxy.logins()).toEqual([authenticate]);
  });

  it('tries wrong credentials once, and fails with what the proxy offered and what was tried', async () => {
    const logins = new ProxyLogins();
    const { proxy, send } = await post({ offers: ['Basic realm="corp"'], user: alice }, { ...alice, password: 'wrong' }, logins);
    await expect(send()).rejects.toMatchObject({ kind: 'authentication', status: 407, login: { offered: ['basic'], tried: 'basic' } });
    await expect(send()).rejects.toMatchObject({ kind: 'authentication' });
    expect(proxy.logins()).toHaveLength(1);
  });
});

describe('postXml through a forward proxy that cannot be reached', () => {
  it("fails as the proxy's, not as the server's port 80 refusing", async () => {
    const closed = http.createServer();
    const port = await listenLocally(closed);
    await closeServer(closed);
    const agent = new http.Agent();
    const forwardProxy = { host: '127.0.0.1', port };
    const error = await postXml(url, '<body/>', { agent, forwardProxy, timeoutMs: 2000, signal: new AbortController().signal }).catch((caught: unknown) => caught);
    agent.destroy();
    const cause = describeFailure(error, { host: 'chat.lab.test', port: 80, proxy: `127.0.0.1:${port}` });
    expect(cause).toMatchObject({ kind: 'proxy-failure', problem: 'unreachable', proxy: `127.0.0.1:${port}` });
    expect(attemptCauseWords(cause)).toBe(`the proxy 127.0.0.1:${port} could not be reached (connection refused)`);
  });
});
