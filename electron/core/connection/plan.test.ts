import { describe, expect, it } from 'vitest';

import { parseCommunityAddress } from './address.js';
import { candidateKey, describeCandidate } from './candidate.js';
import type { Candidate, ProxySettings } from './candidate.js';
import { PlanError, planCandidates, planWithDiscovery } from './plan.js';
import type { DiscoveredEndpoints, PlanInput } from './plan.js';
import type { PathTiming } from './path-timings.js';

const proxy: ProxySettings = { type: 'http', host: 'proxy.lab.test', port: 3128, resolveThroughProxy: true };

function plan(address: string, options: Partial<Omit<PlanInput, 'address'>> = {}) {
  return planCandidates({ address: parseCommunityAddress(address), method: 'automatic', allowUnencrypted: false, ...options });
}

function described(candidates: Candidate[]): string[] {
  return candidates.map(describeCandidate);
}

describe('planCandidates', () => {
  describe('a bare host with the automatic method', () => {
    it('orders direct TLS, STARTTLS, wss, then BOSH over HTTPS, and leaves out plaintext paths', () => {
      expect(described(plan('chat.lab.test').candidates)).toEqual([
        'direct TLS xmpps://chat.lab.test:5223 via direct',
        'TCP+STARTTLS xmpp://chat.lab.test:5222 via direct',
        'WebSocket wss://chat.lab.test:443/xmpp-websocket via direct',
        'BOSH https://chat.lab.test:443/http-bind via direct',
      ]);
    });

    it('records the plaintext paths it left out, for the diagnosis', () => {
      const { excluded } = plan('chat.lab.test');
      expect(excluded.map(({ candidate, reason }) => [describeCandidate(candidate), reason])).toEqual([
        ['WebSocket ws://chat.lab.test:80/xmpp-websocket via direct', 'unencrypted'],
        ['BOSH http://chat.lab.test:80/http-bind via direct', 'unencrypted'],
      ]);
    });

    it('adds the plaintext paths last when unencrypted tunnelling is allowed', () => {
      const result = plan('chat.lab.test', { allowUnencrypted: true });
      expect(described(result.candidates).slice(-2)).toEqual([
        'WebSocket ws://chat.lab.test:80/xmpp-websocket via direct',
        'BOSH http://chat.lab.test:80/http-bind via direct',
      ]);
      expect(result.excluded).toEqual([]);
    });

    it('tries each endpoint through the system proxy and the configured proxy right after the direct route', () => {
      const candidates = described(plan('chat.lab.test', { useSystemProxy: true, proxy }).candidates);
      expect(candidates.slice(0, 3)).toEqual([
        'direct TLS xmpps://chat.lab.test:5223 via direct',
        'direct TLS xmpps://chat.lab.test:5223 via system proxy',
        'direct TLS xmpps://chat.lab.test:5223 via HTTP proxy proxy.lab.test:3128',
      ]);
      expect(candidates).toHaveLength(12);
    });
  });

  describe('discovery', () => {
    it('uses SRV targets instead of the default ports, by priority then weight, direct TLS winning a tie', () => {
      const candidates = plan('lab.test', {
        discovered: {
          srv: [
            { service: 'xmpp-client', target: 'chat.lab.test.', port: 5222, priority: 10, weight: 0 },
            { service: 'xmpps-client', target: 'chat.lab.test.', port: 443, priority: 10, weight: 0 },
            { service: 'xmpp-client', target: 'backup.lab.test', port: 5222, priority: 20, weight: 0 },
            { service: 'xmpp-client', target: 'heavy.lab.test', port: 5222, priority: 10, weight: 50 },
          ],
        },
      }).candidates;
      expect(described(candidates).slice(0, 4)).toEqual([
        'TCP+STARTTLS xmpp://heavy.lab.test:5222 via direct',
        'direct TLS xmpps://chat.lab.test:443 via direct',
        'TCP+STARTTLS xmpp://chat.lab.test:5222 via direct',
        'TCP+STARTTLS xmpp://backup.lab.test:5222 via direct',
      ]);
      expect(candidates[0]?.endpoint.source).toBe('srv');
    });

    it('ignores an SRV target of "." (service not offered)', () => {
      const candidates = plan('lab.test', {
        discovered: { srv: [{ service: 'xmpps-client', target: '.', port: 0, priority: 0, weight: 0 }] },
      }).candidates;
      expect(described(candidates)[0]).toBe('direct TLS xmpps://lab.test:5223 via direct');
    });

    it('uses the WebSocket and BOSH endpoints the server advertises in host-meta instead of guessing', () => {
      const candidates = plan('chat.lab.test', {
        allowUnencrypted: true,
        discovered: {
          hostMeta: [
            { method: 'xbosh', href: 'https://chat.lab.test:5281/custom-bind' },
            { method: 'websocket', href: 'wss://chat.lab.test:5281/custom-ws' },
            { method: 'websocket', href: 'not a url' },
            { method: 'xbosh', href: 'wss://chat.lab.test/mislabelled' },
          ],
        },
      }).candidates;
      expect(described(candidates).slice(2)).toEqual([
        'WebSocket wss://chat.lab.test:5281/custom-ws via direct',
        'BOSH https://chat.lab.test:5281/custom-bind via direct',
        'WebSocket ws://chat.lab.test:80/xmpp-websocket via direct',
        'BOSH http://chat.lab.test:80/http-bind via direct',
      ]);
      expect(candidates[2]?.endpoint.source).toBe('host-meta');
    });
  });

  describe('discovery answering while the race runs', () => {
    const input = (options: Partial<Omit<PlanInput, 'address'>> = {}): PlanInput => ({
      address: parseCommunityAddress('chat.lab.test'),
      method: 'automatic',
      allowUnencrypted: false,
      ...options,
    });
    const grown = (discovered: DiscoveredEndpoints, options: Partial<Omit<PlanInput, 'address'>> = {}) =>
      planWithDiscovery(planCandidates(input(options)), input(options), discovered);

    it('keeps every planned path in place and puts the discovered ones ahead of the defaults they would have replaced', () => {
      const result = grown({
        hostMeta: [
          { method: 'websocket', href: 'wss://chat.lab.test:7443/alt/ws' },
          { method: 'xbosh', href: 'https://chat.lab.test:7443/alt/bosh' },
        ],
      });
      expect(described(result.candidates)).toEqual([
        'direct TLS xmpps://chat.lab.test:5223 via direct',
        'TCP+STARTTLS xmpp://chat.lab.test:5222 via direct',
        'WebSocket wss://chat.lab.test:7443/alt/ws via direct',
        'BOSH https://chat.lab.test:7443/alt/bosh via direct',
        'WebSocket wss://chat.lab.test:443/xmpp-websocket via direct',
        'BOSH https://chat.lab.test:443/http-bind via direct',
      ]);
      expect(result.candidates[2]?.endpoint.source).toBe('host-meta');
    });

    it('puts an SRV target ahead of the guessed TCP ports, on every route', () => {
      const result = grown(
        { srv: [{ service: 'xmpp-client', target: 'xmpp.lab.test', port: 5269, priority: 0, weight: 0 }] },
        { useSystemProxy: true },
      );
      expect(described(result.candidates).slice(0, 3)).toEqual([
        'TCP+STARTTLS xmpp://xmpp.lab.test:5269 via direct',
        'TCP+STARTTLS xmpp://xmpp.lab.test:5269 via system proxy',
        'direct TLS xmpps://chat.lab.test:5223 via direct',
      ]);
    });

    it('adds nothing that is already planned, whatever it was found by', () => {
      const running = planCandidates(input({ proxy }));
      const result = planWithDiscovery(running, input({ proxy }), {
        srv: [
          { service: 'xmpps-client', target: 'chat.lab.test', port: 5223, priority: 0, weight: 5 },
          { service: 'xmpp-client', target: 'chat.lab.test.', port: 5222, priority: 0, weight: 5 },
        ],
        hostMeta: [
          { method: 'websocket', href: 'wss://chat.lab.test/xmpp-websocket' },
          { method: 'xbosh', href: 'http://chat.lab.test/http-bind' },
        ],
      });
      expect(described(result.candidates)).toEqual(described(running.candidates));
      expect(result.excluded.map(({ candidate }) => describeCandidate(candidate))).toEqual(
        running.excluded.map(({ candidate }) => describeCandidate(candidate)),
      );
    });

    it('leaves discovered plaintext paths out, for the probes only, unless unencrypted tunnelling is allowed', () => {
      const discovered = { hostMeta: [{ method: 'xbosh' as const, href: 'http://chat.lab.test:5280/alt/bosh' }] };
      expect(described(grown(discovered).excluded.map(({ candidate }) => candidate))).toEqual([
        'WebSocket ws://chat.lab.test:80/xmpp-websocket via direct',
        'BOSH http://chat.lab.test:5280/alt/bosh via direct',
        'BOSH http://chat.lab.test:80/http-bind via direct',
      ]);
      expect(described(grown(discovered, { allowUnencrypted: true }).candidates).at(-2)).toBe('BOSH http://chat.lab.test:5280/alt/bosh via direct');
    });
  });

  describe('an explicit port means exactly one attempt', () => {
    it('host:port is one TCP+STARTTLS attempt on that port, which says it was assumed', () => {
      const { candidates } = plan('chat.lab.test:5333');
      expect(described(candidates)).toEqual(['TCP+STARTTLS xmpp://chat.lab.test:5333 via direct']);
      expect(candidates[0]?.endpoint.assumed).toBe('any-other-port');
    });

    it.each([
      ['chat.lab.test:5223', 'direct-tls-port'],
      ['chat.lab.test:443', 'https-port'],
    ])('%s is one direct TLS attempt, by the port\'s convention', (address, convention) => {
      const { candidates } = plan(address);
      expect(described(candidates)).toEqual([`direct TLS xmpps://${address} via direct`]);
      expect(candidates[0]?.endpoint.assumed).toBe(convention);
    });

    it('assumes nothing of an address whose scheme says the transport', () => {
      expect(plan('xmpp://chat.lab.test:5223').candidates[0]?.endpoint).not.toHaveProperty('assumed');
    });

    it('host:port with the HTTP method is one BOSH attempt on that port', () => {
      expect(described(plan('chat.lab.test:8443', { method: 'direct-http' }).candidates)).toEqual([
        'BOSH https://chat.lab.test:8443/http-bind via direct',
      ]);
    });

    it('host:80 with the HTTP method is plain HTTP, so it needs unencrypted tunnelling allowed', () => {
      const refused = plan('chat.lab.test:80', { method: 'direct-http' });
      expect(refused.candidates).toEqual([]);
      expect(described(refused.excluded.map(({ candidate }) => candidate))).toEqual([
        'BOSH http://chat.lab.test:80/http-bind via direct',
      ]);
      expect(plan('chat.lab.test:80', { method: 'direct-http', allowUnencrypted: true }).candidates).toHaveLength(1);
    });

    it.each([
      ['xmpp://chat.lab.test:5222', 'TCP+STARTTLS xmpp://chat.lab.test:5222 via direct'],
      ['xmpps://chat.lab.test:5223', 'direct TLS xmpps://chat.lab.test:5223 via direct'],
      ['wss://chat.lab.test:443/ws', 'WebSocket wss://chat.lab.test:443/ws via direct'],
      ['https://chat.lab.test:443', 'BOSH https://chat.lab.test:443/http-bind via direct'],
    ])('%s is that one endpoint', (address, expected) => {
      expect(described(plan(address).candidates)).toEqual([expected]);
    });

    it('goes through the method\'s route', () => {
      expect(described(plan('chat.lab.test:5222', { method: 'proxy', proxy }).candidates)).toEqual([
        'TCP+STARTTLS xmpp://chat.lab.test:5222 via HTTP proxy proxy.lab.test:3128',
      ]);
    });

    it('ignores the remembered winner', () => {
      const rememberedWinner = plan('chat.lab.test').candidates[3];
      expect(described(plan('chat.lab.test:5222', { rememberedWinner }).candidates)).toHaveLength(1);
    });
  });

  describe('a URL without a port', () => {
    it('tries its own endpoint on the scheme\'s default port first, then the plan\'s fallbacks', () => {
      const candidates = described(plan('xmpp://chat.lab.test').candidates);
      expect(candidates[0]).toBe('TCP+STARTTLS xmpp://chat.lab.test:5222 via direct');
      expect(candidates.slice(1)).toEqual([
        'direct TLS xmpps://chat.lab.test:5223 via direct',
        'WebSocket wss://chat.lab.test:443/xmpp-websocket via direct',
        'BOSH https://chat.lab.test:443/http-bind via direct',
      ]);
    });

    it('keeps the path it was given', () => {
      expect(described(plan('https://chat.lab.test/bosh').candidates)[0]).toBe('BOSH https://chat.lab.test:443/bosh via direct');
    });
  });

  describe('methods', () => {
    it('"Direct connection using TCP/IP" tries TCP first, then the HTTP-tunnelled paths, never a proxy', () => {
      expect(described(plan('chat.lab.test', { method: 'direct-tcp', proxy, useSystemProxy: true }).candidates)).toEqual([
        'direct TLS xmpps://chat.lab.test:5223 via direct',
        'TCP+STARTTLS xmpp://chat.lab.test:5222 via direct',
        'WebSocket wss://chat.lab.test:443/xmpp-websocket via direct',
        'BOSH https://chat.lab.test:443/http-bind via direct',
      ]);
    });

    it('"Direct connection using HTTP protocol" uses BOSH and WebSocket on 80/443 only', () => {
      const result = plan('chat.lab.test', {
        method: 'direct-http',
        allowUnencrypted: true,
        discovered: { hostMeta: [{ method: 'xbosh', href: 'https://chat.lab.test:5281/http-bind' }] },
      });
      expect(described(result.candidates)).toEqual([
        'WebSocket wss://chat.lab.test:443/xmpp-websocket via direct',
        'BOSH https://chat.lab.test:443/http-bind via direct',
        'WebSocket ws://chat.lab.test:80/xmpp-websocket via direct',
        'BOSH http://chat.lab.test:80/http-bind via direct',
      ]);
    });

    it('"Use my system proxy settings" routes every candidate through the system proxy', () => {
      const routes = plan('chat.lab.test', { method: 'system-proxy' }).candidates.map((candidate) => candidate.route.kind);
      expect(routes).toEqual(['system', 'system', 'system', 'system']);
    });

    it('"Use my system proxy settings" puts BOSH over HTTPS, and only it, on the system\'s network stack where there is one', () => {
      expect(described(plan('chat.lab.test', { method: 'system-proxy', allowUnencrypted: true, systemNetworkStack: true }).candidates)).toEqual([
        'direct TLS xmpps://chat.lab.test:5223 via system proxy',
        'TCP+STARTTLS xmpp://chat.lab.test:5222 via system proxy',
        'WebSocket wss://chat.lab.test:443/xmpp-websocket via system proxy',
        "BOSH https://chat.lab.test:443/http-bind via system proxy on the system's network stack",
        'WebSocket ws://chat.lab.test:80/xmpp-websocket via system proxy',
        'BOSH http://chat.lab.test:80/http-bind via system proxy',
      ]);
    });

    it('keeps every path on Burrow\'s own stack without a system network stack, and with other methods', () => {
      const onSystemStack = (candidates: Candidate[]) => candidates.filter(({ route }) => route.kind === 'system' && route.systemNetworkStack);
      expect(onSystemStack(plan('chat.lab.test', { method: 'system-proxy' }).candidates)).toEqual([]);
      expect(onSystemStack(plan('chat.lab.test', { useSystemProxy: true, systemNetworkStack: true }).candidates)).toEqual([]);
      expect(onSystemStack(plan('https://chat.lab.test:8443/bosh', { method: 'system-proxy', systemNetworkStack: true }).candidates)).toHaveLength(1);
    });

    it('"Use proxy" routes every candidate through the configured proxy', () => {
      const candidates = plan('chat.lab.test', { method: 'proxy', proxy }).candidates;
      expect(candidates.every((candidate) => candidate.route.kind === 'proxy')).toBe(true);
      expect(candidates).toHaveLength(4);
    });

    it('"Use proxy" without a proxy is an error', () => {
      expect(() => plan('chat.lab.test', { method: 'proxy' })).toThrow(PlanError);
    });
  });

  describe('the times measured on this network', () => {
    const [tls, starttls, wss, bosh] = plan('chat.lab.test').candidates;
    const timings = (entries: [Candidate | undefined, PathTiming][]) =>
      new Map(entries.flatMap(([candidate, timing]) => (candidate ? [[candidateKey(candidate), timing] as const] : [])));

    it('put the measured paths first, fastest first, ahead of the remembered winner and the rest', () => {
      const measured = timings([
        [wss, { kind: 'measured', ms: 230 }],
        [bosh, { kind: 'measured', ms: 180 }],
      ]);
      expect(described(plan('chat.lab.test', { rememberedWinner: starttls, timings: measured }).candidates)).toEqual([
        'BOSH https://chat.lab.test:443/http-bind via direct',
        'WebSocket wss://chat.lab.test:443/xmpp-websocket via direct',
        'TCP+STARTTLS xmpp://chat.lab.test:5222 via direct',
        'direct TLS xmpps://chat.lab.test:5223 via direct',
      ]);
    });

    it('leave a path only known to be slower than some time in its place', () => {
      const bound = timings([[tls, { kind: 'slower-than', ms: 90 }]]);
      expect(plan('chat.lab.test', { timings: bound }).candidates[0]).toEqual(tls);
    });
  });

  describe('the remembered winner', () => {
    it('goes first and is not tried twice', () => {
      const rememberedWinner = plan('chat.lab.test').candidates[3];
      const candidates = described(plan('chat.lab.test', { rememberedWinner }).candidates);
      expect(candidates).toEqual([
        'BOSH https://chat.lab.test:443/http-bind via direct',
        'direct TLS xmpps://chat.lab.test:5223 via direct',
        'TCP+STARTTLS xmpp://chat.lab.test:5222 via direct',
        'WebSocket wss://chat.lab.test:443/xmpp-websocket via direct',
      ]);
    });

    it('is remembered without the proxy password and takes the current credentials', () => {
      const withPassword = { ...proxy, username: 'alice', password: 's3cret' };
      const [first] = plan('chat.lab.test', { method: 'proxy', proxy: { ...proxy, username: 'alice' } }).candidates;
      const [winner] = plan('chat.lab.test', { method: 'proxy', proxy: withPassword, rememberedWinner: first }).candidates;
      expect(winner?.route).toEqual({ kind: 'proxy', proxy: withPassword });
    });

    it('is dropped when its route no longer fits the method', () => {
      const viaProxy = plan('chat.lab.test', { method: 'proxy', proxy }).candidates[2];
      expect(described(plan('chat.lab.test', { method: 'direct-tcp', rememberedWinner: viaProxy }).candidates)[0]).toBe(
        'direct TLS xmpps://chat.lab.test:5223 via direct',
      );
    });

    it('is dropped when it is a TCP path and the method is HTTP only', () => {
      const tcpWinner = plan('chat.lab.test').candidates[0];
      const candidates = plan('chat.lab.test', { method: 'direct-http', rememberedWinner: tcpWinner }).candidates;
      expect(candidates.map((candidate) => candidate.endpoint.transport)).toEqual(['websocket', 'bosh']);
    });

    it('is still refused when it is unencrypted and that is no longer allowed', () => {
      const plaintextWinner = plan('chat.lab.test', { allowUnencrypted: true }).candidates.at(-1);
      const result = plan('chat.lab.test', { rememberedWinner: plaintextWinner });
      expect(result.candidates.every((candidate) => candidate.endpoint.secure)).toBe(true);
      expect(result.excluded).toHaveLength(2);
    });
  });
});
