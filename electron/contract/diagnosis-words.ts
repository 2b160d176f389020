/**
 * A race's outcome in words: the verdict in one sentence, then advice by class of failure, each
 * saying who can act (the user, the network's administrator, the server's) and, where the user
 * can, which field of Preferences to change. Shared by Test connection, the status banner, the
 * report and `diagnose`. Core sends facts (diagnosis.ts).
 */
import type { AttemptPath } from './attempt-path.js';
import { attemptCauseWords, pathLine, pathWords, proxyLoginWords } from './attempt-words.js';
import { certificateFailureWords } from './certificate-words.js';
import type { Diagnosis, Obstacle, PreferencesField } from './diagnosis.js';
import { sentence } from './sentence.js';

export interface Advice {
  /** Who can act on it. */
  by: 'you' | 'network-administrator' | 'server-administrator';
  words: string;
  /** The field of Preferences to change, for advice the user can follow there. */
  field?: PreferencesField;
}

export const adviserWords: Record<Advice['by'], string> = {
  you: 'You',
  'network-administrator': 'Your network administrator',
  'server-administrator': 'The server’s administrator',
};

/** What Preferences calls each field that advice points to. */
export const preferencesFieldWords: Record<PreferencesField, string> = {
  hostServer: 'Host server',
  username: 'User name',
  method: 'Connection method',
  'proxy.host': 'Proxy host',
  'proxy.username': 'Proxy user name',
  allowUnencrypted: 'Allow unencrypted HTTP tunnelling',
  trustedCaPem: 'Additional trusted CA',
};

/** "5222, 5223 and 443" */
export function listWords(items: readonly (string | number)[]): string {
  const words = items.map(String);
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

function ports(list: readonly (string | number)[]): string {
  return `${list.length === 1 ? 'port' : 'ports'} ${listWords(list)}`;
}

/** What stood in the way, as a clause: "nothing on this network reaches chat.example.com on ports 5222 and 5223 (no answer)". */
export function obstacleWords(obstacle: Obstacle): string {
  switch (obstacle.kind) {
    case 'ports-blocked': {
      const how = obstacle.silent ? 'no answer: the connections are dropped' : 'the connections are refused';
      const by = obstacle.route === 'direct' ? 'this network lets no connection through' : `the ${obstacle.route === 'system' ? 'system proxy' : 'proxy'} gets no connection through`;
      return `${by} to ${obstacle.host} on ${ports(obstacle.ports)} (${how})`;
    }
    case 'proxy-refusing':
      return `the proxy ${obstacle.proxy} refuses to connect to ${obstacle.host} on ${ports(obstacle.ports)}`;
    case 'proxy-login':
      return obstacle.proxyLogin ? proxyLoginWords(obstacle.proxy, obstacle.proxyLogin) : `the proxy ${obstacle.proxy} refused the proxy user name and password`;
    case 'proxy-unreachable':
      return `the proxy ${obstacle.proxy} cannot be reached`;
    case 'certificate':
      return obstacle.certificate ? certificateFailureWords(obstacle.certificate) : `the certificate of ${obstacle.expectedName} failed verification`;
    case 'name-not-found':
      return obstacle.temporary ? `no DNS server answered for ${obstacle.host}` : `the name ${obstacle.host} is not in DNS`;
    case 'unencrypted-only':
      return `only unencrypted HTTP reaches ${obstacle.host} (${obstacle.paths.map(pathLine).join('; ')}), and unencrypted tunnelling is not allowed`;
    case 'server':
      return `${obstacle.host} answered, but not with working XMPP: ${attemptCauseWords(obstacle.cause)}`;
    case 'no-allowed-path':
      return `the settings allow no path to ${obstacle.host}: every one would be unencrypted, which is not allowed`;
    case 'unclear':
      return obstacle.detail ?? `the paths to ${obstacle.host} failed in different ways (see each attempt)`;
  }
}

function triedWords({ tried, elapsedMs }: Diagnosis): string {
  return `${tried} ${tried === 1 ? 'path' : 'paths'} tried in ${(elapsedMs / 1000).toFixed(1)} s`;
}

/** The verdict of a race that found no path: "Burrow cannot connect to chat.example.com: …. (6 paths tried in 20.0 s)" */
export function failureVerdict(diagnosis: Diagnosis): string {
  const why = diagnosis.obstacle ? `: ${obstacleWords(diagnosis.obstacle)}` : '';
  const host = diagnosis.host || 'the server';
  const verdict = sentence(`Burrow cannot connect to ${host}${why}`);
  return diagnosis.tried > 0 ? `${verdict} (${triedWords(diagnosis)})` : verdict;
}

/** The verdict of a race that connected, with what failed on the way: "Connected to … in 0.4 s over WebSocket over HTTPS, no proxy. Before it, …." */
export function connectedVerdict(diagnosis: Diagnosis, path: AttemptPath): string {
  const connected = `Connected to ${diagnosis.host} in ${(diagnosis.elapsedMs / 1000).toFixed(1)} s over ${pathWords(path)}.`;
  return diagnosis.obstacle ? `${connected} ${sentence(`on the way, ${obstacleWords(diagnosis.obstacle)}`)}` : connected;
}

const reportToHelpDesk: Advice = { by: 'you', words: 'Copy the report below and send it to your help desk.' };

/** What can be done about an obstacle, most useful first. After a connection, only what would make it faster or surer. */
export function adviceFor(obstacle: Obstacle, { connected = false } = {}): Advice[] {
  switch (obstacle.kind) {
    case 'ports-blocked':
      return portsBlockedAdvice(obstacle, connected);
    case 'proxy-refusing':
      return [
        {
          by: 'network-administrator',
          words: `Let the proxy ${obstacle.proxy} connect (HTTP CONNECT) to ${obstacle.host} on port 443, or on 5222 and 5223 for XMPP's own ports.`,
        },
        { by: 'you', words: 'Check that this is the proxy your network expects.', field: 'proxy.host' },
      ];
    case 'proxy-login':
      return proxyLoginAdvice(obstacle);
    case 'proxy-unreachable':
      return [
        { by: 'you', words: `Check the proxy's host and port: nothing answered at ${obstacle.proxy}.`, field: 'proxy.host' },
        { by: 'you', words: 'If your network needs no proxy, choose another connection method.', field: 'method' },
      ];
    case 'certificate':
      return certificateAdvice(obstacle);
    case 'name-not-found':
      return obstacle.temporary
        ? [{ by: 'you', words: 'Check that this computer is connected to a network; then try again.' }]
        : [
            { by: 'you', words: `Check the spelling of the host server: ${obstacle.host} is not known.`, field: 'hostServer' },
            { by: 'server-administrator', words: `Publish ${obstacle.host} in DNS, or tell users the name to use.` },
          ];
    case 'unencrypted-only':
      return [
        { by: 'network-administrator', words: `Allow HTTPS (port 443) to ${obstacle.host}, so that Burrow can connect with encryption.` },
        {
          by: 'you',
          words: 'Only if your administrator agrees, allow unencrypted HTTP tunnelling: your messages would cross the network readable.',
          field: 'allowUnencrypted',
        },
      ];
    case 'server':
      return [
        { by: 'server-administrator', words: `Check the XMPP service of ${obstacle.host}, and what stands in front of it: it answered, but not with working XMPP.` },
        { by: 'you', words: 'Check the host server and its port.', field: 'hostServer' },
      ];
    case 'no-allowed-path':
      return [
        { by: 'you', words: 'Choose a connection method with encrypted paths, or give an address that is not plain HTTP.', field: 'method' },
      ];
    case 'unclear':
      return [reportToHelpDesk];
  }
}

function portsBlockedAdvice(obstacle: Extract<Obstacle, { kind: 'ports-blocked' }>, connected: boolean): Advice[] {
  const open = `Allow connections to ${obstacle.host} on ${ports(obstacle.ports)}`;
  if (connected) return [{ by: 'network-administrator', words: `${open}: Burrow would connect faster over XMPP's own ports.` }];
  const advice: Advice[] =
    obstacle.route === 'direct'
      ? [
          { by: 'you', words: 'If your network has a proxy, choose "Use my system proxy settings" or "Use proxy".', field: 'method' },
          { by: 'network-administrator', words: `${open}, or at least port 443 (HTTPS).` },
        ]
      : [
          { by: 'network-administrator', words: `Let the proxy connect to ${obstacle.host} on port 443 (HTTPS), or on 5222 and 5223.` },
          { by: 'you', words: 'Check that this is the proxy your network expects.', field: 'proxy.host' },
        ];
  // A refusal from every port may be a server that is down, not a firewall.
  if (!obstacle.silent) advice.push({ by: 'server-administrator', words: `Check that the XMPP server at ${obstacle.host} is running: it refused every connection.` });
  return advice;
}

function proxyLoginAdvice({ proxyLogin }: Extract<Obstacle, { kind: 'proxy-login' }>): Advice[] {
  if (proxyLogin?.credentials === 'withheld') return [{ by: 'you', words: 'Choose "Use proxy" to send the proxy login on every path.', field: 'method' }];
  if (proxyLogin && !proxyLogin.tried && proxyLogin.credentials === 'configured') {
    return [{ by: 'network-administrator', words: 'Allow NTLM or Basic sign-in at the proxy for Burrow: it cannot answer the one the proxy asks for.' }];
  }
  const windows = proxyLogin?.tried === 'ntlm' ? ' Give the Windows user name as DOMAIN\\user.' : '';
  return [
    { by: 'you', words: `Check the proxy user name and password; the proxy locks accounts after a few failed logins, so Burrow will not try again by itself.${windows}`, field: 'proxy.username' },
  ];
}

function certificateAdvice({ expectedName, certificate }: Extract<Obstacle, { kind: 'certificate' }>): Advice[] {
  const trustable = certificate?.problems.every((problem) => problem === 'self-signed' || problem === 'unknown-issuer') ?? false;
  const advice: Advice[] = [
    { by: 'server-administrator', words: `Give ${expectedName} a certificate for its name from a trusted authority, within its dates.` },
  ];
  if (trustable) {
    advice.unshift(
      { by: 'you', words: 'If your company uses its own certificate authority, add it as an additional trusted CA.', field: 'trustedCaPem' },
      { by: 'you', words: 'Or compare the fingerprint with the one your administrator gives you, then trust this certificate.' },
    );
  }
  return advice;
}
