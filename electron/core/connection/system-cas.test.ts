import { describe, expect, it } from 'vitest';

import { linuxBundleFiles, readSystemCas, systemCasFacts, systemCasWords, type SystemCas } from './system-cas.js';
import { selfSignedLocalhost, testCaCertificate } from './testing/certificate-fixtures.js';

const noFile = (file: string): string => {
  throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
};

describe('readSystemCas', () => {
  it("asks the runtime for the system's store where it can (Node 22.15 and newer, every OS)", () => {
    const cas = readSystemCas({ getCACertificates: () => [testCaCertificate], platform: 'win32', readFile: noFile });
    expect(cas).toEqual({ source: 'runtime', certificates: [testCaCertificate] });
  });

  it("reads the distribution's bundle on Linux otherwise, every certificate in it", () => {
    const fedora = '/etc/pki/tls/certs/ca-bundle.crt';
    const bundle = `# a comment\n${testCaCertificate}\n${selfSignedLocalhost}`;
    const cas = readSystemCas({ platform: 'linux', readFile: (file) => (file === fedora ? bundle : noFile(file)) });
    expect(cas).toEqual({ source: 'bundle-file', file: fedora, certificates: [testCaCertificate.trim(), selfSignedLocalhost.trim()] });
  });

  it('says why where neither works', () => {
    expect(readSystemCas({ platform: 'darwin', readFile: noFile })).toMatchObject({ source: 'unavailable', reason: expect.stringMatching(/cannot read the darwin trust store; Node 22\.15 or newer can$/) });
    expect(readSystemCas({ platform: 'linux', readFile: noFile })).toEqual({
      source: 'unavailable',
      reason: `none of ${linuxBundleFiles.join(', ')} could be read`,
    });
  });

  it('says where they came from, in facts for a report and in words', () => {
    const bundle: SystemCas = { source: 'bundle-file', file: '/etc/ssl/certs/ca-certificates.crt', certificates: [testCaCertificate] };
    expect(systemCasFacts(bundle)).toEqual({ source: 'bundle-file', count: 1, file: '/etc/ssl/certs/ca-certificates.crt' });
    expect(systemCasWords(bundle)).toBe("the system's (1, from /etc/ssl/certs/ca-certificates.crt)");
    expect(systemCasWords({ source: 'unavailable', reason: 'no store' })).toBe("not the system's: no store");
  });
});
