/**
 * S15N's proxy: a third squid whose only login is Negotiate, checked by squid's own Kerberos helper
 * (negotiate_kerberos_auth) against the keys of its service principal, which the lab's KDC put in
 * a keytab. A squid of its own, as S15's, because auth_param is global.
 */
import { chownSync } from 'node:fs';
import { join } from 'node:path';
import { kerberosEnvironment, proxyServicePrincipal, type KerberosFiles } from './kerberos.js';
import type { NamespaceProcess } from './namespace-process.js';
import { proxyUser, startSingleLoginSquid } from './squid.js';
import { hostNames } from './topology.js';

/** Where the proxy's keys go, in its folder: the KDC writes them, the helper (as "proxy") reads them. */
export const negotiateKeytab = (dir: string): string => join(dir, 'HTTP.keytab');

/** Starts the squid; the KDC has already written `negotiateKeytab(dir)`. */
export function startNegotiateSquid(namespace: string, dir: string, address: string, kerberos: KerberosFiles): NamespaceProcess {
  const keytab = negotiateKeytab(dir);
  const owner = proxyUser();
  if (owner) chownSync(keytab, owner.uid, owner.gid);
  return startSingleLoginSquid(namespace, dir, {
    purpose: 'squid offering only Negotiate, Kerberos (S15N)',
    service: 'burrownegotiate',
    address,
    hostName: hostNames.negotiateProxy,
    // -s: accept tickets for the proxy's own principal only, as a deployment names its SPN.
    auth: [
      `auth_param negotiate program /usr/lib/squid/negotiate_kerberos_auth -s ${proxyServicePrincipal}`,
      'auth_param negotiate children 4 startup=1 idle=1',
      'auth_param negotiate keep_alive on',
    ].join('\n'),
    // The replay cache in the squid's folder, which "proxy" owns.
    env: { ...kerberosEnvironment(kerberos), KRB5_KTNAME: `FILE:${keytab}`, KRB5RCACHEDIR: dir },
  });
}

