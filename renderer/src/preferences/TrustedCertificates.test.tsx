// @vitest-environment jsdom
import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { TrustedCertificate } from '../../../electron/common/settings/schema.js';
import { certificateSettingsView, fakeApi, refusedCertificate } from '../chat/testing.js';
import { TrustedCertificates } from './TrustedCertificates.js';

vi.mock('../api/burrow.js', () => ({ burrow: { invoke: vi.fn(), on: () => () => undefined }, isBrowserMode: false }));

const { fingerprint256 } = refusedCertificate();
const trusted: TrustedCertificate = {
  fingerprint256,
  subject: 'CN=chat.lab.test',
  expectedName: 'chat.lab.test',
  notAfter: '2030-01-01T00:00:00.000Z',
  trustedAt: '2026-12-02T07:00:00.000Z',
};

describe("Preferences: a community's trusted certificates", () => {
  it('lists each with its fingerprint, and removes one at once', async () => {
    const fake = fakeApi({ 'certificates:forget': () => certificateSettingsView() });
    render(<TrustedCertificates communityId="lab" view={certificateSettingsView({ trustedCertificates: { lab: [trusted] } })} api={fake.api} />);
    const list = screen.getByRole('list', { name: 'Trusted certificates' });
    expect(within(list).getByRole('listitem').textContent).toContain('CN=chat.lab.test for chat.lab.test, valid until 2030-01-01 00:00 UTC, trusted 2026-12-02 07:00 UTC');
    expect(within(list).getByRole('listitem').textContent).toContain(fingerprint256);

    fireEvent.click(screen.getByRole('button', { name: `Remove trust in the certificate ${fingerprint256}` }));
    expect(await screen.findByText(/^None\./)).toBeTruthy();
    expect(fake.calls('certificates:forget')).toEqual([{ communityId: 'lab', fingerprint256 }]);
  });

  it('keeps a certificate listed, and says why, when removing it failed', async () => {
    const fake = fakeApi({
      'certificates:forget': () => {
        throw new Error('the settings file cannot be written');
      },
    });
    render(<TrustedCertificates communityId="lab" view={certificateSettingsView({ trustedCertificates: { lab: [trusted] } })} api={fake.api} />);
    fireEvent.click(screen.getByRole('button', { name: `Remove trust in the certificate ${fingerprint256}` }));
    expect((await screen.findByRole('alert')).textContent).toBe('the settings file cannot be written');
    expect(screen.getByRole('listitem')).toBeTruthy();
  });

  it("lists only this community's, and says when the administrator forbids trusting", () => {
    const view = certificateSettingsView({ trustedCertificates: { other: [trusted] }, certificateTrustAllowed: false });
    render(<TrustedCertificates communityId="lab" view={view} api={fakeApi().api} />);
    expect(screen.getByText(/^None\./)).toBeTruthy();
    expect(screen.getByText('Set by your administrator: certificates cannot be trusted here, and these are not used.')).toBeTruthy();
  });
});
