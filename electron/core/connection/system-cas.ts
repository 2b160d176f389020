/**
 * The operating system's trusted CAs, where the runtime can read them: a company that installed
 * its own CA on its machines expects Burrow to trust it like the browser does.
 */
import { readFileSync } from 'node:fs';
import tls from 'node:tls';

export type SystemCas =
  /** Node ≥ 22.15 / 23.5 reads the system's store on every OS (`tls.getCACertificates('system')`). */
  | { source: 'runtime'; certificates: string[] }
  /** Node 20 on Linux: the distribution's bundle file. */
  | { source: 'bundle-file'; file: string; certificates: string[] }
  | { source: 'unavailable'; reason: string };

/** Where Linux distributions keep their CA bundle: Debian/Ubuntu/Arch, Fedora/RHEL, openSUSE, Alpine. */
export const linuxBundleFiles = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

export interface SystemCaSources {
  getCACertificates?: (type: 'system') => string[];
  platform: NodeJS.Platform;
  readFile: (file: string) => string;
}

const runtimeSources: SystemCaSources = {
  // Absent before Node 22.15; @types/node 20 does not know it.
  getCACertificates: (tls as { getCACertificates?: (type: 'system') => string[] }).getCACertificates,
  platform: process.platform,
  readFile: (file) => readFileSync(file, 'utf8'),
};

export function readSystemCas({ getCACertificates, platform, readFile }: SystemCaSources = runtimeSources): SystemCas {
  if (getCACertificates) return { source: 'runtime', certificates: getCACertificates('system') };
  if (platform !== 'linux') {
    return { source: 'unavailable', reason: `Node ${process.versions.node} cannot read the ${platform} trust store; Node 22.15 or newer can` };
  }
  for (const file of linuxBundleFiles) {
    let text: string;
    try {
      text = readFile(file);
    } catch {
      continue;
    }
    return { source: 'bundle-file', file, certificates: pemCertificates(text) };
  }
  return { source: 'unavailable', reason: `none of ${linuxBundleFiles.join(', ')} could be read` };
}

function pemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** "the system's (143 from /etc/ssl/certs/ca-certificates.crt)", for diagnose and the logs. */
export function systemCasWords(cas: SystemCas): string {
  switch (cas.source) {
    case 'runtime':
      return `the system's (${cas.certificates.length}, from the operating system's store)`;
    case 'bundle-file':
      return `the system's (${cas.certificates.length}, from ${cas.file})`;
    case 'unavailable':
      return `not the system's: ${cas.reason}`;
  }
}

/** Where the system's CAs came from, without them: for a report. */
export type SystemCasFacts = { source: SystemCas['source']; count?: number; file?: string; reason?: string };

export function systemCasFacts(cas: SystemCas): SystemCasFacts {
  if (cas.source === 'unavailable') return cas;
  return { source: cas.source, count: cas.certificates.length, ...(cas.source === 'bundle-file' ? { file: cas.file } : {}) };
}

let systemCas: SystemCas | undefined;

/** Read once: the store does not change while Burrow runs often enough to pay for reading it per handshake. */
export function systemCasOnce(): SystemCas {
  systemCas ??= readSystemCas();
  return systemCas;
}
