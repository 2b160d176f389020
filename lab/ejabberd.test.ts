/**
 * The lab with ejabberd as chat.lab.test: Debian's web paths, announced by ejabberd's own host-meta,
 * the same ports and certificate as Prosody's setup, the lab's accounts, and a restart that keeps them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProbeResult, ProbeSpec } from './probes.js';
import { boshSessionProbe, describeWithLab, expectDirectTlsLogins, expectStarttlsRequired, probe, websocketProbe } from './testing.js';

const domain = 'chat.lab.test';
const chat = (port: number) => ({ host: domain, port });
describeWithLab('the network lab with ejabberd', { scenario: 'S1', server: 'ejabberd' }, (lab) => {
  const run = (spec: ProbeSpec): Promise<ProbeResult> => probe(lab(), spec);
  const startBoshSession = (url: string) => run(boshSessionProbe(lab(), url));
  const openWebSocket = (url: string) => run(websocketProbe(lab(), url));
  const startsABoshSession = (result: ProbeResult): void => {
    expect(result.outcome, result.message).toBe('response');
    expect(result.status).toBe(200);
    expect(result.body).toMatch(/<body [^>]*sid='[^']+'/);
    expect(result.body).toContain('<mechanism>SCRAM-SHA-1</mechanism>');
  };
  const logsIn = async (account: { username: string; password: string }) =>
    (await run({ kind: 'xmpp-direct-tls', target: chat(5223), domain, caFile: lab().caFile, login: account })).login;

  it('says it is ejabberd, with Debian’s web paths', () => {
    expect(lab().server).toBe('ejabberd');
    expect(lab().endpoints).toMatchObject({
      bosh: 'https://chat.lab.test/bosh',
      websocket: 'wss://chat.lab.test/ws',
      boshPlain: 'http://chat.lab.test/bosh',
      websocketPlain: 'ws://chat.lab.test/ws',
    });
  });

  it('requires STARTTLS on 5222, and the upgraded stream verifies against the lab CA and offers SCRAM-SHA-1', () => expectStarttlsRequired(lab(), 'SCRAM-SHA-1'));

  it('speaks direct TLS on 5223 with the lab’s certificate, every test account (the OS login’s too) logs in, and a wrong password fails', async () => {
    await expectDirectTlsLogins(lab());
    expect(await logsIn({ username: 'alice', password: 'not-the-password' })).toBe('failure');
  });

  it('serves BOSH at /bosh and WebSocket at /ws, on 443 and on plain 80, and nothing at Prosody’s paths', async () => {
    startsABoshSession(await startBoshSession(lab().endpoints.bosh));
    startsABoshSession(await startBoshSession(lab().endpoints.boshPlain));
    expect((await openWebSocket(lab().endpoints.websocket)).status).toBe(101);
    expect((await openWebSocket(lab().endpoints.websocketPlain)).status).toBe(101);
    expect((await startBoshSession('https://chat.lab.test/http-bind')).status).toBe(404);
    expect((await openWebSocket('wss://chat.lab.test/xmpp-websocket')).status).toBe(404);
  });

  it('announces /bosh and /ws in its own host-meta, XML and JSON', async () => {
    const caFile = lab().caFile;
    const xml = await run({ kind: 'http', url: lab().endpoints.hostMeta, caFile });
    const json = await run({ kind: 'http', url: lab().endpoints.hostMetaJson, caFile });
    expect(xml.body).toContain("<Link rel='urn:xmpp:alt-connections:xbosh' href='https://chat.lab.test/bosh'/>");
    expect(xml.body).toContain("<Link rel='urn:xmpp:alt-connections:websocket' href='wss://chat.lab.test/ws'/>");
    expect(JSON.parse(json.body ?? '{}').links).toEqual([
      { rel: 'urn:xmpp:alt-connections:xbosh', href: 'https://chat.lab.test/bosh' },
      { rel: 'urn:xmpp:alt-connections:websocket', href: 'wss://chat.lab.test/ws' },
    ]);
  });

  it('keeps Erlang distribution on world’s loopback, with no epmd', async () => {
    const listening = await lab().execInWorld('ss', ['-ltnpH']);
    expect(listening.stdout).toMatch(/127\.0\.0\.1:5210 .*beam\.smp/);
    expect(listening.stdout).not.toMatch(/epmd|:4369 /);
  });

  describe('restartServer()', () => {
    it('brings ejabberd back on every port with the same accounts', async () => {
      await lab().restartServer();
      expect(await logsIn(lab().accounts[0]!)).toBe('success');
      startsABoshSession(await startBoshSession(lab().endpoints.bosh));
    });
  });

  describe('S14 endpoints announced in host-meta', () => {
    beforeAll(() => lab().applyScenario('S14'));

    it('announces and serves BOSH and WebSocket on 7443 at the alternate paths', async () => {
      const json = await run({ kind: 'http', url: lab().endpoints.hostMetaJson, caFile: lab().caFile });
      const bosh = 'https://chat.lab.test:7443/lab-alt/bosh';
      const websocket = 'wss://chat.lab.test:7443/lab-alt/websocket';
      expect(JSON.parse(json.body ?? '{}').links).toEqual([
        { rel: 'urn:xmpp:alt-connections:xbosh', href: bosh },
        { rel: 'urn:xmpp:alt-connections:websocket', href: websocket },
      ]);
      startsABoshSession(await startBoshSession(bosh));
      expect((await openWebSocket(websocket)).status).toBe(101);
    });
  });

  describe('S17 self-signed certificate', () => {
    beforeAll(() => lab().applyScenario('S17'));

    it('presents the self-signed certificate on 5223 and 443, and serves it to a client that trusts exactly that certificate', async () => {
      for (const spec of [
        { kind: 'xmpp-direct-tls', target: chat(5223), domain, caFile: lab().caFile },
        { kind: 'http', url: lab().endpoints.hostMeta, caFile: lab().caFile },
      ] as const) {
        expect((await run(spec)).tls).toMatchObject({ authorized: false, error: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      }
      const trusted = await run({ kind: 'xmpp-direct-tls', target: chat(5223), domain, caFile: lab().serverCertificate.file });
      expect(trusted.tls).toMatchObject({ authorized: true, subjectAltName: 'DNS:chat.lab.test' });
    });
  });
});
