/**
 * From a community as saved (settings in effect, passwords, the administrator's CAs) to what the
 * connection manager needs: the address, method, proxy, trust and timings.
 */
import { readFile } from 'node:fs/promises';
import { secretKeys } from '../common/settings/secret-keys.js';
import type { Community } from '../common/settings/schema.js';
import type { ConnectionFacts } from '../contract/diagnosis.js';
import type { ConnectRequest } from './connection/connect.js';
import type { ProxySettings } from './connection/candidate.js';
import type { HttpStack } from './connection/http-stack.js';
import { environmentProxyResolver, pacUrlResolver, type ProxyResolver } from './connection/routes/system-proxy.js';
import type { RefusedCertificates } from './certificate-trust.js';
import { connectionValues, resolveCommunities, resolveConnection } from './settings/resolve.js';
import { appliedFingerprints } from './settings/trusted-certificates.js';
import type { SecretStore } from './settings/secrets.js';
import type { SettingsService } from './settings/service.js';

export interface CommunityConnectionDeps {
  settings: SettingsService;
  secrets: SecretStore;
  /** The OS's proxy settings (Electron: session.resolveProxy); plain Node reads the environment or the PAC URL setting. */
  systemProxy?: ProxyResolver;
  /** Electron: Chromium's network stack, which carries BOSH over HTTPS for "Use my system proxy settings". */
  systemNetworkStack?: HttpStack;
  /** Told of the certificates connections are refused with, which the user may then trust. */
  refusedCertificates?: RefusedCertificates;
}

export interface CommunityConnection {
  community: Community;
  request: ConnectRequest;
  /** The settings in effect, as a report shows them. */
  facts: ConnectionFacts;
  account: { username: string; password: string | undefined };
}

/** "host", "host:port", or the address URL with the port written into it. */
export function communityAddress({ hostServer, port }: Community): string {
  if (port === undefined) return hostServer;
  if (!hostServer.includes('://')) return `${hostServer}:${port}`;
  const url = new URL(hostServer);
  url.port = String(port);
  return url.href;
}

export async function communityConnection(communityId: string, deps: CommunityConnectionDeps): Promise<CommunityConnection> {
  const { settings, secrets } = deps;
  const saved = settings.store.read();
  const community = resolveCommunities(saved, settings.policy).find((resolved) => resolved.community.id === communityId)?.community;
  if (!community) throw new Error(`There is no community "${communityId}".`);
  const values = connectionValues(resolveConnection(saved, settings.policy, communityId));

  const proxyPasswordKey = community.useGlobalConnection ? secretKeys.globalProxyPassword : secretKeys.communityProxyPassword(communityId);
  const proxy: ProxySettings | undefined =
    values.method === 'proxy'
      ? {
          type: values.proxy.type,
          host: values.proxy.host,
          port: values.proxy.port,
          resolveThroughProxy: values.proxy.resolveThroughProxy,
          ...(values.proxy.username ? { username: values.proxy.username, password: (await secrets.get(proxyPasswordKey)) ?? '' } : {}),
        }
      : undefined;
  const systemProxy =
    values.method !== 'system-proxy'
      ? undefined
      : (deps.systemProxy ?? (values.pacUrl ? await pacUrlResolver(values.pacUrl) : environmentProxyResolver()));
  const caFiles = [...settings.policy.trustedCaFiles, ...values.trustedCaFiles];
  const extraCas = [
    ...settings.policy.trustedCa,
    ...(values.trustedCaPem.trim() ? [values.trustedCaPem] : []),
    ...(await Promise.all(caFiles.map(readCaFile))),
  ];

  const trustedFingerprints = appliedFingerprints(saved, settings.policy, communityId);
  return {
    community,
    facts: {
      address: communityAddress(community),
      ...(community.xmppDomain ? { domain: community.xmppDomain } : {}),
      method: values.method,
      ...(proxy ? { proxy: { type: proxy.type, host: proxy.host, port: proxy.port, login: proxy.username !== undefined } } : {}),
      ...(values.method === 'system-proxy' ? { systemProxy: deps.systemProxy ? 'os' : values.pacUrl ? 'pac' : 'environment' } : {}),
      allowUnencrypted: values.allowUnencrypted,
      extraCas: extraCas.length,
      trustedCertificates: trustedFingerprints.length,
    },
    request: {
      address: communityAddress(community),
      ...(community.xmppDomain ? { domain: community.xmppDomain } : {}),
      method: values.method,
      ...(proxy ? { proxy } : {}),
      ...(systemProxy ? { systemProxy } : {}),
      ...(values.method === 'system-proxy' && deps.systemNetworkStack ? { systemNetworkStack: deps.systemNetworkStack } : {}),
      allowUnencrypted: values.allowUnencrypted,
      trust: {
        extraCas,
        trustedFingerprints,
        onRefused: (certificate) => deps.refusedCertificates?.note(communityId, certificate),
      },
      strategy: { kind: 'race', attemptDelayMs: values.attemptDelayMs },
      deadlineMs: values.deadlineMs,
    },
    account: { username: community.username, password: await secrets.get(secretKeys.communityPassword(communityId)) },
  };
}

async function readCaFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`The trusted CA file ${file} cannot be read: ${(error as Error).message}`);
  }
}
