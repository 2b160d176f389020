import { describe, expect, it } from 'vitest';

import type { AttemptPath } from './attempt-path.js';
import type { Obstacle } from './diagnosis.js';
import { adviceFor, connectedVerdict, failureVerdict, listWords, obstacleWords } from './diagnosis-words.js';

const host = 'chat.lab.test';
const wss: AttemptPath = { transport: 'websocket', endpoint: { host, port: 443, path: '/xmpp-websocket', secure: true }, route: { kind: 'direct' } };
const boshPlain: AttemptPath = { transport: 'bosh', endpoint: { host, port: 80, path: '/http-bind', secure: false }, route: { kind: 'direct' } };

/** One obstacle of each class, as core classifies a race. */
const obstacles: Obstacle[] = [
  { kind: 'ports-blocked', host, ports: [443, 5222, 5223], silent: true, route: 'direct' },
  { kind: 'ports-blocked', host, ports: [5222], silent: false, route: 'proxy' },
  { kind: 'proxy-refusing', proxy: 'proxy.lab.test:3128', host, ports: ['5222', '5223'] },
  { kind: 'proxy-login', proxy: 'proxy.lab.test:3128', proxyLogin: { status: 407, offered: ['basic'], tried: 'basic', credentials: 'configured' } },
  { kind: 'proxy-login', proxy: 'proxy.lab.test:3128', proxyLogin: { status: 407, offered: ['negotiate'], credentials: 'configured' } },
  { kind: 'proxy-unreachable', proxy: 'proxy.lab.test:3128' },
  { kind: 'certificate', expectedName: host },
  { kind: 'name-not-found', host, temporary: false },
  { kind: 'name-not-found', host, temporary: true },
  { kind: 'unencrypted-only', host, paths: [boshPlain] },
  { kind: 'server', host, cause: { kind: 'websocket-refused', target: `${host}:443`, status: 404 } },
  { kind: 'no-allowed-path', host },
  { kind: 'unclear', host },
];

describe('a diagnosis in words', () => {
  it('gives the verdict first, in one sentence, with what stood in the way and how much was tried', () => {
    expect(failureVerdict({ host, tried: 6, elapsedMs: 10_259, obstacle: obstacles[0] })).toBe(
      'Burrow cannot connect to chat.lab.test: this network lets no connection through to chat.lab.test on ports 443, 5222 and 5223 ' +
        '(no answer: the connections are dropped). (6 paths tried in 10.3 s)',
    );
    expect(failureVerdict({ host, tried: 0, elapsedMs: 0, obstacle: { kind: 'unclear', host, detail: 'the settings file is locked' } })).toBe(
      'Burrow cannot connect to chat.lab.test: the settings file is locked.',
    );
  });

  it('says after a connection what the paths before the winner met', () => {
    expect(connectedVerdict({ host, tried: 3, elapsedMs: 412, obstacle: { kind: 'ports-blocked', host, ports: [5222, 5223], silent: true, route: 'direct' } }, wss)).toBe(
      'Connected to chat.lab.test in 0.4 s over WebSocket over HTTPS, no proxy. ' +
        'On the way, this network lets no connection through to chat.lab.test on ports 5222 and 5223 (no answer: the connections are dropped).',
    );
    expect(connectedVerdict({ host, tried: 1, elapsedMs: 80 }, wss)).toBe('Connected to chat.lab.test in 0.1 s over WebSocket over HTTPS, no proxy.');
  });

  it.each(obstacles)('has words and advice for every class of failure: $kind', (obstacle) => {
    expect(obstacleWords(obstacle)).toMatch(/\S/);
    const advice = adviceFor(obstacle);
    expect(advice.length).toBeGreaterThan(0);
    for (const { words } of advice) expect(words).toMatch(/^[A-Z].*\.$/);
  });

  it('points the user to the field to change, and the network administrator to the ports to open', () => {
    const [blocked] = obstacles;
    expect(adviceFor(blocked!)).toEqual([
      { by: 'you', words: 'If your network has a proxy, choose "Use my system proxy settings" or "Use proxy".', field: 'method' },
      { by: 'network-administrator', words: 'Allow connections to chat.lab.test on ports 443, 5222 and 5223, or at least port 443 (HTTPS).' },
    ]);
    expect(adviceFor({ kind: 'unencrypted-only', host, paths: [boshPlain] }).map(({ field }) => field)).toContain('allowUnencrypted');
    expect(adviceFor({ kind: 'name-not-found', host, temporary: false })[0]?.field).toBe('hostServer');
  });

  it('suspects a server that is down when every port refused, not only a firewall', () => {
    const advice = adviceFor({ kind: 'ports-blocked', host, ports: [5222, 5223], silent: false, route: 'direct' });
    expect(advice.at(-1)).toEqual({ by: 'server-administrator', words: 'Check that the XMPP server at chat.lab.test is running: it refused every connection.' });
  });

  it('after a connection, advises only what would make it faster', () => {
    expect(adviceFor({ kind: 'ports-blocked', host, ports: [5222, 5223], silent: true, route: 'direct' }, { connected: true })).toEqual([
      { by: 'network-administrator', words: "Allow connections to chat.lab.test on ports 5222 and 5223: Burrow would connect faster over XMPP's own ports." },
    ]);
  });

  it('lists as people write', () => {
    expect(listWords([])).toBe('');
    expect(listWords([443])).toBe('443');
    expect(listWords([443, 5222, 5223])).toBe('443, 5222 and 5223');
  });
});
