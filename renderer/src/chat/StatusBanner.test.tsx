// @vitest-environment jsdom
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AccountCause, AttemptPath, AttemptView, ConnectionTestResult } from '../../../electron/contract/contract.js';
import { StatusBanner } from './StatusBanner.js';
import { account, fakeApi, lifecycle, refusedCertificate, samplePaths } from './testing.js';

const attempt = (number: number, path: AttemptPath, outcome: AttemptView['outcome'], cause?: AttemptView['cause']): AttemptView => ({
  attempt: number,
  path,
  excluded: false,
  outcome,
  ...(cause ? { cause } : {}),
});

vi.mock('../api/burrow.js', () => ({ burrow: { invoke: vi.fn(), on: () => () => undefined }, isBrowserMode: false }));

afterEach(() => vi.useRealTimers());
// jsdom lays nothing out and has no scrollIntoView, which Test connection uses to show its verdict.
Element.prototype.scrollIntoView = () => undefined;

describe('StatusBanner', () => {
  it('is a status named after its community and says by which path it connected', () => {
    const { api } = fakeApi();
    render(<StatusBanner account={account({ lifecycle: lifecycle.online({ connectMs: 212.4, resumed: true }) })} api={api} />);
    const banner = screen.getByRole('status', { name: 'Lab' });
    expect(banner.textContent).toContain('Connected · WebSocket over HTTPS via HTTP proxy proxy.lab.test:3128');
    expect(banner.textContent).toContain('alice@lab.test');
    expect(banner.textContent).toContain('in 212 ms');
    expect(banner.textContent).toContain('session resumed');
  });

  it('says while it catches up on what came while the account was away', () => {
    const { api } = fakeApi();
    const { rerender } = render(<StatusBanner account={account({ catchingUp: { fetched: 200 } })} api={api} />);
    const banner = screen.getByRole('status', { name: 'Lab' });
    expect(banner.textContent).toContain('catching up on what came while away: 200 messages so far');
    rerender(<StatusBanner account={account({ catchingUp: null })} api={api} />);
    expect(banner.textContent).not.toContain('catching up');
  });

  it('shows the attempts of a race as they arrive', () => {
    const { api } = fakeApi();
    const first = attempt(1, samplePaths.directTls, 'running');
    const { rerender } = render(<StatusBanner account={account({ lifecycle: lifecycle.connecting(), attempts: [first] })} api={api} />);
    const banner = screen.getByRole('status', { name: 'Lab' });
    expect(banner.textContent).toContain('Connecting…');
    expect(within(banner).getAllByRole('listitem')).toHaveLength(1);
    expect(within(banner).getByRole('listitem').textContent).toContain('Direct TLS, no proxy');
    expect(within(banner).getByRole('listitem').textContent).toContain('trying…');

    rerender(
      <StatusBanner
        account={account({
          lifecycle: lifecycle.connecting(),
          attempts: [
            attempt(1, samplePaths.directTls, 'failed', { kind: 'no-answer', target: 'chat.lab.test:5223', withinMs: 250, nextPathTried: true }),
            attempt(2, samplePaths.wssViaProxy, 'running'),
          ],
        })}
        api={api}
      />,
    );
    const items = within(screen.getByRole('list', { name: 'Connection attempts' })).getAllByRole('listitem');
    expect(items.map((item) => item.textContent)).toEqual([
      'Direct TLS, no proxyfailed · no answer from chat.lab.test:5223 within 250 ms; tried the next path',
      'WebSocket over HTTPS via HTTP proxy proxy.lab.test:3128trying…',
    ]);
  });

  it('says it is reconnecting, and why, while it races again after losing the connection', () => {
    const { api } = fakeApi();
    const running = attempt(1, samplePaths.wss, 'running');
    render(<StatusBanner account={account({ lifecycle: lifecycle.reconnecting({ kind: 'stream-lost' }, { step: 'racing' }, 0), attempts: [running] })} api={api} />);
    const banner = screen.getByRole('status', { name: 'Lab' });
    expect(banner.textContent).toContain('Reconnecting…');
    expect(banner.textContent).not.toContain('Connecting…');
    expect(banner.textContent).toContain('The connection was lost.');
    expect(within(banner).getByRole('list', { name: 'Connection attempts' }).textContent).toContain('WebSocket over HTTPS, no proxy');
    expect(within(banner).getByRole('button', { name: 'Retry now' })).toBeTruthy();
  });

  it('says the server sent more than Burrow accepts, when Burrow closed the connection for it', () => {
    const { api } = fakeApi();
    const cause: AccountCause = { kind: 'too-large', what: 'stanza', limitBytes: 256 * 1024 };
    render(<StatusBanner account={account({ lifecycle: lifecycle.reconnecting(cause, { step: 'waiting', retryAt: Date.now() + 2_000 }, 2) })} api={api} />);
    expect(screen.getByRole('status', { name: 'Lab' }).textContent).toContain(
      'The server sent a stanza over 256 KiB, more than Burrow accepts, so Burrow closed the connection.',
    );
  });

  it('says the server sent XML that is not well-formed, and what was wrong with it, when Burrow closed the connection for it', () => {
    const { api } = fakeApi();
    const cause: AccountCause = { kind: 'malformed-xml', detail: 'an end tag closes no element' };
    render(<StatusBanner account={account({ lifecycle: lifecycle.reconnecting(cause, { step: 'waiting', retryAt: Date.now() + 2_000 }, 2) })} api={api} />);
    expect(screen.getByRole('status', { name: 'Lab' }).textContent).toContain(
      'The server sent XML that is not well-formed (an end tag closes no element), so Burrow closed the connection.',
    );
  });

  it('counts down to the next try while reconnecting, says why, and Retry now connects at once', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-12T10:00:00Z') });
    const { api, invoke } = fakeApi();
    const noPath: AccountCause = {
      kind: 'no-path',
      diagnosis: { host: 'chat.lab.test', tried: 4, elapsedMs: 2000, obstacle: { kind: 'ports-blocked', host: 'chat.lab.test', ports: [443, 5222, 5223], silent: true, route: 'direct' } },
    };
    render(<StatusBanner account={account({ lifecycle: lifecycle.reconnecting(noPath, { step: 'waiting', retryAt: Date.now() + 12_000 }, 3) })} api={api} />);
    const banner = screen.getByRole('status', { name: 'Lab' });
    expect(banner.textContent).toContain('Reconnecting in 12 s');
    expect(banner.textContent).toContain(
      'Burrow cannot connect to chat.lab.test: this network lets no connection through to chat.lab.test on ports 443, 5222 and 5223 (no answer: the connections are dropped). (4 paths tried in 2.0 s)',
    );
    const advice = within(banner).getByRole('list', { name: 'What to do' });
    expect(advice.textContent).toContain('Your network administrator: Allow connections to chat.lab.test on ports 443, 5222 and 5223');
    fireEvent.click(within(advice).getByRole('button', { name: 'Go to Connection method' }));
    expect(invoke).toHaveBeenCalledWith('window:openPreferences', { communityId: 'lab', field: 'method' });
    expect(banner.textContent).toContain('3 tries in a row have failed');
    expect(within(banner).queryByRole('list', { name: 'Connection attempts' })).toBeNull();
    act(() => vi.advanceTimersByTime(3_000));
    expect(banner.textContent).toContain('Reconnecting in 9 s');
    act(() => vi.advanceTimersByTime(10_000));
    expect(banner.textContent).toContain('Reconnecting…');

    fireEvent.click(within(banner).getByRole('button', { name: 'Retry now' }));
    expect(invoke).toHaveBeenCalledWith('account:connect', { communityId: 'lab' });
  });

  it('says why it failed and what to do, with Preferences, Try again and Test connection', async () => {
    const result: ConnectionTestResult = {
      communityId: 'lab',
      connected: false,
      path: null,
      elapsedMs: 1500,
      attempts: [],
      diagnosis: { host: 'chat.lab.test', tried: 0, elapsedMs: 1500 },
      settings: { address: 'chat.lab.test', method: 'automatic', allowUnencrypted: false, extraCas: 0, trustedCertificates: 0 },
      signIn: { status: 'skipped', reason: 'not connected' },
    };
    const { api, invoke } = fakeApi({ 'connection:test': () => result });
    render(<StatusBanner account={account({ lifecycle: lifecycle.failed({ kind: 'sign-in-refused', condition: 'not-authorized' }, 'fix-password') })} api={api} />);
    const banner = screen.getByRole('status', { name: 'Lab' });
    expect(banner.textContent).toContain('Not connected');
    expect(banner.textContent).toContain('The server refused the user name or password.');
    expect(within(banner).getByRole('list', { name: 'What to do' }).textContent).toBe('You: Check the user name and password. Go to User name');
    expect(within(banner).queryByRole('button', { name: 'Retry now' })).toBeNull();

    fireEvent.click(within(banner).getByRole('button', { name: 'Open Preferences' }));
    expect(invoke).toHaveBeenCalledWith('window:openPreferences');
    fireEvent.click(within(banner).getByRole('button', { name: 'Try again' }));
    expect(invoke).toHaveBeenCalledWith('account:connect', { communityId: 'lab' });
    fireEvent.click(within(banner).getByRole('button', { name: 'Test connection' }));
    expect(invoke).toHaveBeenCalledWith('connection:test', { communityId: 'lab' });
    expect((await within(banner).findByRole('status', { name: 'Verdict' })).textContent).toContain('Burrow cannot connect to chat.lab.test.');
  });

  it("asks for the proxy's user name and password when the proxy refused them", () => {
    const { api } = fakeApi();
    const cause: AccountCause = { kind: 'proxy-authentication', proxies: ['HTTP proxy proxy.lab.test:3128'] };
    render(<StatusBanner account={account({ lifecycle: lifecycle.failed(cause, 'fix-proxy-credentials') })} api={api} />);
    const banner = screen.getByRole('status', { name: 'Lab' });
    expect(banner.textContent).toContain('HTTP proxy proxy.lab.test:3128 refused the proxy user name and password.');
    const advice = within(banner).getByRole('list', { name: 'What to do' });
    expect(advice.textContent).toContain('You: Check the proxy user name and password');
    expect(within(advice).getByRole('button', { name: 'Go to Proxy user name' })).toBeTruthy();
  });

  it('says which sign-in a proxy wanted when Burrow cannot give it, and who can change that', () => {
    const { api } = fakeApi();
    const cause: AccountCause = {
      kind: 'proxy-authentication',
      proxies: ['HTTP proxy proxy.corp:8080'],
      login: { status: 407, offered: ['negotiate'], credentials: 'configured' },
    };
    render(<StatusBanner account={account({ lifecycle: lifecycle.failed(cause, 'ask-proxy-administrator') })} api={api} />);
    const banner = screen.getByRole('status', { name: 'Lab' });
    expect(banner.textContent).toContain('HTTP proxy proxy.corp:8080 wants Negotiate (Kerberos) sign-in (407), which Burrow cannot do');
    expect(within(banner).getByRole('list', { name: 'What to do' }).textContent).toContain('Your network administrator: Allow NTLM or Basic sign-in at the proxy for Burrow');
  });

  it("shows a refused certificate's details before anyone trusts it", () => {
    const { api } = fakeApi();
    const certificate = refusedCertificate({ problems: ['name-mismatch'] });
    const cause = { kind: 'certificate', path: samplePaths.directTls, detail: 'the certificate of chat.lab.test is for evil.test', certificate } as const;
    render(<StatusBanner account={account({ lifecycle: lifecycle.failed(cause, 'review-certificate') })} api={api} />);
    const banner = screen.getByRole('status', { name: 'Lab' });
    expect(banner.textContent).toContain("The server's certificate failed verification: the certificate of chat.lab.test is for evil.test.");
    const details = within(banner).getByLabelText('Certificate presented for chat.lab.test');
    expect(details.textContent).toContain('Issued toCN=evil.test');
    expect(details.textContent).toContain('Issued byCN=Evil CA');
    expect(details.textContent).toContain('Valid until2030-01-01 00:00 UTC');
    expect(details.textContent).toContain(`SHA-256 fingerprint${certificate.fingerprint256}`);
  });

  it('says it is signing in once a path has won', () => {
    const { api } = fakeApi();
    render(<StatusBanner account={account({ lifecycle: lifecycle.connecting('signing-in') })} api={api} />);
    expect(screen.getByRole('status', { name: 'Lab' }).textContent).toContain('Signing in…');
  });

  it('asks for the account details when the community is not set up, and offers Connect when offline', () => {
    const { api, invoke } = fakeApi();
    const { rerender } = render(<StatusBanner account={account({ lifecycle: lifecycle.notConfigured(), jid: null })} api={api} />);
    expect(screen.getByRole('status', { name: 'Lab' }).textContent).toContain('Not set up yet');
    fireEvent.click(screen.getByRole('button', { name: 'Open Preferences' }));
    expect(invoke).toHaveBeenLastCalledWith('window:openPreferences');

    rerender(<StatusBanner account={account({ lifecycle: lifecycle.offline() })} api={api} />);
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(invoke).toHaveBeenLastCalledWith('account:connect', { communityId: 'lab' });
  });

  it('says so when connecting is refused', async () => {
    const { api } = fakeApi({
      'account:connect': () => {
        throw new Error('There is no community "lab".');
      },
    });
    render(<StatusBanner account={account({ lifecycle: lifecycle.offline() })} api={api} />);
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Could not connect: There is no community "lab".');
  });
});
