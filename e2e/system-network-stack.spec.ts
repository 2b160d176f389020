/**
 * "Use my system proxy settings" in Electron: BOSH over HTTPS rides Chromium's network stack, which
 * takes its proxy from a PAC file here. No XMPP server is needed: the proxy seeing Chromium's
 * CONNECT, and the attempt naming the system's network stack, are the facts checked.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { expect, test } from './fixtures.js';
import { findElectronBinary, launchElectron } from './launch.js';

/** Serves /proxy.pac, which sends everything to this server, and refuses every CONNECT after noting it. */
async function startPacAndProxy() {
  const connects: string[] = [];
  const server = http.createServer((request, response) => {
    const { port } = server.address() as AddressInfo;
    if (request.url !== '/proxy.pac') return void response.writeHead(404).end();
    response.writeHead(200, { 'Content-Type': 'application/x-ns-proxy-autoconfig' });
    response.end(`function FindProxyForURL(url, host) { return "PROXY 127.0.0.1:${port}"; }`);
  });
  server.on('connect', (request: http.IncomingMessage, socket) => {
    connects.push(request.url ?? '');
    socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    pacUrl: `http://127.0.0.1:${port}/proxy.pac`,
    connects,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

test('Test connection names the system\'s network stack for BOSH over HTTPS with "Use my system proxy settings"', async ({ burrowMode }) => {
  test.skip(burrowMode !== 'electron', "Only Electron has Chromium's network stack in its main process; browser mode runs Burrow's own.");
  const electronBinary = findElectronBinary();
  if ('reason' in electronBinary) return test.skip(true, `Electron suite skipped: ${electronBinary.reason}.`);

  const proxy = await startPacAndProxy();
  const app = await launchElectron(electronBinary.path, [`--proxy-pac-url=${proxy.pacUrl}`]);
  try {
    const preferences = await app.openPreferences();
    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    await preferences.getByRole('radio', { name: 'Use my system proxy settings' }).check();
    await preferences.getByRole('tab', { name: 'Server Communities' }).click();
    await preferences.getByRole('button', { name: 'Add community' }).click();
    await preferences.getByLabel('Display name').fill('Behind the PAC');
    // A written port: exactly one attempt, the BOSH one.
    await preferences.getByLabel('Host server').fill('https://chat.burrow-e2e.test:443/http-bind');
    await preferences.getByLabel('User name').fill('alice');
    await preferences.getByLabel('Password', { exact: true }).fill('not-sent');
    await preferences.getByRole('button', { name: 'Apply' }).click();
    await preferences.getByRole('button', { name: 'Test connection' }).click();

    const attempts = preferences.getByRole('log', { name: 'Connection attempts' });
    await expect(attempts).toContainText("BOSH https://chat.burrow-e2e.test:443/http-bind via system proxy on the system's network stack");
    // Chromium, not Burrow, asked the PAC file and then the proxy it names.
    await expect.poll(() => proxy.connects, { timeout: 30_000 }).toContain('chat.burrow-e2e.test:443');

    // Copy report works in Electron's sandboxed page too: the one permission it has.
    await expect(preferences.getByRole('status', { name: 'Verdict' })).toContainText('Burrow cannot connect to chat.burrow-e2e.test', { timeout: 30_000 });
    await preferences.getByRole('button', { name: 'Copy report' }).click();
    await expect(preferences.getByText(/^Report copied/)).toBeVisible();
    expect(await app.readClipboard()).toMatch(/^Burrow connection test — Behind the PAC — .*\nMethod: Use my system proxy settings; system proxy settings from the operating system/s);
  } finally {
    await app.close();
    await proxy.close();
  }
});
