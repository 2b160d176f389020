import https from 'node:https';
import net from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { CertificateError } from '../errors.js';
import { fingerprintOf, localhostKey, selfSignedLocalhost } from '../testing/certificate-fixtures.js';
import { closeServer, listenLocally } from '../testing/tcp-servers.js';
import { tlsTrustFor } from '../trust.js';
import type { CertificateTrust } from '../trust.js';
import { routeAgent } from './route-agent.js';

let server: https.Server | undefined;
afterEach(async () => {
  if (server) await closeServer(server);
  server = undefined;
});

/** GET / over HTTPS from a server presenting the self-signed localhost certificate, through a route agent. */
async function getThroughAgent(trust: CertificateTrust): Promise<string> {
  let requests = 0;
  server = https.createServer({ key: localhostKey, cert: selfSignedLocalhost }, (_request, response) => {
    requests += 1;
    response.end(`request ${requests}`);
  });
  const port = await listenLocally(server);
  const agent = routeAgent(() => Promise.resolve(net.connect(port, '127.0.0.1')), tlsTrustFor('localhost', trust)) as https.Agent;
  try {
    return await new Promise<string>((resolve, reject) => {
      https.get(`https://localhost:${port}/`, { agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve(Buffer.concat(chunks).toString()));
      }).on('error', reject);
    });
  } finally {
    agent.destroy();
  }
}

describe('routeAgent over HTTPS (BOSH)', () => {
  it('refuses a certificate nobody vouches for', async () => {
    await expect(getThroughAgent({})).rejects.toBeInstanceOf(CertificateError);
  });

  it('carries requests to a server whose certificate the user trusts', async () => {
    expect(await getThroughAgent({ trustedFingerprints: [fingerprintOf(selfSignedLocalhost)] })).toBe('request 1');
  });
});
