// @vitest-environment jsdom
import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { BurrowRequestError, type AccountCause, type CertificateView } from '../../../electron/contract/contract.js';
import { StatusBanner } from '../chat/StatusBanner.js';
import { account, certificateSettingsView, fakeApi, lifecycle, refusedCertificate, samplePaths } from '../chat/testing.js';

function bannerFor(certificate: CertificateView, responses: Parameters<typeof fakeApi>[0] = {}) {
  const fake = fakeApi({ 'settings:get': () => certificateSettingsView(), 'certificates:trust': () => certificateSettingsView(), ...responses });
  const cause: AccountCause = { kind: 'certificate', path: samplePaths.directTls, detail: 'the certificate of chat.lab.test is self-signed', certificate };
  render(<StatusBanner account={account({ lifecycle: lifecycle.failed(cause, 'review-certificate') })} api={fake.api} />);
  return fake;
}

// The banner's Test connection defaults to the real client, which these tests never reach.
vi.mock('../api/burrow.js', () => ({ burrow: { invoke: vi.fn(), on: () => () => undefined }, isBrowserMode: false }));

const confirmation = () => screen.getByRole('dialog', { name: 'Trust this certificate?' });

describe('Trust this certificate…', () => {
  it('shows the fingerprint and trusts only once the user confirms it', async () => {
    const certificate = refusedCertificate();
    const fake = bannerFor(certificate);
    fireEvent.click(await screen.findByRole('button', { name: 'Trust this certificate…' }));

    const dialog = confirmation();
    expect(within(dialog).getByLabelText('SHA-256 fingerprint').textContent).toBe(certificate.fingerprint256);
    const trust = within(dialog).getByRole('button', { name: 'Trust this certificate' });
    expect(trust).toHaveProperty('disabled', true);
    fireEvent.click(trust);
    expect(fake.calls('certificates:trust')).toEqual([]);

    fireEvent.click(within(dialog).getByLabelText('This fingerprint is the one my administrator gave me'));
    fireEvent.click(trust);
    expect(await screen.findByText(/^Trusted\. Burrow accepts this certificate/)).toBeTruthy();
    expect(fake.calls('certificates:trust')).toEqual([{ communityId: 'lab', fingerprint256: certificate.fingerprint256 }]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('trusts nothing when cancelled', async () => {
    const fake = bannerFor(refusedCertificate());
    fireEvent.click(await screen.findByRole('button', { name: 'Trust this certificate…' }));
    fireEvent.click(within(confirmation()).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fake.calls('certificates:trust')).toEqual([]);
  });

  it('says why Burrow refused to trust it', async () => {
    bannerFor(refusedCertificate(), {
      'certificates:trust': () => {
        throw new BurrowRequestError('certificates:trust', 'forbidden', 'No connection to this community was refused with this certificate lately');
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Trust this certificate…' }));
    fireEvent.click(within(confirmation()).getByLabelText('This fingerprint is the one my administrator gave me'));
    fireEvent.click(within(confirmation()).getByRole('button', { name: 'Trust this certificate' }));
    expect((await within(confirmation()).findByRole('alert')).textContent).toMatch(/^No connection to this community was refused/);
  });

  it.each([[['name-mismatch'] as const], [['self-signed', 'expired'] as const], [['not-yet-valid'] as const]])(
    'is not offered for a certificate with %j',
    (problems) => {
      bannerFor(refusedCertificate({ problems: [...problems] }));
      expect(screen.getByLabelText('Certificate presented for chat.lab.test')).toBeTruthy();
      expect(screen.queryByRole('button', { name: 'Trust this certificate…' })).toBeNull();
    },
  );

  it('says so where the administrator forbids it', async () => {
    bannerFor(refusedCertificate({ problems: ['unknown-issuer'] }), { 'settings:get': () => certificateSettingsView({ certificateTrustAllowed: false }) });
    expect(await screen.findByText('Set by your administrator: certificates cannot be trusted here.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Trust this certificate…' })).toBeNull();
  });
});
