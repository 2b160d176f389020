import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOrThrow } from './run.js';

export interface KeyPair {
  certificate: string;
  key: string;
}

export interface LabCertificates {
  caFile: string;
  /** Valid for chat.lab.test (and its upload service's name), signed by the lab CA. */
  server: KeyPair;
  /** Signed by the same CA but for another name: S13's certificate. */
  wrongName: KeyPair;
  /** For chat.lab.test, signed by itself, not by the lab CA: S17's certificate. */
  selfSigned: KeyPair;
}

/** Which certificate the XMPP server presents (ServerVariant.certificate). */
export type CertificateKind = 'valid' | 'wrong-name' | 'self-signed';

export function serverKeyPair(certs: LabCertificates, kind: CertificateKind): KeyPair {
  return { valid: certs.server, 'wrong-name': certs.wrongName, 'self-signed': certs.selfSigned }[kind];
}

/** A certificate's SHA-256 fingerprint as Node (and Burrow) print it: "AB:CD:…". */
export function fingerprint256(certificateFile: string): string {
  return new X509Certificate(readFileSync(certificateFile)).fingerprint256;
}

export const wrongCertificateName = 'wrong-name.lab.test';

const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Makes a fresh CA and the server certificates in `dir` (short-lived, never reused between runs); the valid one also names `otherNames`. */
export async function makeCertificates(dir: string, serverName: string, otherNames: readonly string[] = []): Promise<LabCertificates> {
  /** `openssl req -x509`: a certificate signed by its own key, with openssl's defaults and these extensions. */
  const selfSign = async (name: string, commonName: string, extensions: readonly string[]): Promise<KeyPair> => {
    const pair = { certificate: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
    await runOrThrow('openssl', [
      'req', '-x509', ...ecKey, '-keyout', pair.key, '-out', pair.certificate, '-days', '7', '-subj', `/CN=${commonName}`,
      ...extensions.flatMap((extension) => ['-addext', extension]),
    ]);
    return pair;
  };
  const { certificate: caFile, key: caKey } = await selfSign('ca', 'Burrow Lab CA', ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign']);
  const issue = async (name: string, hostName: string, alsoFor: readonly string[] = []): Promise<KeyPair> => {
    const pair = { certificate: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
    const request = join(dir, `${name}.csr`);
    const extensions = join(dir, `${name}.ext`);
    writeFileSync(extensions, [
      `subjectAltName=${[hostName, ...alsoFor].map((dnsName) => `DNS:${dnsName}`).join(',')}`,
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
  const [server, wrongName, selfSigned] = await Promise.all([
    issue('server', serverName, otherNames),
    issue('wrong-name', wrongCertificateName),
    // As an administrator without a CA makes one: the server's name, valid dates, nobody vouching for it
    // (openssl's defaults make it CA:TRUE, as `openssl req -x509` does).
    selfSign('self-signed', serverName, [`subjectAltName=DNS:${serverName}`, 'extendedKeyUsage=serverAuth']),
  ]);
  return { caFile, server, wrongName, selfSigned };
}
