import { describe, expect, it } from 'vitest';

import type { ProxyLogin } from '../../contract/attempt-view.js';
import type { Candidate, Endpoint } from './candidate.js';
import type { Cause } from './causes.js';
import { diagnose } from './diagnosis.js';
import type { AttemptRecord } from './race.js';

const server = 'chat.lab.test';
const endpoints = {
  tls: { transport: 'directtls', host: server, port: 5223, secure: true, source: 'default' },
  starttls: { transport: 'starttls', host: server, port: 5222, secure: true, source: 'default' },
  wss: { transport: 'websocket', host: server, port: 443, path: '/xmpp-websocket', secure: true, source: 'default' },
  boshPlain: { transport: 'bosh', host: server, port: 80, path: '/http-bind', secure: false, source: 'default' },
} satisfies Record<string, Endpoint>;
const squid = { kind: 'proxy', proxy: { type: 'http', host: 'proxy.lab.test', port: 3128, resolveThroughProxy: true } } as const;

function attempt(endpoint: Endpoint, outcome: AttemptRecord['outcome'], cause?: Cause, route: Candidate['route'] = { kind: 'direct' }): AttemptRecord {
  return {
    attempt: 1,
    candidate: { endpoint, route },
    path: '',
    excluded: !endpoint.secure,
    outcome,
    startedAtMs: 0,
    endedAtMs: 10,
    ...(cause ? { cause } : {}),
  };
}

const silent = (port: number): Cause => ({ kind: 'no-answer', target: `${server}:${port}`, withinMs: 250, nextPathTried: true });
const refused = (port: number): Cause => ({ kind: 'refused', target: `${server}:${port}` });
const obstacleOf = (records: AttemptRecord[]) => diagnose(records, 100).obstacle;

describe('the class of failure a race met', () => {
  it('is blocked ports when nothing answered, naming them and whether they were silent', () => {
    const records = [attempt(endpoints.tls, 'failed', silent(5223)), attempt(endpoints.starttls, 'failed', refused(5222)), attempt(endpoints.wss, 'failed', refused(443))];
    expect(diagnose(records, 100)).toEqual({
      host: server,
      tried: 3,
      elapsedMs: 100,
      obstacle: { kind: 'ports-blocked', host: server, ports: [443, 5222, 5223], silent: true, route: 'direct' },
    });
    expect(obstacleOf([attempt(endpoints.tls, 'failed', refused(5223))])).toMatchObject({ silent: false });
  });

  it('after a connection, is what stood in the way of the paths before the winner, silent ones stopped by the winner included', () => {
    const records = [attempt(endpoints.tls, 'cancelled', silent(5223)), attempt(endpoints.starttls, 'cancelled', silent(5222)), attempt(endpoints.wss, 'won')];
    expect(obstacleOf(records)).toEqual({ kind: 'ports-blocked', host: server, ports: [5222, 5223], silent: true, route: 'direct' });
  });

  it('is nothing when no path failed on its own', () => {
    const stopped: Cause = { kind: 'cancelled', reason: 'another-path-won', target: `${server}:5222` };
    expect(obstacleOf([attempt(endpoints.tls, 'won'), attempt(endpoints.starttls, 'cancelled', stopped)])).toBeUndefined();
  });

  it("is the certificate whatever else failed: it is the user's to review", () => {
    const certificate: Cause = { kind: 'certificate', expectedName: server, code: 'ERR_TLS_CERT_ALTNAME_INVALID' };
    const records = [attempt(endpoints.tls, 'failed', silent(5223)), attempt(endpoints.wss, 'failed', certificate)];
    expect(obstacleOf(records)).toEqual({ kind: 'certificate', expectedName: server });
  });

  it("is the proxy's login, with what the proxy asked for, before any blocked port", () => {
    const proxyLogin: ProxyLogin = { status: 407, offered: ['ntlm'], tried: 'ntlm', credentials: 'configured' };
    const login: Cause = { kind: 'proxy-authentication', proxy: 'proxy.lab.test:3128', status: 407, detail: 'Proxy Authentication Required', proxyLogin };
    const records = [attempt(endpoints.tls, 'failed', refused(5223), squid), attempt(endpoints.wss, 'failed', login, squid)];
    expect(obstacleOf(records)).toEqual({ kind: 'proxy-login', proxy: 'proxy.lab.test:3128', proxyLogin });
  });

  it('is a proxy that cannot be reached, or one that refuses the ports', () => {
    const down: Cause = { kind: 'proxy-failure', proxy: 'proxy.lab.test:3128', problem: 'unreachable', target: `${server}:443`, detail: 'connection refused' };
    expect(obstacleOf([attempt(endpoints.wss, 'failed', down, squid)])).toEqual({ kind: 'proxy-unreachable', proxy: 'proxy.lab.test:3128' });
    const refusing = (port: string): Cause => ({ kind: 'proxy-refused', proxy: 'proxy.lab.test:3128', port, status: 403, detail: 'Forbidden' });
    const records = [attempt(endpoints.tls, 'failed', refusing('5223'), squid), attempt(endpoints.wss, 'failed', refusing('443'), squid)];
    expect(obstacleOf(records)).toEqual({ kind: 'proxy-refusing', proxy: 'proxy.lab.test:3128', host: server, ports: ['5223', '443'] });
  });

  it("is the server's name when DNS knew it on no path", () => {
    const notFound: Cause = { kind: 'name-not-found', host: server, temporary: false };
    expect(obstacleOf([attempt(endpoints.tls, 'failed', notFound), attempt(endpoints.wss, 'failed', notFound)])).toEqual({
      kind: 'name-not-found',
      host: server,
      temporary: false,
    });
  });

  it('is unencrypted HTTP alone reaching the server, with those paths', () => {
    const records = [attempt(endpoints.wss, 'failed', refused(443)), attempt(endpoints.boshPlain, 'reachable')];
    expect(obstacleOf(records)).toEqual({
      kind: 'unencrypted-only',
      host: server,
      paths: [{ transport: 'bosh', endpoint: { host: server, port: 80, path: '/http-bind', secure: false }, route: { kind: 'direct' } }],
    });
  });

  it('is the server when something answered, but not with XMPP, rather than the ports that stayed silent', () => {
    const notFound: Cause = { kind: 'websocket-refused', target: `${server}:443`, url: `wss://${server}:443/xmpp-websocket`, status: 404 };
    expect(obstacleOf([attempt(endpoints.tls, 'failed', silent(5223)), attempt(endpoints.wss, 'failed', notFound)])).toEqual({ kind: 'server', host: server, cause: notFound });
  });

  it('is no allowed path when the plan had only unencrypted ones', () => {
    expect(diagnose([attempt(endpoints.boshPlain, 'not-started')], 0)).toEqual({ host: server, tried: 0, elapsedMs: 0, obstacle: { kind: 'no-allowed-path', host: server } });
  });
});
