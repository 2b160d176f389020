/**
 * Finding a server's other endpoints so nobody has to type ports: DNS SRV (RFC 6120 §3.2,
 * XEP-0368) and XEP-0156 host-meta. Discovery never fails a connection; it only adds candidates.
 */
import { promises as dns } from 'node:dns';
import https from 'node:https';

import { withTimeout } from '../../common/with-timeout.js';
import { errorWords } from '../../contract/error-words.js';
import { parseXml as parse } from '../stream/xml.js';
import { NoAnswerError } from './errors.js';
import type { AltConnection, DiscoveredEndpoints, SrvTarget } from './plan.js';
import { tlsTrustFor } from './trust.js';
import type { CertificateTrust } from './trust.js';

export type SrvLookup = (name: string) => Promise<{ name: string; port: number; priority: number; weight: number }[]>;
export type FetchText = (url: string, timeoutMs: number, signal?: AbortSignal) => Promise<string>;

export interface DiscoveryOptions {
  timeoutMs?: number;
  /** Stops the host-meta request: the race no longer needs what discovery would find. */
  signal?: AbortSignal;
  trust?: CertificateTrust;
  resolveSrv?: SrvLookup;
  fetchText?: FetchText;
}

export interface Discovery extends DiscoveredEndpoints {
  /** What could not be looked up, for the diagnostics timeline. */
  problems: string[];
}

const altConnectionRels: Record<string, AltConnection['method']> = {
  'urn:xmpp:alt-connections:websocket': 'websocket',
  'urn:xmpp:alt-connections:xbosh': 'xbosh',
};

export async function discoverEndpoints(domain: string, options: DiscoveryOptions = {}): Promise<Discovery> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const resolveSrv = options.resolveSrv ?? ((name: string) => dns.resolveSrv(name));
  const fetchText = options.fetchText ?? httpsGetText(domain, options.trust);
  const problems: string[] = [];
  const lookUp = async <T>(what: string, work: Promise<T[]>): Promise<T[]> => {
    try {
      return await withTimeout(work, timeoutMs, () => new NoAnswerError(what, timeoutMs));
    } catch (error) {
      if (!isNoSuchRecord(error)) problems.push(`${what}: ${errorWords(error)}`);
      return [];
    }
  };
  const srvFor = (service: SrvTarget['service']) =>
    lookUp(
      `DNS SRV _${service}._tcp.${domain}`,
      resolveSrv(`_${service}._tcp.${domain}`).then((records) =>
        records.map((record): SrvTarget => ({ service, target: record.name, port: record.port, priority: record.priority, weight: record.weight })),
      ),
    );
  const hostMetaUrl = `https://${domain}/.well-known/host-meta`;
  const [directTls, startTls, hostMeta] = await Promise.all([
    srvFor('xmpps-client'),
    srvFor('xmpp-client'),
    lookUp(hostMetaUrl, fetchText(hostMetaUrl, timeoutMs, options.signal).then(parseHostMeta)),
  ]);
  return { srv: [...directTls, ...startTls], hostMeta, problems };
}

/** The alternative connection methods of an XRD host-meta document. */
export function parseHostMeta(xrd: string): AltConnection[] {
  const root = parse(xrd);
  if (!root || root.name !== 'XRD') throw new Error('host-meta is not an XRD document');
  return root.getChildElements().flatMap((link) => {
    const method = altConnectionRels[link.attrs.rel ?? ''];
    const href = link.attrs.href;
    return link.name === 'Link' && method && href ? [{ method, href }] : [];
  });
}

/**
 * GET over HTTPS with the certificate checked against `domain` and Burrow's trust; through `agent`
 * when given (e.g. one whose connections go through the configured proxy).
 */
export function httpsGetText(domain: string, trust: CertificateTrust | undefined, agent?: https.Agent): FetchText {
  return (url, timeoutMs, signal) =>
    new Promise((resolve, reject) => {
      // No shared agent: a pooled connection could have been verified under other trust (the pool's key ignores secureContext).
      const options = { ...tlsTrustFor(domain, trust), agent: agent ?? false, timeout: timeoutMs, ...(signal ? { signal } : {}) };
      const request = https.get(url, options, (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          reject(Object.assign(new Error(`HTTP ${response.statusCode}`), { status: response.statusCode }));
          return;
        }
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        response.on('error', reject);
      });
      request.on('timeout', () => request.destroy(new NoAnswerError(domain, timeoutMs)));
      request.on('error', reject);
    });
}

/** No SRV record, or no host-meta document: the server simply does not publish one. */
function isNoSuchRecord(error: unknown): boolean {
  const { code, status } = (error ?? {}) as { code?: unknown; status?: unknown };
  return code === 'ENOTFOUND' || code === 'ENODATA' || status === 404;
}
