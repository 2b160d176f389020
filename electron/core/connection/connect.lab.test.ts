/**
 * LAB.md's scenario matrix against the real connection manager: for each network, a real account
 * connects and signs in on Prosody from corp, and what the race did is checked against what LAB.md
 * promises. Every row also goes to reports/lab-matrix.json.
 */
import { afterAll, expect, it } from 'vitest';

import { failedLogins, findScenario, serverKinds, type Lab, type LoggingProxy, type ProxyLoginRecord, type ScenarioId } from '../../../lab/lab.js';
import { describeWithLab } from '../../../lab/testing.js';
import { attemptCauseWords } from '../../contract/attempt-words.js';
import type { Obstacle } from '../../contract/diagnosis.js';
import type { AttemptRecord } from './race.js';
import { connectFromCorp, credentialsSent, isFailedLogin, LabMatrix, labMatrixFile, proxyLog } from './testing/lab-connect.js';
import type { DiagnoseReport, LabConnection } from './testing/lab-connect.js';

/** The race's default attempt delay. */
const attemptDelayMs = 250;
/** How late a timer or a process may run on a busy two-core machine. */
const schedulingSlackMs = 150;
/**
 * How late a race may end after its deadline on a busy two-core machine (218 ms was seen while the
 * lab suite shared the cores): still far short of what waiting out each attempt would cost.
 */
const deadlineSlackMs = 500;
/** "At once": a refusal answered well inside one attempt delay. */
const atOnceMs = 100;
/** TLS, the XMPP stream and its features over the lab's links. */
const handshakeAllowanceMs = 250;
/** A short overall deadline for the networks where nothing can connect, to keep the suite fast. */
const shortDeadlineMs = 4000;

interface Case {
  /** Set when a scenario has several cases: "wrong credentials". */
  name?: string;
  connection: (lab: Lab) => LabConnection;
  check: (report: DiagnoseReport, evidence: Evidence) => void;
}

/** What else the lab saw while a case ran. */
interface Evidence {
  lab: Lab;
  /** Requests the lab's HTTP proxies logged during the case. */
  proxyRequests: string[];
  /** Requests the Negotiate-only squid (S15N) logged during the case. */
  negotiateProxyRequests: string[];
  /** Logins the NTLM proxy's domain controller (S15) and the 401 proxy (S16) saw during the case. */
  logins: Record<LoggingProxy, ProxyLoginRecord[]>;
}

const loggingProxies: readonly LoggingProxy[] = ['ntlm', 'unauthorized'];

function signedIn(report: DiagnoseReport): AttemptRecord {
  expect(report.connected, report.verdict).toBe(true);
  expect(report.authenticated, report.authenticationError).toBe(true);
  expect(report.jid).toMatch(/^alice@chat\.lab\.test\//);
  expect(report.mechanism).toMatch(/^SCRAM-SHA-/);
  if (!report.winner) throw new Error('connected without a winner');
  return report.winner;
}

/** The verdict and advice, in words, and the class of failure that stood in the way. */
function notConnected(report: DiagnoseReport): { verdict: string; advice: string; obstacle: Obstacle['kind'] | undefined } {
  expect(report.connected).toBe(false);
  expect(report.winner).toBeNull();
  return { verdict: report.verdict, advice: report.advice.join('\n'), obstacle: report.diagnosis.obstacle?.kind };
}

const causeText = (attempt: AttemptRecord) => attempt.cause && attemptCauseWords(attempt.cause);
const planned = (report: DiagnoseReport) => report.attempts.filter((attempt) => !attempt.excluded);
const tried = (report: DiagnoseReport) => report.attempts.filter((attempt) => attempt.startedAtMs !== undefined);
const firstStarted = (report: DiagnoseReport) => tried(report).toSorted((a, b) => (a.startedAtMs ?? 0) - (b.startedAtMs ?? 0))[0];
const onDirectPorts = (attempt: AttemptRecord) => [5222, 5223].includes(attempt.candidate.endpoint.port);
const duration = (attempt: AttemptRecord) => (attempt.endedAtMs ?? Infinity) - (attempt.startedAtMs ?? 0);

/** When an attempt's XMPP stage (TLS, stream, features) began: the race paces that, not opening routes. */
const xmppStartOf = (attempt: AttemptRecord) => attempt.negotiatingAtMs ?? attempt.startedAtMs ?? Infinity;

/** The paths that failed at once cost no attempt delay: the winner was through before one passed. */
function expectNoWaitingSpent(winner: AttemptRecord): void {
  expect(winner.endedAtMs, `won at ${winner.endedAtMs} ms`).toBeLessThan(attemptDelayMs);
}

function expectRefusedAtOnce(attempts: AttemptRecord[], kind: string, text: RegExp): void {
  expect(attempts.length).toBeGreaterThan(0);
  for (const attempt of attempts) {
    expect(attempt.outcome, attempt.path).toBe('failed');
    expect(attempt.cause?.kind, causeText(attempt)).toBe(kind);
    expect(causeText(attempt)).toMatch(text);
    expect(duration(attempt), `${attempt.path} took ${duration(attempt)} ms to fail`).toBeLessThan(atOnceMs);
  }
}

const scenarioCases: Record<Exclude<ScenarioId, 'S12'>, Case[]> = {
  S1: [
    {
      connection: () => ({}),
      check: (report, { lab }) => {
        const winner = signedIn(report);
        expect(['directtls', 'starttls']).toContain(winner.candidate.endpoint.transport);
        expect(winner.candidate.route.kind).toBe('direct');
        // The strongest SCRAM each server offers: Prosody stores SHA-256 keys, Debian's ejabberd SHA-1.
        expect(report.mechanism).toBe(lab.server === 'prosody' ? 'SCRAM-SHA-256' : 'SCRAM-SHA-1');
      },
    },
  ],
  S2: [
    {
      connection: () => ({}),
      check: (report) => {
        const winner = signedIn(report);
        expect(winner.candidate.endpoint).toMatchObject({ port: 443, secure: true });
        expect(['websocket', 'bosh']).toContain(winner.candidate.endpoint.transport);
        expectRefusedAtOnce(tried(report).filter(onDirectPorts), 'refused', /^connection to chat\.lab\.test:522[23] was refused$/);
        expectNoWaitingSpent(winner);
      },
    },
  ],
  S3: [
    {
      connection: () => ({}),
      check: (report) => {
        const winner = signedIn(report);
        expect(winner.candidate.endpoint).toMatchObject({ port: 443, secure: true });
        // The silent direct ports were passed over, not waited out: 443 went ahead within one attempt delay.
        expect(xmppStartOf(winner)).toBeLessThanOrEqual(attemptDelayMs + schedulingSlackMs);
        expect(winner.endedAtMs).toBeLessThanOrEqual(attemptDelayMs + handshakeAllowanceMs);
        for (const silent of tried(report).filter(onDirectPorts)) {
          expect(causeText(silent), silent.path).toMatch(/^no answer from chat\.lab\.test:522[23] within \d+ ms; tried the next path$/);
        }
      },
    },
  ],
  S4: [
    {
      name: 'default settings',
      connection: () => ({}),
      check: (report) => {
        const { verdict, advice, obstacle } = notConnected(report);
        expect(obstacle).toBe('unencrypted-only');
        expect(verdict).toMatch(/only unencrypted HTTP reaches chat\.lab\.test/);
        expect(advice).toMatch(/allow unencrypted HTTP tunnelling/);
        const reachable = report.attempts.filter((attempt) => attempt.outcome === 'reachable');
        expect(reachable.length).toBeGreaterThan(0);
        for (const attempt of reachable) expect(attempt.candidate.endpoint).toMatchObject({ port: 80, secure: false });
      },
    },
    {
      name: 'with "Allow unencrypted HTTP tunnelling"',
      connection: () => ({ allowUnencrypted: true }),
      check: (report) => {
        const winner = signedIn(report);
        expect(winner.candidate.endpoint).toMatchObject({ port: 80, secure: false });
        expect(['websocket', 'bosh']).toContain(winner.candidate.endpoint.transport);
      },
    },
  ],
  S5: [
    {
      connection: (lab) => ({ method: 'proxy', proxy: lab.proxies.http.url }),
      check: (report) => {
        const winner = signedIn(report);
        expect(winner.candidate.route).toMatchObject({ kind: 'proxy', proxy: { type: 'http', host: 'proxy.lab.test', port: 3128 } });
        expect(winner.candidate.endpoint).toMatchObject({ port: 443, secure: true });
        expectRefusedAtOnce(tried(report).filter(onDirectPorts), 'proxy-refused', /^proxy\.lab\.test:3128 refused CONNECT to port 522[23] \(403\)$/);
        expectNoWaitingSpent(winner);
      },
    },
  ],
  S6: [
    {
      name: 'right credentials',
      connection: ({ proxies: { httpAuth } }) => ({ method: 'proxy', proxy: withCredentials(httpAuth.url, httpAuth.username, httpAuth.password) }),
      check: (report) => {
        const winner = signedIn(report);
        expect(winner.candidate.route).toMatchObject({ kind: 'proxy', proxy: { host: 'authproxy.lab.test', username: 'burrow' } });
        expect(winner.candidate.endpoint).toMatchObject({ port: 443, secure: true });
      },
    },
    {
      name: 'wrong credentials',
      connection: ({ proxies: { httpAuth } }) => ({ method: 'proxy', proxy: withCredentials(httpAuth.url, httpAuth.username, 'not-the-password') }),
      check: (report, { proxyRequests }) => {
        const { verdict, obstacle } = notConnected(report);
        expect(obstacle).toBe('proxy-login');
        expect(verdict).toMatch(/proxy authentication failed at authproxy\.lab\.test:3128/);
        for (const attempt of planned(report)) {
          expect(attempt.cause?.kind, attempt.path).toBe('proxy-authentication');
          expect(causeText(attempt)).toMatch(/^proxy authentication failed at authproxy\.lab\.test:3128 \(407\)/);
        }
        // One login for the whole race (the proxy's log says which 407s answered credentials), the
        // other paths waiting for its answer: no retry storm, and no account lockout.
        const denied = proxyRequests.filter((line) => / TCP_DENIED\/407 /.test(line));
        const failedLogins = denied.filter((line) => line.split(/\s+/).at(-1) !== '-');
        expect(failedLogins, denied.join('\n')).toHaveLength(1);
        expect(denied.length, denied.join('\n')).toBeLessThanOrEqual(tried(report).length + 1);
        expect(report.connectMs).toBeLessThan(attemptDelayMs * 4);
      },
    },
  ],
  S7: [
    {
      name: 'with "Allow unencrypted HTTP tunnelling"',
      connection: (lab) => ({ method: 'proxy', proxy: lab.proxies.httpNoConnect.url, allowUnencrypted: true }),
      check: (report, { proxyRequests }) => {
        const winner = signedIn(report);
        expect(winner.candidate.endpoint).toMatchObject({ transport: 'bosh', port: 80, secure: false });
        expect(winner.candidate.route).toMatchObject({ kind: 'proxy', proxy: { host: 'getproxy.lab.test' } });
        expect(proxyRequests.some((line) => / POST http:\/\/chat\.lab\.test\/http-bind /.test(line)), 'absolute-URI BOSH requests').toBe(true);
        for (const attempt of tried(report).filter((each) => each.candidate.endpoint.secure)) {
          expect(causeText(attempt), attempt.path).toMatch(/^getproxy\.lab\.test:3128 refused CONNECT to port \d+ \(403\)$/);
        }
      },
    },
    {
      name: 'default settings',
      connection: (lab) => ({ method: 'proxy', proxy: lab.proxies.httpNoConnect.url }),
      check: (report) => {
        const { verdict, advice, obstacle } = notConnected(report);
        expect(obstacle).toBe('unencrypted-only');
        expect(verdict).toMatch(/only unencrypted HTTP reaches chat\.lab\.test \(.*BOSH http:\/\/chat\.lab\.test:80\/http-bind via HTTP proxy getproxy\.lab\.test:3128/);
        expect(advice).toMatch(/allow unencrypted HTTP tunnelling/);
        for (const attempt of planned(report)) expect(attempt.cause?.kind, attempt.path).toBe('proxy-refused');
      },
    },
  ],
  S8: [
    {
      name: 'default settings',
      connection: () => ({}),
      check: (report) => {
        const winner = signedIn(report);
        expect(winner.candidate.endpoint).toMatchObject({ port: 443, secure: true });
      },
    },
    {
      name: 'address ws://chat.lab.test, unencrypted tunnelling allowed',
      connection: () => ({ address: 'ws://chat.lab.test', allowUnencrypted: true }),
      check: (report) => {
        // Plain BOSH on 80 passes the intercepting proxy too, but encrypted paths keep their lead over it.
        expect(signedIn(report).candidate.endpoint).toMatchObject({ port: 443, secure: true });
        const plainWebSocket = tried(report).filter((attempt) => attempt.candidate.endpoint.transport === 'websocket' && attempt.candidate.endpoint.port === 80);
        expectRefusedAtOnce(plainWebSocket, 'websocket-refused', /chat\.lab\.test:80 refused the WebSocket upgrade \(HTTP \d{3}\); a transparent proxy may be in the way/);
      },
    },
  ],
  S9: [
    {
      name: 'the automatic plan',
      connection: ({ proxies: { socks5 } }) => ({ method: 'proxy', proxy: withCredentials(socks5.url, socks5.username, socks5.password) }),
      check: (report) => expectEncryptedThroughSocks(signedIn(report)),
    },
    {
      name: 'address xmpp://chat.lab.test',
      connection: ({ proxies: { socks5 } }) => ({
        address: 'xmpp://chat.lab.test',
        method: 'proxy',
        proxy: withCredentials(socks5.url, socks5.username, socks5.password),
      }),
      check: (report) => {
        // The address puts STARTTLS on 5222 first; the plan's fallbacks (direct TLS on 5223) race
        // behind it and may rightly win when the first is slow through SOCKS.
        expect(firstStarted(report)?.candidate.endpoint).toMatchObject({ transport: 'starttls', port: 5222 });
        expectEncryptedThroughSocks(signedIn(report));
      },
    },
  ],
  S10: [
    {
      connection: (lab) => ({ method: 'system-proxy', pac: lab.pacUrl }),
      check: (report, { proxyRequests }) => {
        const winner = signedIn(report);
        expect(winner.candidate.route.kind).toBe('system');
        expect(winner.candidate.endpoint).toMatchObject({ port: 443, secure: true });
        // The PAC names proxy.lab.test:3128, the one way out of this network; it carried the winner.
        expect(proxyRequests.some((line) => / CONNECT chat\.lab\.test:443 /.test(line)), 'CONNECT through the PAC proxy').toBe(true);
        expectRefusedAtOnce(tried(report).filter(onDirectPorts), 'proxy-refused', /^proxy\.lab\.test:3128 refused CONNECT to port 522[23] \(403\)$/);
      },
    },
  ],
  S11: [
    {
      connection: () => ({ deadlineMs: shortDeadlineMs }),
      check: (report) => {
        const { verdict, obstacle } = notConnected(report);
        expect(obstacle).toBe('ports-blocked');
        expect(verdict).toMatch(/^Burrow cannot connect to chat\.lab\.test: this network lets no connection through to chat\.lab\.test on ports /);
        expect(report.connectMs).toBeLessThanOrEqual(shortDeadlineMs + deadlineSlackMs);
        expect(planned(report).length).toBeGreaterThanOrEqual(4);
        for (const attempt of planned(report)) {
          expect(attempt.outcome, attempt.path).toBe('failed');
          expect(causeText(attempt), attempt.path).toMatch(/no answer from chat\.lab\.test:\d+/);
        }
      },
    },
  ],
  S13: [
    {
      name: 'default settings',
      connection: () => ({}),
      check: expectRefusedForTheCertificate,
    },
    {
      name: 'even with unencrypted tunnelling allowed',
      connection: () => ({ allowUnencrypted: true }),
      check: expectRefusedForTheCertificate,
    },
  ],
  S14: [
    {
      connection: () => ({}),
      check: (report, { lab }) => {
        const winner = signedIn(report);
        expect(winner.candidate.endpoint).toMatchObject({ source: 'host-meta', port: 7443 });
        const url = winner.path.split(' ')[1];
        expect([lab.endpoints.websocket, lab.endpoints.bosh]).toContain(url);
      },
    },
  ],
  S15: [
    {
      name: 'right credentials',
      connection: ({ proxies: { ntlm } }) => ({ method: 'proxy', proxy: withCredentials(ntlm.url, ntlm.username, ntlm.password) }),
      check: (report, { logins }) => {
        const winner = signedIn(report);
        expect(winner.candidate.route).toMatchObject({ kind: 'proxy', proxy: { type: 'http', host: 'ntlmproxy.lab.test', username: 'LAB\\burrow' } });
        expect(winner.candidate.endpoint).toMatchObject({ port: 443, secure: true });
        expect(logins.ntlm.filter((login) => login.outcome === 'accepted').length, 'NTLM logins the proxy accepted').toBeGreaterThan(0);
        expect(failedLogins(logins.ntlm)).toBe(0);
      },
    },
    {
      name: 'wrong credentials',
      connection: ({ proxies: { ntlm } }) => ({ method: 'proxy', proxy: withCredentials(ntlm.url, ntlm.username, 'not-the-password') }),
      check: (report, { logins }) => {
        const { verdict, obstacle } = notConnected(report);
        expect(obstacle).toBe('proxy-login');
        for (const attempt of planned(report)) expect(attempt.cause?.kind, attempt.path).toBe('proxy-authentication');
        // The verdict names the scheme the proxy asked for, so the help desk knows which login failed.
        expect(verdict).toMatch(/\bNTLM\b/);
        // The proxy's own log: the wrong password was tried, once for the whole race (a domain locks the account after a few).
        expect(failedLogins(logins.ntlm), JSON.stringify(logins.ntlm)).toBe(1);
      },
    },
  ],
  S15N: [
    {
      // What a user who knows only "Use proxy" does: types the realm's user name and password.
      name: 'user name and password typed',
      connection: ({ proxies: { negotiate } }) => ({ method: 'proxy', proxy: withCredentials(negotiate.url, negotiate.username, negotiate.password) }),
      check: (report, { negotiateProxyRequests }) => {
        const { verdict, advice, obstacle } = notConnected(report);
        expect(obstacle).toBe('proxy-login');
        for (const attempt of planned(report)) {
          expect(attempt.cause, attempt.path).toMatchObject({ kind: 'proxy-authentication', proxyLogin: { status: 407, offered: ['negotiate'], credentials: 'configured' } });
          expect(attempt.cause, attempt.path).not.toHaveProperty('proxyLogin.tried');
        }
        // attempt-words' own sentence, whole, in the verdict: the scheme the proxy wants, that Burrow cannot do it, and what to ask IT.
        expect(verdict).toContain('negotiateproxy.lab.test:3128 wants Negotiate (Kerberos) sign-in (407), which Burrow cannot do; ask IT to allow NTLM or Basic sign-in for Burrow');
        expect(advice).toContain('Allow NTLM or Basic sign-in at the proxy for Burrow');
        expect(advice).not.toMatch(/check the proxy user name and password/i);
        // Plain Node has no Kerberos client: no request to the proxy carried credentials, so no login could fail there.
        expect(negotiateProxyRequests.length, 'requests the Negotiate proxy logged').toBeGreaterThan(0);
        expect(negotiateProxyRequests.filter((line) => credentialsSent(line) !== undefined)).toEqual([]);
        expect(negotiateProxyRequests.filter(isFailedLogin)).toEqual([]);
      },
    },
  ],
  S16: [
    {
      name: 'right credentials',
      connection: ({ proxies: { unauthorized } }) => ({ method: 'proxy', proxy: withCredentials(unauthorized.url, unauthorized.username, unauthorized.password) }),
      check: (report, { logins }) => {
        const winner = signedIn(report);
        expect(winner.candidate.route).toMatchObject({ kind: 'proxy', proxy: { type: 'http', host: 'proxy401.lab.test' } });
        expect(winner.candidate.endpoint).toMatchObject({ port: 443, secure: true });
        expect(logins.unauthorized.some((login) => login.outcome === 'accepted' && login.tunnel === 'opened'), 'a tunnel the 401 proxy opened').toBe(true);
      },
    },
    {
      name: 'wrong credentials',
      connection: ({ proxies: { unauthorized } }) => ({ method: 'proxy', proxy: withCredentials(unauthorized.url, unauthorized.username, 'not-the-password') }),
      check: (report, { logins }) => {
        const { verdict, obstacle } = notConnected(report);
        expect(obstacle).toBe('proxy-login');
        // A proxy login failure, said as such (LAB.md: "the proxy's login failed"), naming the proxy and its 401.
        expect(verdict).toMatch(/proxy authentication failed at proxy401\.lab\.test:3128 \(401\): the proxy's login failed/);
        for (const attempt of planned(report)) expect(attempt.cause?.kind, attempt.path).toBe('proxy-authentication');
        // Answered 401 at once, one try per path at most (and one for host-meta): no retry storm.
        const failed = failedLogins(logins.unauthorized);
        expect(failed).toBeGreaterThan(0);
        expect(failed, JSON.stringify(logins.unauthorized)).toBeLessThanOrEqual(tried(report).length + 1);
      },
    },
  ],
  S17: [
    {
      name: 'default settings',
      connection: () => ({}),
      check: expectRefusedWithItsFingerprint,
    },
    {
      name: 'trusted on explicit confirmation',
      connection: (lab) => ({ trustCertificate: lab.serverCertificate.fingerprint256 }),
      check: (report) => {
        expect(signedIn(report).candidate.endpoint.secure).toBe(true);
      },
    },
    {
      // Each connection is a fresh diagnose run: removing the trust is connecting without it again.
      name: 'trust removed',
      connection: () => ({}),
      check: expectRefusedWithItsFingerprint,
    },
  ],
};


/**
 * What S9 promises whichever path wins: through SOCKS5 with the credentials, encrypted. Direct TLS
 * and STARTTLS usually win; the paths wait for the first tunnel's login (one try of the credentials
 * per race), and then any of them may answer first.
 */
function expectEncryptedThroughSocks(winner: AttemptRecord): void {
  expect(winner.candidate.route).toMatchObject({ kind: 'proxy', proxy: { type: 'socks5', host: 'socks.lab.test', username: 'burrowlab' } });
  expect(winner.candidate.endpoint).toMatchObject({ host: 'chat.lab.test', secure: true });
}

function expectRefusedForTheCertificate(report: DiagnoseReport): void {
  expectCertificateRefused(report, (cause) => {
    expect(attemptCauseWords(cause)).toMatch(/^the certificate of chat\.lab\.test is for .+ \(issued by .+, SHA-256 fingerprint [0-9A-F:]+\)$/);
    expect(cause.certificate?.names).not.toContain('chat.lab.test');
    expect(cause.certificate?.fingerprint256).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
  });
}

/** S17: refused, and the cause gives the very certificate's SHA-256 fingerprint, for the user to compare before trusting it. */
function expectRefusedWithItsFingerprint(report: DiagnoseReport, { lab }: Evidence): void {
  const { fingerprint256 } = lab.serverCertificate;
  expectCertificateRefused(report, (cause) => {
    expect(cause.certificate?.fingerprint256).toBe(fingerprint256);
    expect(attemptCauseWords(cause)).toContain(fingerprint256);
  });
}

type CertificateCause = Extract<NonNullable<AttemptRecord['cause']>, { kind: 'certificate' }>;

/** Not connected because of the certificate, each certificate failure as `check` wants it, and no weaker path tried instead. */
function expectCertificateRefused(report: DiagnoseReport, check: (cause: CertificateCause) => void): void {
  const { verdict, obstacle } = notConnected(report);
  expect(obstacle).toBe('certificate');
  expect(verdict).toMatch(/^Burrow cannot connect to chat\.lab\.test: the certificate of chat\.lab\.test /);
  const certificateFailures = report.attempts.filter((attempt) => attempt.cause?.kind === 'certificate');
  expect(certificateFailures.length).toBeGreaterThan(0);
  for (const { cause } of certificateFailures) if (cause?.kind === 'certificate') check(cause);
  // An unencrypted path may at most have had its TCP connection opened; it never speaks XMPP.
  const weaker = report.attempts.filter(
    (attempt) => !attempt.candidate.endpoint.secure && (attempt.negotiatingAtMs !== undefined || !['not-started', 'skipped'].includes(attempt.outcome)),
  );
  expect(weaker.map((attempt) => `${attempt.path}: ${attempt.outcome}`), 'unencrypted paths tried').toEqual([]);
}

function withCredentials(proxyUrl: string, username: string, password: string): string {
  const url = new URL(proxyUrl);
  url.username = encodeURIComponent(username);
  url.password = encodeURIComponent(password);
  return url.toString().replace(/\/$/, '');
}

/**
 * The scenarios where the server, not the network, decides what works: run on ejabberd too, whose
 * web paths (/bosh, /ws) only its host-meta tells.
 */
const serverScenarios: readonly Exclude<ScenarioId, 'S12'>[] = ['S1', 'S2', 'S3', 'S14'];

for (const server of serverKinds) {
  const ids = server === 'prosody' ? (Object.keys(scenarioCases) as Exclude<ScenarioId, 'S12'>[]) : serverScenarios;
  describeWithLab(`the connection manager in the lab on ${server}`, { server }, (lab) => {
    const matrix = new LabMatrix();
    afterAll(() => matrix.write(labMatrixFile));

    for (const id of ids) {
      const scenario = findScenario(id);
      const cases = scenarioCases[id];
      it(`${id} (${scenario.network}): ${scenario.expected}`, async () => {
        await lab().applyScenario(id);
        await matrix.record(
          scenario,
          cases.map(({ name, connection, check }) => {
            let logged = 0;
            let negotiateLogged = 0;
            const loginsBefore = { ntlm: 0, unauthorized: 0 };
            return {
              ...(name ? { name } : {}),
              run: () => {
                logged = proxyLog(lab()).length;
                negotiateLogged = proxyLog(lab(), 0, 'negotiate').length;
                for (const proxy of loggingProxies) loginsBefore[proxy] = lab().proxyLogins(proxy).length;
                return connectFromCorp(lab(), connection(lab()));
              },
              check: (report: DiagnoseReport) => {
                const logins = Object.fromEntries(loggingProxies.map((proxy) => [proxy, lab().proxyLogins(proxy).slice(loginsBefore[proxy])])) as Evidence['logins'];
                const negotiateProxyRequests = proxyLog(lab(), negotiateLogged, 'negotiate');
                return check(report, { lab: lab(), proxyRequests: proxyLog(lab(), logged), negotiateProxyRequests, logins });
              },
            };
          }),
          server === 'prosody' ? id : `${id}-${server}`,
        );
      });
    }
  });
}
