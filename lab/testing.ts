/** Helpers for tests that need the lab (the lab's own checks and core's integration tests). */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { labUnavailableReason } from './install.js';
import { startLab, type Lab, type StartLabOptions } from './lab.js';
import { listLabNamespaces } from './netns.js';
import { compiledLabScript } from './paths.js';
import { upload } from './topology.js';
import type { ProbeResult, ProbeSpec } from './probes.js';

/**
 * A describe block for tests that need the lab. Where the lab cannot run it is skipped with the
 * reason printed — except in CI, where it fails with that reason.
 */
export function describeLabTests(name: string, body: () => void): void {
  const reason = labUnavailableReason();
  if (reason && !process.env.CI) {
    console.warn(`skipping "${name}": ${reason}`);
    describe.skip(name, body);
    return;
  }
  describe(name, () => {
    beforeAll(() => {
      if (reason) throw new Error(`the lab is required in CI but cannot run: ${reason}`);
    });
    body();
  });
}

/** describeLabTests with one lab started for all its tests, stopped (and checked gone) after. */
export function describeWithLab(name: string, options: StartLabOptions, body: (lab: () => Lab) => void): void {
  describeLabTests(name, () => {
    let lab: Lab | undefined;
    beforeAll(async () => {
      lab = await startLab(options);
    }, 180_000);
    afterAll(async () => {
      await lab?.stop();
      expect(listLabNamespaces(), 'namespaces left behind').toEqual([]);
    }, 30_000);
    body(() => {
      if (!lab) throw new Error('the lab did not start');
      return lab;
    });
  });
}

/** Runs one plain-client probe inside corp, the client's namespace. */
export async function probe(lab: Lab, spec: ProbeSpec): Promise<ProbeResult> {
  const result = await lab.execInClient(process.execPath, [compiledLabScript('probes.js'), JSON.stringify(spec)], 30_000);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) throw new Error(`probe printed no result (exit ${result.code}): ${result.stderr}`);
  return JSON.parse(line) as ProbeResult;
}

const domain = 'chat.lab.test';

/** XEP-0124's session creation request, as the lab's checks send it. */
const boshSessionRequest =
  "<body rid='1000' to='chat.lab.test' xmlns='http://jabber.org/protocol/httpbind' xmlns:xmpp='urn:xmpp:xbosh' xmpp:version='1.0' ver='1.6' wait='1' hold='1'/>";
const websocketHandshake = {
  connection: 'Upgrade',
  upgrade: 'websocket',
  'sec-websocket-version': '13',
  'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
  'sec-websocket-protocol': 'xmpp',
};

/** A probe POSTing a BOSH session creation to `url` (directly unless `options` names a route or proxy). */
export function boshSessionProbe(lab: Lab, url: string, options: Pick<Extract<ProbeSpec, { kind: 'http' }>, 'route' | 'viaProxy'> = {}): ProbeSpec {
  return { kind: 'http', method: 'POST', url, body: boshSessionRequest, headers: { 'content-type': 'text/xml; charset=utf-8' }, caFile: lab.caFile, ...options };
}

/** A probe asking `url` for an XMPP WebSocket upgrade (RFC 7395). */
export function websocketProbe(lab: Lab, url: string): ProbeSpec {
  return { kind: 'http', url, headers: websocketHandshake, caFile: lab.caFile };
}

/** 5222 requires STARTTLS, and the upgraded stream verifies against the lab CA and offers `mechanism`. */
export async function expectStarttlsRequired(lab: Lab, mechanism: string): Promise<void> {
  const result = await probe(lab, { kind: 'xmpp-starttls', target: { host: domain, port: 5222 }, domain, caFile: lab.caFile });
  expect(result.outcome, result.message).toBe('features');
  expect(result.features).toMatch(/<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required\/><\/starttls>/);
  expect(result.tls?.authorized).toBe(true);
  expect(result.featuresAfterTls).toContain(`<mechanism>${mechanism}</mechanism>`);
}

/** 5223 speaks direct TLS with the lab's certificate, and every test account logs in. */
export async function expectDirectTlsLogins(lab: Lab): Promise<void> {
  for (const account of [...lab.accounts, lab.osLoginAccount]) {
    const result = await probe(lab, { kind: 'xmpp-direct-tls', target: { host: domain, port: 5223 }, domain, caFile: lab.caFile, login: account });
    expect(result.tls).toMatchObject({ authorized: true, subjectAltName: `DNS:${domain}, DNS:${upload.domain}` });
    expect(result.login, account.jid).toBe('success');
  }
}
