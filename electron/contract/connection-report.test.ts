import { describe, expect, it } from 'vitest';

import { connectionReport, reportFileName, reportText, testAdvice, testVerdict } from './connection-report.js';
import type { AppInfo, ConnectionTestResult } from './contract.js';

const host = 'chat.lab.test';
const info: AppInfo = { name: 'Burrow', version: '0.1.0', mode: 'browser', platform: 'linux', os: 'Linux 6.1.0 x64', runtime: 'Node 20.20.0', dataDir: '/home/alice/.config/Burrow' };
const wrongProxyPassword: ConnectionTestResult = {
  communityId: 'lab',
  connected: false,
  path: null,
  elapsedMs: 180,
  attempts: [
    {
      attempt: 1,
      path: { transport: 'websocket', endpoint: { host, port: 443, path: '/xmpp-websocket', secure: true }, route: { kind: 'proxy', proxyType: 'http', host: 'authproxy.lab.test', port: 3128 } },
      excluded: false,
      outcome: 'failed',
      startedAtMs: 0,
      endedAtMs: 180,
      cause: { kind: 'proxy-authentication', proxy: 'authproxy.lab.test:3128', status: 407, detail: 'Proxy Authentication Required' },
    },
  ],
  diagnosis: { host, tried: 1, elapsedMs: 180, obstacle: { kind: 'proxy-login', proxy: 'authproxy.lab.test:3128' } },
  settings: {
    address: host,
    method: 'proxy',
    proxy: { type: 'http', host: 'authproxy.lab.test', port: 3128, login: true },
    allowUnencrypted: false,
    extraCas: 1,
    trustedCertificates: 0,
  },
  signIn: { status: 'skipped', reason: 'not connected' },
};

describe('a connection test as a report for a help desk', () => {
  const report = connectionReport(wrongProxyPassword, { info, community: 'Lab chat', createdAt: new Date('2026-12-02T14:05:09.123Z') });

  it('gives the verdict, the advice, the settings, the environment and every attempt, as text', () => {
    expect(reportText(report)).toBe(
      [
        'Burrow connection test — Lab chat — 2026-12-02T14:05:09.123Z',
        '',
        'Burrow cannot connect to chat.lab.test: the proxy authproxy.lab.test:3128 refused the proxy user name and password. (1 path tried in 0.2 s)',
        '',
        'What to do:',
        '  - You: Check the proxy user name and password; the proxy locks accounts after a few failed logins, so Burrow will not try again by itself. (Preferences › Proxy user name)',
        '',
        'Address: chat.lab.test',
        'Method: Use proxy; HTTP proxy authproxy.lab.test:3128, with a login',
        'Unencrypted HTTP tunnelling: not allowed',
        'Trust: 1 additional CA, 0 trusted certificates',
        'Burrow 0.1.0 (browser mode) on Linux 6.1.0 x64; Node 20.20.0',
        '',
        'Attempts (ms since the race began):',
        '   1. WebSocket wss://chat.lab.test:443/xmpp-websocket via HTTP proxy authproxy.lab.test:3128',
        '      failed, 0–180 ms: proxy authentication failed at authproxy.lab.test:3128 (407); check the proxy user name and password',
      ].join('\n'),
    );
  });

  it('holds no secret and no personal folder, as JSON', () => {
    const json = JSON.stringify(report);
    expect(json).not.toMatch(/password"|dataDir|\/home\/alice/);
    expect(JSON.parse(json)).toMatchObject({ report: 'burrow-connection-test', burrow: { version: '0.1.0', os: 'Linux 6.1.0 x64' }, settings: { method: 'proxy' } });
    expect(reportFileName(report)).toBe('burrow-connection-test-2026-12-02T14-05-09Z.json');
  });

  it('speaks of the sign-in when the path worked but the server refused the account', () => {
    const refused: ConnectionTestResult = {
      ...wrongProxyPassword,
      connected: true,
      path: wrongProxyPassword.attempts[0]!.path,
      diagnosis: { host, tried: 1, elapsedMs: 180 },
      signIn: { status: 'failed', cause: { kind: 'sign-in-refused', condition: 'not-authorized' }, endedAtMs: 300 },
    };
    expect(testVerdict(refused)).toBe(
      'Connected to chat.lab.test in 0.2 s over WebSocket over HTTPS via HTTP proxy authproxy.lab.test:3128. Then signing in failed. The server refused the user name or password.',
    );
    expect(testAdvice(refused)).toEqual([{ by: 'you', words: 'Check the user name and password.', field: 'username' }]);
  });
});
