import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from './lab.js';
import { compiledLabScript } from './paths.js';
import type { ProbeResult, ProbeSpec, ProxySpec, Route } from './probes.js';
import { boshSessionProbe, describeWithLab, expectDirectTlsLogins, expectStarttlsRequired, probe, websocketProbe } from './testing.js';

const domain = 'chat.lab.test';
const chat = (port: number) => ({ host: domain, port });
const blackHoleMs = 1500;
describeWithLab('the network lab, scenario by scenario', { scenario: 'S1' }, (lab) => {
  const run = (spec: ProbeSpec): Promise<ProbeResult> => probe(lab(), spec);
  const connectTo = (port: number) => run({ kind: 'tcp', target: chat(port), timeoutMs: blackHoleMs });
  const startBoshSession = (url: string, options: { route?: Route; viaProxy?: ProxySpec } = {}) => run(boshSessionProbe(lab(), url, options));
  const openWebSocket = (url: string) => run(websocketProbe(lab(), url));
  const viaConnect = (proxy: ProxySpec): Route => ({ kind: 'http-connect', proxy });
  const startsABoshSession = (result: ProbeResult): void => {
    expect(result.outcome, result.message).toBe('response');
    expect(result.status).toBe(200);
    expect(result.body).toMatch(/<body [^>]*sid='[^']+'/);
    expect(result.body).toContain('<mechanism>SCRAM-SHA-256</mechanism>');
  };
  const timesOut = (result: ProbeResult): void => expect(result.outcome, result.message).toBe('timeout');
  const directPathsTimeOut = async (): Promise<void> => {
    const results = await Promise.all([5222, 5223, 443].map((port) => connectTo(port)));
    results.forEach(timesOut);
  };

  describe('S1 open', () => {
    beforeAll(() => lab().applyScenario('S1'));

    it('5222 offers STARTTLS in its stream features, and the upgraded stream verifies against the lab CA', () => expectStarttlsRequired(lab(), 'SCRAM-SHA-256'));

    it('5223 speaks direct TLS that verifies against the lab CA, and every test account logs in', () => expectDirectTlsLogins(lab()));

    it('BOSH over HTTPS on 443 answers a session creation', async () => {
      startsABoshSession(await startBoshSession(lab().endpoints.bosh));
    });

    it('WebSocket upgrades on 443 (wss) and on 80 (ws)', async () => {
      expect((await openWebSocket(lab().endpoints.websocket)).status).toBe(101);
      expect((await openWebSocket(lab().endpoints.websocketPlain)).status).toBe(101);
    });

    it("corp's resolver answers the XMPP SRV records", async () => {
      expect((await run({ kind: 'srv', name: '_xmpp-client._tcp.chat.lab.test' })).records).toEqual([{ name: domain, port: 5222, priority: 0, weight: 5 }]);
      expect((await run({ kind: 'srv', name: '_xmpps-client._tcp.chat.lab.test' })).records).toEqual([{ name: domain, port: 5223, priority: 0, weight: 5 }]);
    });

    it('host-meta lists the default endpoints', async () => {
      const result = await run({ kind: 'http', url: lab().endpoints.hostMetaJson, caFile: lab().caFile });
      expect(JSON.parse(result.body ?? '{}')).toEqual({
        links: [
          { rel: 'urn:xmpp:alt-connections:xbosh', href: 'https://chat.lab.test/http-bind' },
          { rel: 'urn:xmpp:alt-connections:websocket', href: 'wss://chat.lab.test/xmpp-websocket' },
        ],
      });
    });
  });

  describe('restartServer()', () => {
    it('brings Prosody back on every port with the same accounts', async () => {
      await lab().restartServer();
      const [account] = lab().accounts;
      const result = await run({ kind: 'xmpp-direct-tls', target: chat(5223), domain, caFile: lab().caFile, login: account });
      expect(result.login, result.message).toBe('success');
      startsABoshSession(await startBoshSession(lab().endpoints.bosh));
    });
  });

  describe('S2 5222 and 5223 refused', () => {
    beforeAll(() => lab().applyScenario('S2'));

    it('refuses 5222 and 5223 at once with a reset', async () => {
      for (const port of [5222, 5223]) {
        const result = await connectTo(port);
        expect(result.outcome).toBe('refused');
        expect(result.ms).toBeLessThan(500);
      }
    });

    it('still serves BOSH on 443', async () => {
      startsABoshSession(await startBoshSession(lab().endpoints.bosh));
    });
  });

  describe('S3 5222 and 5223 black-holed', () => {
    beforeAll(() => lab().applyScenario('S3'));

    it('lets connections to 5222 and 5223 time out', async () => {
      (await Promise.all([connectTo(5222), connectTo(5223)])).forEach(timesOut);
    });

    it('still serves BOSH on 443', async () => {
      startsABoshSession(await startBoshSession(lab().endpoints.bosh));
    });
  });

  describe('S4 only port 80 open', () => {
    beforeAll(() => lab().applyScenario('S4'));

    it('serves BOSH and WebSocket over plain HTTP on 80', async () => {
      startsABoshSession(await startBoshSession(lab().endpoints.boshPlain));
      expect((await openWebSocket(lab().endpoints.websocketPlain)).status).toBe(101);
    });

    it('black-holes 443, 5222 and 5223', directPathsTimeOut);
  });

  describe('S5 explicit proxy allowing CONNECT to 443 only', () => {
    beforeAll(() => lab().applyScenario('S5'));

    it('denies CONNECT to 5222 and 5223 at once', async () => {
      for (const port of [5222, 5223]) {
        const result = await run({ kind: 'tcp', target: chat(port), route: viaConnect(lab().proxies.http) });
        expect(result).toMatchObject({ outcome: 'proxy-refused', status: 403 });
      }
    });

    it('tunnels CONNECT to 443, where BOSH over HTTPS answers', async () => {
      startsABoshSession(await startBoshSession(lab().endpoints.bosh, { route: viaConnect(lab().proxies.http) }));
    });

    it('has no direct path', directPathsTimeOut);
  });

  describe('S6 proxy with Basic authentication', () => {
    beforeAll(() => lab().applyScenario('S6'));

    it('answers 407 without credentials and with a wrong password', async () => {
      const { host, port, username } = lab().proxies.httpAuth;
      for (const proxy of [{ host, port }, { host, port, username, password: 'wrong' }]) {
        const result = await run({ kind: 'tcp', target: chat(443), route: viaConnect(proxy) });
        expect(result).toMatchObject({ outcome: 'proxy-refused', status: 407 });
        expect(result.head).toMatch(/Proxy-Authenticate: Basic/i);
      }
    });

    it('tunnels to 443 with the right credentials, and still denies 5222', async () => {
      startsABoshSession(await startBoshSession(lab().endpoints.bosh, { route: viaConnect(lab().proxies.httpAuth) }));
      const to5222 = await run({ kind: 'tcp', target: chat(5222), route: viaConnect(lab().proxies.httpAuth) });
      expect(to5222).toMatchObject({ outcome: 'proxy-refused', status: 403 });
    });

    it('has no direct path', directPathsTimeOut);
  });

  describe('S7 proxy refusing every CONNECT', () => {
    beforeAll(() => lab().applyScenario('S7'));

    it('denies CONNECT even to 443', async () => {
      const result = await run({ kind: 'tcp', target: chat(443), route: viaConnect(lab().proxies.httpNoConnect) });
      expect(result).toMatchObject({ outcome: 'proxy-refused', status: 403 });
    });

    it('forwards a plain absolute-URI request to BOSH on http://chat.lab.test/http-bind', async () => {
      startsABoshSession(await startBoshSession(lab().endpoints.boshPlain, { viaProxy: lab().proxies.httpNoConnect }));
    });

    it('has no direct path', async () => {
      await Promise.all([directPathsTimeOut(), connectTo(80).then(timesOut)]);
    });
  });

  describe('S8 transparent proxy on port 80 stripping Upgrade', () => {
    beforeAll(() => lab().applyScenario('S8'));

    it('intercepts ws:// on 80 and strips the Upgrade, so no WebSocket opens', async () => {
      const result = await openWebSocket(lab().endpoints.websocketPlain);
      expect(result.outcome).toBe('response');
      expect(result.status).not.toBe(101);
      expect(String(result.headers?.via)).toMatch(/squid/i);
    });

    it('still forwards plain HTTP on 80, so BOSH over http:// works through it', async () => {
      startsABoshSession(await startBoshSession(lab().endpoints.boshPlain));
    });

    it('lets wss:// on 443 through', async () => {
      expect((await openWebSocket(lab().endpoints.websocket)).status).toBe(101);
    });

    it('black-holes 5222 and 5223', async () => {
      (await Promise.all([connectTo(5222), connectTo(5223)])).forEach(timesOut);
    });
  });

  describe('S9 SOCKS5 with user name and password', () => {
    beforeAll(() => lab().applyScenario('S9'));

    it('carries TCP + STARTTLS to 5222 with the right credentials', async () => {
      const route: Route = { kind: 'socks5', proxy: lab().proxies.socks5 };
      const result = await run({ kind: 'xmpp-starttls', target: chat(5222), domain, caFile: lab().caFile, route });
      expect(result.outcome, result.message).toBe('features');
      expect(result.tls?.authorized).toBe(true);
    });

    it('rejects a wrong password', async () => {
      const route: Route = { kind: 'socks5', proxy: { ...lab().proxies.socks5, password: 'wrong' } };
      expect((await run({ kind: 'tcp', target: chat(5222), route })).outcome).toBe('socks-auth-failed');
    });

    it('has no direct path', directPathsTimeOut);
  });

  describe('S10 PAC file naming the proxy', () => {
    beforeAll(() => lab().applyScenario('S10'));

    it('serves the PAC file over HTTP, naming proxy.lab.test:3128', async () => {
      const result = await run({ kind: 'http', url: lab().pacUrl });
      expect(result.status).toBe(200);
      expect(result.headers?.['content-type']).toBe('application/x-ns-proxy-autoconfig');
      expect(result.body).toContain('return "PROXY proxy.lab.test:3128; DIRECT";');
    });

    it('lets the named proxy tunnel to 443', async () => {
      startsABoshSession(await startBoshSession(lab().endpoints.bosh, { route: viaConnect(lab().proxies.http) }));
    });

    it('has no direct path', directPathsTimeOut);
  });

  describe('S11 everything blocked', () => {
    beforeAll(() => lab().applyScenario('S11'));

    it('black-holes the server, every proxy and the PAC server', async () => {
      const { proxies } = lab();
      const targets = [
        ...[5222, 5223, 80, 443].map(chat),
        ...[proxies.http, proxies.httpAuth, proxies.httpNoConnect, proxies.httpOpen, proxies.socks5],
        { host: 'pac.lab.test', port: 80 },
      ];
      const results = await Promise.all(targets.map((target) => run({ kind: 'tcp', target, timeoutMs: blackHoleMs })));
      expect(results.map((r) => r.outcome)).toEqual(targets.map(() => 'timeout'));
    });
  });

  describe('S12 open, then cut()', () => {
    beforeAll(() => lab().applyScenario('S12'));

    it('black-holes 5222/5223 and kills live connections there, while 443 still works', async () => {
      const held = holdStream(lab());
      try {
        await held.next((event) => event.event === 'data' && String(event.text).includes('</stream:features>'));
        await lab().cut();
        const established = await lab().execInWorld('ss', ['-tnH', 'state', 'established', '( sport = :5222 or sport = :5223 )']);
        expect(established.stdout.trim(), 'server-side connections left').toBe('');
        held.send("<iq type='get' id='after-cut'><ping xmlns='urn:xmpp:ping'/></iq>");
        await expect(held.next(() => true, 2000), 'the cut connection still answers').rejects.toThrow(/no event/);
      } finally {
        held.close();
      }
      (await Promise.all([connectTo(5222), connectTo(5223)])).forEach(timesOut);
      startsABoshSession(await startBoshSession(lab().endpoints.bosh));
    });
  });

  describe('S13 certificate for the wrong name', () => {
    beforeAll(() => lab().applyScenario('S13'));

    it('presents a certificate whose name does not match chat.lab.test on 5223, 5222 and 443', async () => {
      const caFile = lab().caFile;
      const results = [
        await run({ kind: 'xmpp-direct-tls', target: chat(5223), domain, caFile }),
        await run({ kind: 'xmpp-starttls', target: chat(5222), domain, caFile }),
        await run({ kind: 'http', url: lab().endpoints.bosh, caFile }),
      ];
      for (const result of results) {
        expect(result.outcome).toBe('tls-failed');
        expect(result.tls).toMatchObject({ error: 'ERR_TLS_CERT_ALTNAME_INVALID', subjectAltName: 'DNS:wrong-name.lab.test' });
      }
    });
  });

  describe('S14 endpoints announced in host-meta', () => {
    beforeAll(() => lab().applyScenario('S14'));

    it('lists BOSH and WebSocket on a non-default port and paths, in XML and JSON', async () => {
      const caFile = lab().caFile;
      const xml = await run({ kind: 'http', url: lab().endpoints.hostMeta, caFile });
      const json = await run({ kind: 'http', url: lab().endpoints.hostMetaJson, caFile });
      const bosh = 'https://chat.lab.test:7443/lab-alt/bosh';
      const websocket = 'wss://chat.lab.test:7443/lab-alt/websocket';
      expect(xml.body).toContain(`<Link rel='urn:xmpp:alt-connections:xbosh' href='${bosh}'/>`);
      expect(xml.body).toContain(`<Link rel='urn:xmpp:alt-connections:websocket' href='${websocket}'/>`);
      expect(JSON.parse(json.body ?? '{}').links).toEqual([
        { rel: 'urn:xmpp:alt-connections:xbosh', href: bosh },
        { rel: 'urn:xmpp:alt-connections:websocket', href: websocket },
      ]);
      expect(lab().endpoints).toMatchObject({ bosh, websocket });
    });

    it('serves XMPP at exactly those endpoints, and not at the defaults', async () => {
      startsABoshSession(await startBoshSession(lab().endpoints.bosh));
      expect((await openWebSocket(lab().endpoints.websocket)).status).toBe(101);
      expect((await startBoshSession('https://chat.lab.test/http-bind')).status).toBe(404);
      timesOut(await connectTo(5222));
    });
  });
});

interface HeldStream {
  next(match: (event: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  send(line: string): void;
  close(): void;
}

/** A live direct-TLS XMPP stream from corp, for watching what cut() does to it. */
function holdStream(lab: Lab): HeldStream {
  const spec: ProbeSpec = { kind: 'hold', target: chat(5223), domain, caFile: lab.caFile };
  const child = lab.spawnInClient(process.execPath, [compiledLabScript('probes.js'), JSON.stringify(spec)]);
  const events: Record<string, unknown>[] = [];
  let wake: (() => void) | undefined;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    events.push(JSON.parse(line) as Record<string, unknown>);
    wake?.();
  });
  return {
    async next(match, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = events.findIndex(match);
        if (index >= 0) return events.splice(0, index + 1).pop()!;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, left);
        });
      }
    },
    send: (line) => child.stdin!.write(line + '\n'),
    close: () => child.kill('SIGKILL'),
  };
}
