import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOrThrow } from './run.js';

export interface KeyPair {
  certificate: string;
  key: string;
}

export interface LabCertificates {
  caFile: string;
  /** Valid for chat.lab.test, signed by the lab CA. */
  server: KeyPair;
  /** Signed by the same CA but for another name: S13's certificate. */
  wrongName: KeyPair;
}

export const wrongCertificateName = 'wrong-name.lab.test';

const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Makes a fresh CA and the server certificates in `dir` (short-lived, never reused between runs). */
export async function makeCertificates(dir: string, serverName: string): Promise<LabCertificates> {
  const caFile = join(dir, 'ca.crt');
  const caKey = join(dir, 'ca.key');
  await runOrThrow('openssl', [
    'req', '-x509', ...ecKey, '-keyout', caKey, '-out', caFile, '-days', '7', '-subj', '/CN=Burrow Lab CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const issue = async (name: string, hostName: string): Promise<KeyPair> => {
    const pair = { certificate: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
    const request = join(dir, `${name}.csr`);
    const extensions = join(dir, `${name}.ext`);
    writeFileSync(extensions, [
      `subjectAltName=DNS:${hostName}`,
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
    ].join('\n') + '\n');
    await runOrThrow('openssl', ['req', ...ecKey, '-keyout', pair.key, '-out', request, '-subj', `/CN=${hostName}`]);
    await runOrThrow('openssl', [
      'x509', '-req', '-in', request, '-CA', caFile, '-CAkey', caKey, '-set_serial', String(Date.now()),
      '-days', '7', '-extfile', extensions, '-out', pair.certificate,
    ]);
    return pair;
  };
  const [server, wrongName] = await Promise.all([issue('server', serverName), issue('wrong-name', wrongCertificateName)]);
  return { caFile, server, wrongName };
}
