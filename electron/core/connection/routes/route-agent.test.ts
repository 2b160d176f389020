import https from 'node:https';
import net from 'node:net';

import { afterEach, describe, expect, it, vi } from 'vitest';

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
  const agent = routeAgent(() => Promise.resolve(net.connect(port, '127.0.0.1')), { tlsTrust: tlsTrustFor('localhost', trust) }) as https.Agent;
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

describe('routeAgent opening the second connection ahead (BOSH keeps two requests open)', () => {
  const trust = { trustedFingerprints: [fingerprintOf(selfSignedLocalhost)] };

  async function agentWithCountedRoutes() {
    const connections: net.Socket[] = [];
    server = https.createServer({ key: localhostKey, cert: selfSignedLocalhost }, (_request, response) => response.end('ok'));
    server.on('connection', (socket: net.Socket) => connections.push(socket));
    const port = await listenLocally(server);
    const routes: net.Socket[] = [];
    const openRoute = () => {
      routes.push(net.connect(port, '127.0.0.1'));
      return Promise.resolve(routes.at(-1)!);
    };
    const agent = routeAgent(openRoute, { tlsTrust: tlsTrustFor('localhost', trust), openSecondAhead: true }) as https.Agent;
    const get = () =>
      new Promise<void>((resolve, reject) => {
        https.get(`https://localhost:${port}/`, { agent }, (response) => response.resume().on('end', () => resolve())).on('error', reject);
      });
    return { agent, get, connections, routes, routesOpened: () => routes.length };
  }

  it('opens the second connection as soon as the first is taken, and uses it for the second request at once', async () => {
    const { agent, get, routesOpened } = await agentWithCountedRoutes();
    try {
      await get();
      expect(routesOpened()).toBe(2);
      await Promise.all([get(), get()]);
      expect(routesOpened()).toBe(2);
    } finally {
      agent.destroy();
    }
  });

  it('replaces the connection opened ahead when the server closes it while it waits, without an unheard error', async () => {
    const { agent, get, connections, routes, routesOpened } = await agentWithCountedRoutes();
    try {
      await get();
      await vi.waitFor(() => expect(connections).toHaveLength(2));
      connections[1]!.destroy();
      await vi.waitFor(() => expect(routes[1]!.destroyed).toBe(true));
      await Promise.all([get(), get()]);
      expect(routesOpened()).toBe(3);
    } finally {
      agent.destroy();
    }
  });

  it('closes the connection opened ahead when the agent goes unused', async () => {
    const { agent, get, connections } = await agentWithCountedRoutes();
    await get();
    await vi.waitFor(() => expect(connections).toHaveLength(2));
    agent.destroy();
    await vi.waitFor(() => expect(connections.every((socket) => socket.destroyed || socket.readableEnded)).toBe(true));
  });
});
