// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { flattenConnection } from '../../../electron/common/settings/connection-keys.js';
import { builtInConnectionSettings } from '../../../electron/common/settings/schema.js';
import type { SettingsView } from '../../../electron/contract/contract.js';
import { certificateSettingsView } from '../chat/testing.js';
import { GlobalConnectionPane } from './GlobalConnectionPane.js';
import { useSettingsDraft } from './useSettingsDraft.js';

const view: SettingsView = {
  ...certificateSettingsView(),
  global: Object.fromEntries(Object.entries(flattenConnection(builtInConnectionSettings)).map(([key, value]) => [key, { value, source: 'default' }])),
};

vi.mock('../api/burrow.js', () => ({
  burrow: { invoke: vi.fn(() => Promise.resolve(view)), on: () => () => undefined },
  isBrowserMode: false,
}));

function GlobalSettings() {
  const form = useSettingsDraft();
  return form.status === 'ready' ? <GlobalConnectionPane form={form} /> : null;
}

/** Preferences with "Use proxy" chosen and `typed` in the proxy host field. */
async function proxyTypedAs(typed: string) {
  const user = userEvent.setup();
  render(<GlobalSettings />);
  await user.click(await screen.findByRole('radio', { name: 'Use proxy' }));
  await user.type(screen.getByLabelText('Proxy host'), typed);
  return user;
}

describe('Preferences: a proxy typed as a URL in the host field', () => {
  it('says where its parts go, and puts them there in one click', async () => {
    const user = await proxyTypedAs('http://proxy.example.com:3128');
    expect(screen.getByText('Proxy host must be the host name alone, e.g. proxy.example.com: the port goes in Proxy port, the type in Proxy type')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Use type HTTP, host proxy.example.com, port 3128' }));
    expect(screen.getByLabelText<HTMLInputElement>('Proxy host').value).toBe('proxy.example.com');
    expect(screen.getByLabelText<HTMLInputElement>('Proxy port').value).toBe('3128');
    expect(screen.getByLabelText<HTMLSelectElement>('Proxy type').value).toBe('http');
    expect(screen.queryByText(/Proxy host must/)).toBeNull();
  });

  it('puts a user name in its field and a password only in the password field, saying so', async () => {
    const user = await proxyTypedAs('socks5h://alice:s3cret@socks.example.com:1080');
    await user.click(
      screen.getByRole('button', { name: 'Use type SOCKS5, host socks.example.com, port 1080, host names resolved by the proxy, user name alice and the password from the address' }),
    );
    expect(screen.getByLabelText<HTMLSelectElement>('Proxy type').value).toBe('socks5');
    expect(screen.getByLabelText<HTMLInputElement>('Proxy user name').value).toBe('alice');
    const password = screen.getByLabelText<HTMLInputElement>('Proxy password');
    expect([password.type, password.value]).toEqual(['password', 's3cret']);
    expect(screen.getByLabelText<HTMLInputElement>('Resolve host names through the proxy').checked).toBe(true);
    expect(document.body.textContent).not.toContain('s3cret');
  });
});
