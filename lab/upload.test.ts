/**
 * HTTP File Upload (XEP-0363) in the lab: each server's upload service answers HTTPS under its own
 * name, on chat.lab.test's address, with a certificate valid for that name. Uploading and
 * downloading themselves are core's lab test (electron/core/accounts/files.lab.test.ts).
 */
import { expect, it } from 'vitest';
import { serverKinds } from './lab.js';
import { describeWithLab, probe } from './testing.js';
import { upload } from './topology.js';

for (const server of serverKinds) {
  describeWithLab(`the upload service on ${server}`, { scenario: 'S1', server }, (lab) => {
    it(`answers HTTPS at ${upload.domain} with a certificate for that name`, async () => {
      expect(lab().hosts[upload.domain]).toBe(lab().hosts[lab().domain]);
      const result = await probe(lab(), { kind: 'http', url: `https://${upload.domain}/nothing-uploaded-here`, caFile: lab().caFile });
      expect(result.tls).toMatchObject({ authorized: true });
      expect(result.status).toBe(404);
    });
  });
}
