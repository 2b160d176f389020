/**
 * "Trust this certificate" against the network lab (LAB.md S17: the server's certificate is
 * self-signed): Test connection refuses it and shows its details; trusting it takes an explicit
 * confirmation that shows the SHA-256 fingerprint; the community then connects; once the trust is
 * removed in Preferences, the certificate is refused again. Screenshots of each step go with the
 * test's results.
 */
import { expect, test } from './fixtures.js';
import { burrowInLab } from './in-lab.js';

test.describe('Trusting a self-signed server certificate in the network lab', () => {
  const inLab = burrowInLab('S17');

  test('shows the certificate, trusts it only after confirming its fingerprint, connects, and refuses it again once the trust is removed', async () => {
    const lab = inLab.lab();
    const [alice] = lab.accounts;
    // What the server really presents, read by openssl in the client's network: the fingerprint Burrow must show.
    const presented = await lab.execInClient('sh', [
      '-c',
      `openssl s_client -connect ${lab.domain}:5223 -servername ${lab.domain} </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256`,
    ]);
    const fingerprint = /=([0-9A-F:]+)/.exec(presented.stdout)?.[1];
    expect(fingerprint, presented.stdout).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    const preferences = await inLab.app().openPreferences();
    await preferences.getByRole('button', { name: 'Add community' }).click();
    await preferences.getByLabel('Display name').fill('Lab chat');
    await preferences.getByLabel('Host server').fill(lab.domain);
    await preferences.getByLabel('User name').fill(alice!.username);
    await preferences.getByLabel('Password', { exact: true }).fill(alice!.password);
    await preferences.getByRole('button', { name: 'Apply' }).click();

    const testConnection = async () => {
      await preferences.getByRole('button', { name: 'Test connection' }).click();
      return preferences.getByRole('status', { name: 'Verdict' });
    };

    const refused = await testConnection();
    await expect(refused).toContainText('Burrow cannot connect to chat.lab.test: the certificate of chat.lab.test is self-signed', { timeout: 30_000 });
    const details = preferences.getByRole('definition').filter({ hasText: fingerprint! }).first();
    await expect(details).toBeVisible();
    const certificate = preferences.getByLabel(`Certificate presented for ${lab.domain}`).first();
    await expect(certificate).toContainText(`CN=${lab.domain}`);
    await expect(certificate).toContainText('SHA-256 fingerprint');
    await certificate.scrollIntoViewIfNeeded();
    await preferences.screenshot({ path: test.info().outputPath('1-refused-with-details.png') });

    await preferences.getByRole('button', { name: 'Trust this certificate…' }).first().click();
    const dialog = preferences.getByRole('dialog', { name: 'Trust this certificate?' });
    await expect(dialog).toContainText(fingerprint!);
    const trust = dialog.getByRole('button', { name: 'Trust this certificate', exact: true });
    await expect(trust).toBeDisabled();
    await dialog.getByLabel('This fingerprint is the one my administrator gave me').check();
    await preferences.screenshot({ path: test.info().outputPath('2-confirmation-with-fingerprint.png') });
    await trust.click();
    await expect(preferences.getByRole('status').filter({ hasText: /^Trusted\. / })).toBeVisible();

    const connected = await testConnection();
    await expect(connected).toContainText(`Signed in as ${alice!.username}@${lab.domain}`, { timeout: 30_000 });
    await preferences.screenshot({ path: test.info().outputPath('3-trusted-and-connected.png') });

    const trusted = preferences.getByRole('region', { name: 'Trusted certificates' });
    await expect(trusted).toContainText(fingerprint!);
    await trusted.getByRole('button', { name: `Remove trust in the certificate ${fingerprint}` }).click();
    await expect(trusted).toContainText('None.');

    const refusedAgain = await testConnection();
    await expect(refusedAgain).toContainText('Burrow cannot connect to chat.lab.test: the certificate', { timeout: 30_000 });
    await expect(preferences.getByLabel(`Certificate presented for ${lab.domain}`).first()).toContainText(fingerprint!);
    await preferences.screenshot({ path: test.info().outputPath('4-removed-and-refused-again.png') });
  });
});
