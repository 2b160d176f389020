// @vitest-environment jsdom
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { AppInfo, AttemptView, ConnectionTestResult } from '../../../electron/contract/contract.js';
import { fakeApi, samplePaths } from '../chat/testing.js';
import { ConnectionTest } from './ConnectionTest.js';

vi.mock('../api/burrow.js', () => ({ burrow: { invoke: vi.fn(), on: () => () => undefined }, isBrowserMode: false }));
// jsdom lays nothing out and has no scrollIntoView, which Test connection uses to show its verdict.
Element.prototype.scrollIntoView = () => undefined;

const silentTls: AttemptView = {
  attempt: 1,
  path: samplePaths.directTls,
  excluded: false,
  outcome: 'cancelled',
  startedAtMs: 0,
  endedAtMs: 412,
  cause: { kind: 'no-answer', target: 'chat.lab.test:5223', withinMs: 250, nextPathTried: true },
};
const wssWinner: AttemptView = { attempt: 2, path: samplePaths.wss, excluded: false, outcome: 'won', startedAtMs: 250, reachedAtMs: 280, negotiatingAtMs: 290, endedAtMs: 412 };
const result: ConnectionTestResult = {
  communityId: 'lab',
  connected: true,
  path: samplePaths.wss,
  elapsedMs: 412,
  attempts: [silentTls, wssWinner],
  diagnosis: { host: 'chat.lab.test', tried: 2, elapsedMs: 412, obstacle: { kind: 'ports-blocked', host: 'chat.lab.test', ports: [5223], silent: true, route: 'direct' } },
  settings: { address: 'chat.lab.test', method: 'automatic', allowUnencrypted: false, extraCas: 1, trustedCertificates: 0 },
  signIn: { status: 'signed-in', jid: 'alice@chat.lab.test/burrow', endedAtMs: 650 },
};
const info: AppInfo = { name: 'Burrow', version: '0.1.0', mode: 'browser', platform: 'linux', os: 'Linux 6.1 x64', runtime: 'Node 20', dataDir: '/tmp/burrow' };

function setUp() {
  let finish: (value: ConnectionTestResult) => void = () => {};
  const fake = fakeApi({ 'connection:test': () => new Promise<ConnectionTestResult>((resolve) => (finish = resolve)), 'app:getInfo': () => info });
  const onShowField = vi.fn();
  render(<ConnectionTest communityId="lab" community="Lab chat" saved unsavedChanges={false} onShowField={onShowField} api={fake.api} />);
  return { ...fake, onShowField, finish: (value: ConnectionTestResult) => act(() => finish(value)) };
}

describe('Test connection', () => {
  it('draws the attempts as they happen, then gives the verdict, the advice and the picture of the whole race', async () => {
    const { emit, finish, onShowField } = setUp();
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    emit('connection:testProgress', { communityId: 'lab', event: 'started', atMs: 0, attempt: { ...silentTls, outcome: 'running', endedAtMs: undefined } as AttemptView });
    expect(screen.getByRole('img', { name: 'Connection attempts as a waterfall: 1 path, still trying' })).toBeTruthy();

    await finish(result);
    const verdict = screen.getByRole('status', { name: 'Verdict' });
    expect(within(verdict).getByText(/^Connected to chat\.lab\.test in 0\.4 s over WebSocket over HTTPS, no proxy\./).textContent).toContain(
      'Signed in as alice@chat.lab.test/burrow.',
    );
    const picture = screen.getByRole('img', { name: 'Connection attempts as a waterfall: 2 paths, WebSocket over HTTPS, no proxy won at 412 ms' });
    expect(picture.querySelectorAll('g.waterfall-row')).toHaveLength(2);

    const advice = within(verdict).getByRole('list', { name: 'What to do' });
    expect(advice.textContent).toContain('Your network administrator: Allow connections to chat.lab.test on port 5223');
    expect(onShowField).not.toHaveBeenCalled();
  });

  it('copies a report a help desk can read, and leads from advice to the field it is about', async () => {
    const writeText = vi.fn(async () => {});
    Object.assign(navigator, { clipboard: { writeText } });
    const { finish, onShowField } = setUp();
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    await finish({ ...result, connected: false, path: null, diagnosis: { ...result.diagnosis, obstacle: { kind: 'name-not-found', host: 'chat.lab.test', temporary: false } } });

    fireEvent.click(screen.getByRole('button', { name: 'Go to Host server' }));
    expect(onShowField).toHaveBeenCalledWith('hostServer');

    fireEvent.click(screen.getByRole('button', { name: 'Copy report' }));
    expect(await screen.findByText(/^Report copied/)).toBeTruthy();
    const [text] = writeText.mock.calls[0] as unknown as [string];
    expect(text).toMatch(/^Burrow connection test — Lab chat — /);
    expect(text).toContain('Burrow cannot connect to chat.lab.test: the name chat.lab.test is not in DNS.');
    expect(text).toContain('Burrow 0.1.0 (browser mode) on Linux 6.1 x64; Node 20');
  });
});
