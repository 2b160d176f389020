import { readFileSync } from 'node:fs';

/** The lab's proxies that log every login they see: the NTLM-only squid's helper (S15) and the 401 proxy (S16). */
export type LoggingProxy = 'ntlm' | 'unauthorized';

/** One login a lab proxy saw, as it logs it (one JSON line each). */
export interface ProxyLoginRecord {
  /** ISO 8601. */
  at: string;
  /**
   * "refused": credentials were given and were wrong — a failed login, what locks a Windows
   * account after a few. "no-credentials": asked for them (the 401 proxy logs these too).
   */
  outcome: 'accepted' | 'refused' | 'no-credentials';
  /** As the client named itself: "LAB\burrow" for NTLM. */
  user?: string;
  /** "host:port" the CONNECT asked for (the 401 proxy). */
  target?: string;
  /** After an accepted login: whether the tunnel opened (the 401 proxy only tunnels to lab addresses on 443). */
  tunnel?: 'opened' | 'forbidden' | 'failed';
  reason?: string;
}

/** The records of a login log; nothing when it does not exist yet. */
export function readProxyLogins(file: string): ProxyLoginRecord[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ProxyLoginRecord);
}

export const failedLogins = (records: readonly ProxyLoginRecord[]): number => records.filter((record) => record.outcome === 'refused').length;
