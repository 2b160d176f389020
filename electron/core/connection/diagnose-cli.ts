/**
 * npm run diagnose -- ADDRESS [options]   (see `usage` below, or --help)
 * Prints the live timeline of the race and exits 0 when connected (and signed in, given a user),
 * 1 otherwise, 2 on a usage error. With --json it prints one JSON report instead (DiagnoseReport),
 * which the lab's integration tests read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import type { AccountCause } from '../../contract/account-lifecycle.js';
import { causeWords } from '../../contract/account-words.js';
import type { CertificateView } from '../../contract/attempt-view.js';
import { attemptCauseWords } from '../../contract/attempt-words.js';
import { certificateDetails } from '../../contract/certificate-words.js';
import type { Diagnosis } from '../../contract/diagnosis.js';
import { adviceFor, adviserWords, connectedVerdict, failureVerdict } from '../../contract/diagnosis-words.js';
import { svgMarkup, waterfallDrawing, type SignInBar } from '../../contract/waterfall.js';
import { attemptView } from './attempt-view.js';
import { attemptPath } from './candidate.js';
import { errorWords } from '../../contract/error-words.js';
import { connectToCommunity } from './connect.js';
import type { ConnectRequest } from './connect.js';
import type { ConnectionMethod } from './plan.js';
import { diagnose } from './diagnosis.js';
import type { AttemptEvent, AttemptRecord } from './race.js';
import { parseProxyUrl } from './routes/proxy-url.js';
import { environmentProxyResolver, pacUrlResolver } from './routes/system-proxy.js';
import { signInFailureCause } from './sign-in-failure.js';
import { systemCasFacts, systemCasOnce, systemCasWords, type SystemCasFacts } from './system-cas.js';

const methods: ConnectionMethod[] = ['automatic', 'direct-tcp', 'direct-http', 'system-proxy', 'proxy'];

const usageLine =
  'usage: npm run diagnose -- ADDRESS [--method M] [--proxy URL] [--pac URL] [--ca FILE] [--trust-certificate SHA256] [--allow-unencrypted] ' +
  '[--domain D] [--user U --password P] [--deadline MS] [--json] [--svg FILE]';

const usage = `${usageLine}

Connects to a server community the way Burrow does, prints every attempt as it happens and why
it failed, and exits 0 when connected (and signed in, given --user), 1 otherwise.

  ADDRESS              host, host:port, or xmpp://, xmpps://, ws://, wss://, http://, https:// URL
  --method M           ${methods.join(', ')} (default: automatic; proxy with --proxy, system-proxy with --pac)
  --proxy URL          http://[user:password@]host:port, socks5://…, socks5h://…, socks4://…
  --pac URL            system proxy settings from this PAC file (otherwise HTTPS_PROXY, HTTP_PROXY, …)
  --ca FILE            trust this CA certificate (PEM) in addition to the system's; repeatable
  --trust-certificate SHA256
                       accept exactly the server certificate with this SHA-256 fingerprint (AB:CD:…),
                       as "Trust this certificate" does; never one for another name or out of its dates
  --allow-unencrypted  allow unencrypted HTTP tunnelling (BOSH over http://, ws://)
  --domain D           the XMPP domain, when it differs from the address's host
  --user U             sign in as U after connecting (with --password P)
  --deadline MS        give up after MS milliseconds (default 20000)
  --json               print one JSON report instead of the timeline
  --svg FILE           also draw the attempts as a waterfall picture (SVG) into FILE
  --help               show this help`;

/** What --json prints: the outcome, the winner and every attempt, without secrets. */
export interface DiagnoseReport {
  address: string;
  method: ConnectionMethod;
  allowUnencrypted: boolean;
  connected: boolean;
  /** Whether signing in worked; null when no user was given or nothing connected. */
  authenticated: boolean | null;
  jid?: string;
  /** The SASL mechanism it signed in by. */
  mechanism?: string;
  /** Why signing in failed, as facts, and in the words the banner uses. */
  signInCause?: AccountCause;
  authenticationError?: string;
  /** From the start of the connection (discovery included) to the winner's stream features. */
  connectMs: number;
  winner: AttemptRecord | null;
  attempts: AttemptRecord[];
  /** What failed, and so what stood in the way; after a connection, on the paths before the winner. */
  diagnosis: Diagnosis;
  /** The diagnosis in words: the verdict, then advice by who can act on it. */
  verdict: string;
  advice: string[];
  discoveryProblems: string[];
  /** Where the system's CAs came from, trusted beside Node's own. */
  systemCas: SystemCasFacts;
}

class UsageError extends Error {}

/** Each certificate refused once, however many paths it was presented on. */
function refusedCertificates(attempts: readonly AttemptRecord[]): CertificateView[] {
  const byFingerprint = new Map(
    attempts.flatMap(({ cause }) => (cause?.kind === 'certificate' && cause.certificate ? [[cause.certificate.fingerprint256, cause.certificate] as const] : [])),
  );
  return [...byFingerprint.values()];
}

function describeEvent({ type, atMs, record }: AttemptEvent): string {
  const cause = record.cause && type !== 'started' ? ` — ${attemptCauseWords(record.cause)}` : '';
  return `${String(atMs).padStart(6)} ms  ${type.padEnd(11)} ${record.path}${cause}`;
}

function parseCommandLine(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        method: { type: 'string' },
        proxy: { type: 'string' },
        pac: { type: 'string' },
        ca: { type: 'string', multiple: true },
        'trust-certificate': { type: 'string', multiple: true },
        'allow-unencrypted': { type: 'boolean', default: false },
        domain: { type: 'string' },
        user: { type: 'string' },
        password: { type: 'string' },
        deadline: { type: 'string' },
        json: { type: 'boolean', default: false },
        svg: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(errorWords(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true as const };
  const [address, ...extra] = positionals;
  if (!address) throw new UsageError('an ADDRESS is needed');
  if (extra.length > 0) throw new UsageError(`one ADDRESS only, not also "${extra.join(' ')}"`);
  const method = values.method ?? (values.proxy ? 'proxy' : values.pac ? 'system-proxy' : 'automatic');
  if (!methods.includes(method as ConnectionMethod)) throw new UsageError(`--method must be one of ${methods.join(', ')}`);
  if (method === 'proxy' && !values.proxy) throw new UsageError('--method proxy needs --proxy URL');
  let proxy;
  try {
    proxy = values.proxy === undefined ? undefined : parseProxyUrl(values.proxy);
  } catch (error) {
    throw new UsageError(errorWords(error));
  }
  const deadlineMs = values.deadline === undefined ? undefined : Number(values.deadline);
  if (deadlineMs !== undefined && !(Number.isInteger(deadlineMs) && deadlineMs > 0)) {
    throw new UsageError(`--deadline wants a positive whole number of milliseconds, not "${values.deadline}"`);
  }
  return { help: false as const, address, method: method as ConnectionMethod, proxy, deadlineMs, values };
}

async function main(argv: string[]): Promise<number> {
  const command = parseCommandLine(argv);
  if (command.help) {
    console.log(usage);
    return 0;
  }
  const { address, method, proxy, deadlineMs, values } = command;
  const json = values.json;
  const say = json ? () => {} : (line: string) => console.log(line);

  const systemProxy = values.pac
    ? await pacUrlResolver(values.pac)
    : method === 'system-proxy'
      ? environmentProxyResolver()
      : undefined;
  const request: ConnectRequest = {
    address,
    method,
    allowUnencrypted: values['allow-unencrypted'],
    onEvent: (event) => say(describeEvent(event)),
    ...(values.domain ? { domain: values.domain } : {}),
    ...(proxy ? { proxy } : {}),
    ...(systemProxy ? { systemProxy } : {}),
    ...(values.ca || values['trust-certificate']
      ? { trust: { extraCas: (values.ca ?? []).map((file) => readFileSync(file, 'utf8')), trustedFingerprints: values['trust-certificate'] ?? [] } }
      : {}),
    ...(deadlineMs ? { deadlineMs } : {}),
  };

  const systemCas = systemCasOnce();
  say(`connecting to ${address} (${method}); trusting Node's CAs and ${systemCasWords(systemCas)}`);
  const startedAt = Date.now();
  const { discovery, result } = await connectToCommunity(request);
  const connectMs = Date.now() - startedAt;
  const diagnosis = result.connected ? diagnose(result.attempts, result.elapsedMs) : result.diagnosis;
  const verdict = result.connected ? connectedVerdict(diagnosis, attemptPath(result.winner.candidate)) : failureVerdict(diagnosis);
  const advice = diagnosis.obstacle ? adviceFor(diagnosis.obstacle, { connected: result.connected }) : [];
  const report: DiagnoseReport = {
    address,
    method,
    allowUnencrypted: request.allowUnencrypted,
    connected: result.connected,
    authenticated: null,
    connectMs,
    winner: result.connected ? result.winner : null,
    attempts: result.attempts,
    diagnosis,
    verdict,
    advice: advice.map(({ by, words }) => `${adviserWords[by]}: ${words}`),
    discoveryProblems: discovery?.problems ?? [],
    systemCas: systemCasFacts(systemCas),
  };
  for (const problem of report.discoveryProblems) say(`  discovery: ${problem}`);
  for (const record of result.attempts.filter((attempt) => attempt.excluded)) {
    say(`  left out (unencrypted, not allowed): ${record.path}`);
  }

  let signIn: SignInBar | undefined;
  if (!result.connected) {
    say(`FAILED after ${connectMs} ms. ${verdict}`);
    for (const line of report.advice) say(`  ${line}`);
    for (const certificate of refusedCertificates(result.attempts)) {
      say(`  refused certificate:`);
      for (const [label, value] of certificateDetails(certificate)) say(`    ${label}: ${value}`);
    }
  } else {
    // The verdict names the time and the path already; the raw path is the timeline's.
    say(`CONNECTED (${result.winner.path}). ${verdict}`);
    for (const line of report.advice) say(`  ${line}`);
    const { client } = result.connection;
    const wonAtMs = result.winner.endedAtMs ?? result.elapsedMs;
    const authStartedAt = Date.now();
    try {
      if (values.user) {
        const { mechanism } = await client.authenticate({ username: values.user, password: values.password ?? '' });
        report.authenticated = true;
        report.jid = client.jid ?? '';
        report.mechanism = mechanism;
        signIn = { endedAtMs: wonAtMs + Date.now() - authStartedAt, signedIn: true };
        say(`AUTHENTICATED as ${report.jid} with ${mechanism} in ${Date.now() - authStartedAt} ms`);
      }
    } catch (error) {
      report.authenticated = false;
      report.signInCause = signInFailureCause(error);
      report.authenticationError = causeWords(report.signInCause);
      signIn = { endedAtMs: wonAtMs + Date.now() - authStartedAt, signedIn: false };
      say(`AUTHENTICATION FAILED: ${report.authenticationError}`);
    } finally {
      await client.stop();
    }
  }
  if (values.svg) {
    const drawing = waterfallDrawing({ attempts: result.attempts.map(attemptView), ...(signIn ? { signIn } : {}), nowMs: result.elapsedMs });
    writeFileSync(values.svg, `${svgMarkup(drawing)}\n`);
    say(`waterfall picture written to ${values.svg}`);
  }
  if (json) console.log(JSON.stringify(report));
  return report.connected && report.authenticated !== false ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    // One line: Node's own wording can run on with advice about "--"; its first sentence says it.
    console.error(`diagnose: ${(error.message.split('\n')[0] ?? '').split('. ')[0]} (see --help)`);
    return 2;
  }
  console.error(`diagnose: ${errorWords(error)}`);
  return 1;
});
