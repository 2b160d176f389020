// @vitest-environment jsdom
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AttemptView, ConnectionTestResult } from '../../../electron/contract/contract.js';
import { StatusBanner } from './StatusBanner.js';
import { account, fakeApi } from './testing.js';

const attempt = (number: number, path: string, outcome: AttemptView['outcome'], cause?: string): AttemptView => ({
  attempt: number,
  path,
  excluded: false,
  outcome,
  ...(cause ? { cause } : {}),
});

vi.mock('../api/burrow.js', () => ({ burrow: { invoke: vi.fn(), on: () => () => undefined }, isBrowserMode: false }));

afterEach(() => vi.useRealTimers());

describe('StatusBanner', () => {
  it('is a status named after its community and says by which path it connected', () => {
    const { api } = fakeApi();
    render(<StatusBanner account={account({ connectMs: 212.4, resumed: true })} api={api} />);
    const banner = screen.getByRole('status', { name: 'Lab' });
    expect(banner.textContent).toContain('Connected · WebSocket over HTTPS via proxy.lab.test:3128');
    expect(banner.textContent).toContain('alice@lab.test');
    expect(banner.textContent).toContain('in 212 ms');
    expect(banner.textContent).toContain('session resumed');
  });

  it('shows the attempts of a race as they arrive', () => {
    const { api } = fakeApi();
    const first = attempt(1, 'direct TLS xmpps://chat.lab.test:5223 via direct', 'running');
    const { rerender } = render(<StatusBanner account={account({ state: 'connecting', path: null, attempts: [first] })} api={api} />);
    const banner = screen.getByRole('status', { name: 'Lab' });
    expect(banner.textContent).toContain('Connecting…');
    expect(within(banner).getAllByRole('listitem')).toHaveLength(1);
    expect(within(banner).getByRole('listitem').textContent).toContain('Direct TLS, no proxy');
    expect(within(banner).getByRole('listitem').textContent).toContain('trying…');

    rerender(
      <StatusBanner
        account={account({
          state: 'connecting',
          path: null,
          attempts: [
            attempt(1, 'direct TLS xmpps://chat.lab.test:5223 via direct', 'failed', 'the firewall dropped it'),
            attempt(2, 'WebSocket wss://chat.lab.test:443/xmpp-websocket via HTTP proxy proxy.lab.test:3128', 'running'),
          ],
        })}
        api={api}
      />,
    );
    const items = within(screen.getByRole('list', { name: 'Connection attempts' })).getAllByRole('listitem');
    expect(items.map((item) => item.textContent)).toEqual([
      'Direct TLS, no proxyfailed · the firewall dropped it',
      'WebSocket over HTTPS via HTTP proxy proxy.lab.test:3128trying…',
    ]);
  });

  it('says it is reconnecting, and why, while it races again after losing the connection', () => {
    const { api } = fakeApi();
    const lost = { summary: 'The connection was lost; reconnecting.', hints: [] };
    const running = attempt(1, 'WebSocket wss://chat.lab.test:443/xmpp-websocket via direct', 'running');
    render(<StatusBanner account={account({ state: 'connecting', path: null, diagnosis: lost, attempts: [running] })} api={api} />);
    const banner = screen.getByRole('status', { name: 'Lab' });
    expect(banner.textContent).toContain('Reconnecting…');
    expect(banner.textContent).not.toContain('Connecting…');
    expect(banner.textContent).toContain('The connection was lost; reconnecting.');
    expect(within(banner).getByRole('list', { name: 'Connection attempts' }).textContent).toContain('WebSocket over HTTPS, no proxy');
  });

  it('counts down to the next try while reconnecting, and Retry now connects at once', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-12T10:00:00Z') });
    const { api, invoke } = fakeApi();
    render(
      <StatusBanner
        account={account({ state: 'reconnecting', path: null, retryAt: Date.now() + 12_000, diagnosis: { summary: 'The connection dropped.', hints: [] } })}
        api={api}
      />,
    );
    const banner = screen.getByRole('status', { name: 'Lab' });
    expect(banner.textContent).toContain('Reconnecting in 12 s');
    expect(banner.textContent).toContain('The connection dropped.');
    act(() => vi.advanceTimersByTime(3_000));
    expect(banner.textContent).toContain('Reconnecting in 9 s');
    act(() => vi.advanceTimersByTime(10_000));
    expect(banner.textContent).toContain('Reconnecting…');

    fireEvent.click(within(banner).getByRole('button', { name: 'Retry now' }));
    expect(invoke).toHaveBeenCalledWith('account:connect', { communityId: 'lab' });
  });

  it('gives the diagnosis when it failed, with Preferences, Try again and Test connection', async () => {
    const result: ConnectionTestResult = {
      communityId: 'lab',
      connected: false,
      path: null,
      elapsedMs: 1500,
      attempts: [],
      diagnosis: { summary: 'The server refused the password.', hints: [] },
      signIn: { status: 'skipped', reason: 'not connected' },
    };
    const { api, invoke } = fakeApi({ 'connection:test': () => result });
    render(
      <StatusBanner
        account={account({
          state: 'failed',
          path: null,
          diagnosis: { summary: 'The server refused the password for alice.', hints: ['Check the password in Preferences.'] },
        })}
        api={api}
      />,
    );
    const banner = screen.getByRole('status', { name: 'Lab' });
    expect(banner.textContent).toContain('Not connected');
    expect(banner.textContent).toContain('The server refused the password for alice.');
    expect(within(banner).getByRole('list', { name: 'What to try' }).textContent).toBe('Check the password in Preferences.');

    fireEvent.click(within(banner).getByRole('button', { name: 'Open Preferences' }));
    expect(invoke).toHaveBeenCalledWith('window:openPreferences');
    fireEvent.click(within(banner).getByRole('button', { name: 'Try again' }));
    expect(invoke).toHaveBeenCalledWith('account:connect', { communityId: 'lab' });
    fireEvent.click(within(banner).getByRole('button', { name: 'Test connection' }));
    expect(invoke).toHaveBeenCalledWith('connection:test', { communityId: 'lab' });
    expect(await within(banner).findByText(/Not connected after 1500 ms/)).toBeTruthy();
  });

  it('asks for the account details when the community is not set up, and offers Connect when offline', () => {
    const { api, invoke } = fakeApi();
    const { rerender } = render(<StatusBanner account={account({ state: 'not-configured', jid: null, path: null })} api={api} />);
    expect(screen.getByRole('status', { name: 'Lab' }).textContent).toContain('Not set up yet');
    fireEvent.click(screen.getByRole('button', { name: 'Open Preferences' }));
    expect(invoke).toHaveBeenLastCalledWith('window:openPreferences');

    rerender(<StatusBanner account={account({ state: 'offline', path: null })} api={api} />);
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(invoke).toHaveBeenLastCalledWith('account:connect', { communityId: 'lab' });
  });

  it('says so when connecting is refused', async () => {
    const { api } = fakeApi({
      'account:connect': () => {
        throw new Error('There is no community "lab".');
      },
    });
    render(<StatusBanner account={account({ state: 'offline', path: null })} api={api} />);
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Could not connect: There is no community "lab".');
  });
});
