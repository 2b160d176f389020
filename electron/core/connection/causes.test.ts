import net from 'node:net';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import type { PeerCertificate } from 'node:tls';

import { describe, expect, it } from 'vitest';

import { attemptCauseWords } from '../../contract/attempt-words.js';
import { describeFailure } from './causes.js';
import type { FailureContext } from './causes.js';
import { BoshProtocolError, BoshTerminatedError, HttpStatusError, MalformedXmlError, NoAnswerError, ProxyError, TooLargeError } from './errors.js';
import type { ProxyLoginFacts } from './errors.js';

const chat = { host: 'chat.lab.test', port: 5222 };
const FINGERPRINT = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';

function certificate(overrides: Partial<PeerCertificate> = {}): PeerCertificate {
  return {
    subject: { CN: 'wrong.lab.test' },
    issuer: { CN: 'Burrow Lab CA', O: 'Burrow Lab' },
    subjectaltname: 'DNS:wrong.lab.test',
    fingerprint256: FINGERPRINT,
    valid_from: 'Jan  1 00:00:00 2025 GMT',
    valid_to: 'Jan  1 00:00:00 2125 GMT',
    ...overrides,
  } as PeerCertificate;
}

function withCode(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

async function refusedConnectionError(): Promise<Error> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return new Promise((resolve) => net.connect(port, '127.0.0.1').on('error', resolve));
}

/** The cause as a help desk reads it: its kind, its words, and the facts a UI shows beside them. */
function inWords(error: unknown, context: FailureContext) {
  const cause = describeFailure(error, context);
  const shown =
    cause.kind === 'certificate' && cause.certificate
      ? { certificate: cause.certificate }
      : cause.kind === 'proxy-authentication' && cause.proxyLogin
        ? { proxyLogin: cause.proxyLogin }
        : {};
  return { kind: cause.kind, text: attemptCauseWords(cause), ...shown };
}

describe('describeFailure', () => {
  describe('proxies', () => {
    it('names the proxy and the port it would not tunnel to', () => {
      const error = new ProxyError('refused-tunnel', 'proxy.lab.test:3128', 'chat.lab.test:5222', 'Forbidden', 403);
      expect(inWords(error, { ...chat, proxy: 'proxy.lab.test:3128' })).toEqual({
        kind: 'proxy-refused',
        text: 'proxy.lab.test:3128 refused CONNECT to port 5222 (403)',
      });
    });

    it('says the proxy credentials are wrong on 407', () => {
      const error = new ProxyError('authentication', 'proxy.lab.test:3128', 'chat.lab.test:443', 'Proxy Authentication Required', 407);
      expect(inWords(error, chat).text).toBe(
        'proxy authentication failed at proxy.lab.test:3128 (407); check the proxy user name and password',
      );
    });

    describe('an HTTP proxy’s login, by what it offered and what Burrow tried', () => {
      const refusal = (login: ProxyLoginFacts) =>
        inWords(new ProxyError('authentication', 'proxy.corp:3128', 'chat.lab.test:443', 'Proxy Authentication Required', login.status, login), chat);
      it.each<[string, ProxyLoginFacts, string]>([
        [
          'NTLM refused: the Windows account',
          { status: 407, offered: ['negotiate', 'ntlm'], tried: 'ntlm', credentials: 'configured' },
          "proxy authentication failed at proxy.corp:3128 (407): the proxy's login failed (NTLM); check the Windows user name (DOMAIN\\user) and password",
        ],
        [
          'Digest refused: the proxy user name and password',
          { status: 407, offered: ['digest', 'basic'], tried: 'digest', credentials: 'configured' },
          "proxy authentication failed at proxy.corp:3128 (407): the proxy's login failed (Digest); check the proxy user name and password",
        ],
        [
          'Negotiate only: what Burrow cannot do, and who can change it',
          { status: 407, offered: ['negotiate'], credentials: 'configured' },
          'proxy.corp:3128 wants Negotiate (Kerberos) sign-in (407), which Burrow cannot do; ask IT to allow NTLM or Basic sign-in for Burrow',
        ],
        [
          'a 401 with no credentials set: a login is asked for',
          { status: 401, offered: ['basic'], credentials: 'not-configured' },
          'proxy.corp:3128 asks for a login (401, Basic); enter the proxy user name and password',
        ],
        [
          'a probe: the login was kept back on purpose',
          { status: 407, offered: ['basic'], credentials: 'withheld' },
          'proxy.corp:3128 asks for a login (407); Burrow sends the proxy login only along the paths it may use',
        ],
        [
          'a scheme Burrow does not know',
          { status: 407, offered: ['bearer'], credentials: 'configured' },
          'proxy.corp:3128 asks for a login Burrow cannot do (407, bearer)',
        ],
      ])('%s', (_, login, text) => {
        expect(refusal(login)).toEqual({ kind: 'proxy-authentication', text, proxyLogin: login });
      });
    });

    it('reports a SOCKS refusal with what the proxy said', () => {
      const error = new ProxyError('protocol', 'socks.lab.test:1080', 'chat.lab.test:5222', 'connection not allowed by ruleset');
      expect(inWords(error, chat).text).toBe(
        'socks.lab.test:1080 failed to connect to chat.lab.test:5222: connection not allowed by ruleset',
      );
    });

    it('blames the proxy when it answers 502 for the server', () => {
      const error = new HttpStatusError('http://chat.lab.test/http-bind', 502, 'Bad Gateway');
      expect(inWords(error, { ...chat, port: 80, proxy: 'proxy.lab.test:3128' }).text).toBe(
        'http://chat.lab.test/http-bind answered HTTP 502 Bad Gateway; the proxy proxy.lab.test:3128 could not reach the server',
      );
    });
  });

  describe('the network', () => {
    it('says how long the race waited before moving on', () => {
      expect(inWords(new NoAnswerError('chat.lab.test:5222', 250), { ...chat, nextPathTried: true })).toEqual({
        kind: 'no-answer',
        text: 'no answer from chat.lab.test:5222 within 250 ms; tried the next path',
      });
    });

    it('says the connection was refused, from a real refused connection', async () => {
      const error = await refusedConnectionError();
      expect(inWords(error, chat)).toEqual({ kind: 'refused', text: 'connection to chat.lab.test:5222 was refused' });
    });

    it.each([
      ['ETIMEDOUT', 'no-answer', 'no answer from chat.lab.test:5222 (the connection timed out)'],
      ['EHOSTUNREACH', 'unreachable', 'chat.lab.test:5222 cannot be reached from this network (no route)'],
      ['ENETUNREACH', 'unreachable', 'chat.lab.test:5222 cannot be reached from this network (no route)'],
      ['ENOTFOUND', 'name-not-found', 'the name chat.lab.test was not found in DNS'],
      ['EAI_AGAIN', 'name-not-found', 'looking up chat.lab.test in DNS failed for now (no DNS server answered)'],
      [
        'ECONNRESET',
        'reset',
        'the connection to chat.lab.test:5222 was cut (reset) before XMPP started; a firewall or proxy may be interfering',
      ],
      ['ABORT_ERR', 'cancelled', 'the attempt on chat.lab.test:5222 was cancelled'],
    ])('maps %s', (code, kind, text) => {
      expect(inWords(withCode(code), chat)).toEqual({ kind, text });
    });

    it('brackets IPv6 targets', () => {
      expect(inWords(withCode('ECONNREFUSED'), { host: '2001:db8::1', port: 5222 }).text).toBe(
        'connection to [2001:db8::1]:5222 was refused',
      );
    });
  });

  describe('TLS and certificates', () => {
    it('shows the names, issuer, dates and fingerprint of a certificate for another host', () => {
      const error = tls.checkServerIdentity('chat.lab.test', certificate());
      expect(inWords(error, { ...chat, port: 5223 })).toEqual({
        kind: 'certificate',
        text: `the certificate of chat.lab.test is for wrong.lab.test (issued by CN=Burrow Lab CA, O=Burrow Lab, SHA-256 fingerprint ${FINGERPRINT})`,
        certificate: {
          expectedName: 'chat.lab.test',
          subject: 'CN=wrong.lab.test',
          issuer: 'CN=Burrow Lab CA, O=Burrow Lab',
          names: ['wrong.lab.test'],
          notBefore: '2025-01-01T00:00:00.000Z',
          notAfter: '2125-01-01T00:00:00.000Z',
          fingerprint256: FINGERPRINT,
          problems: ['name-mismatch'],
        },
      });
    });

    it('names the XMPP domain, not the SRV target, as the name the certificate must carry', () => {
      const error = tls.checkServerIdentity('lab.test', certificate());
      expect(inWords(error, { host: 'xmpp1.hosting.test', port: 5223, serverName: 'lab.test' }).text).toMatch(
        /^the certificate of lab\.test is for wrong\.lab\.test /,
      );
    });

    it('falls back to the subject name when the certificate has no alternative names', () => {
      const peerCertificate = certificate({ subjectaltname: undefined, subject: { CN: 'old.lab.test' } } as Partial<PeerCertificate>);
      const error = withCode('ERR_TLS_CERT_ALTNAME_INVALID');
      expect(inWords(error, { ...chat, peerCertificate }).text).toMatch(/is for old\.lab\.test \(issued by/);
    });

    it('says a self-signed certificate is not trusted, with the details the transport captured', () => {
      const peerCertificate = certificate({ subjectaltname: 'DNS:chat.lab.test' });
      const cause = inWords(withCode('DEPTH_ZERO_SELF_SIGNED_CERT'), { ...chat, peerCertificate });
      expect(cause.text).toBe(`the certificate of chat.lab.test is self-signed and not trusted (issued by CN=Burrow Lab CA, O=Burrow Lab, SHA-256 fingerprint ${FINGERPRINT})`);
      expect(cause.certificate?.problems).toEqual(['self-signed']);
    });

    it('says an unknown issuer is not trusted, even without certificate details', () => {
      expect(inWords(withCode('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), chat)).toEqual({
        kind: 'certificate',
        text: 'the certificate of chat.lab.test failed verification (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
      });
    });

    it('gives the expiry date of an expired certificate, and every other problem it has', () => {
      const peerCertificate = certificate({ valid_to: 'Jan  1 00:00:00 2026 GMT' });
      const cause = inWords(withCode('CERT_HAS_EXPIRED'), { ...chat, peerCertificate });
      expect(cause.text).toMatch(/^the certificate of chat\.lab\.test is for wrong\.lab\.test and expired on 2026-01-01 00:00 UTC \(issued by/);
      expect(cause.certificate?.problems).toEqual(['name-mismatch', 'expired']);
    });

    it('says something other than TLS answered when the handshake fails', () => {
      const error = withCode('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number');
      expect(inWords(error, { ...chat, port: 5223 })).toEqual({
        kind: 'tls',
        text: 'chat.lab.test:5223 did not answer with TLS; something other than a TLS server is there',
      });
    });

    it('says the server does not serve the domain when it rejects the name in the handshake', () => {
      const error = withCode('ERR_SSL_TLSV1_UNRECOGNIZED_NAME', 'SSL alert number 112');
      expect(inWords(error, { ...chat, port: 5223 }).text).toBe(
        'chat.lab.test:5223 does not serve the name chat.lab.test over TLS (unrecognized name)',
      );
    });

    it('gives OpenSSL\'s short reason for other handshake failures', () => {
      const error = Object.assign(withCode('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', '80:error:0A000410:SSL routines…'), {
        reason: 'sslv3 alert handshake failure',
      });
      expect(inWords(error, { ...chat, port: 443 }).text).toBe(
        'the TLS handshake with chat.lab.test:443 failed (sslv3 alert handshake failure)',
      );
    });
  });

  describe('HTTP tunnels and XMPP', () => {
    it('says which endpoint answered which HTTP status', () => {
      const error = new HttpStatusError('https://chat.lab.test/http-bind', 404, 'Not Found');
      expect(inWords(error, { ...chat, port: 443 })).toEqual({
        kind: 'http-status',
        text: 'https://chat.lab.test/http-bind answered HTTP 404 Not Found; no BOSH service at that address',
      });
    });

    it('suspects a transparent proxy when the WebSocket upgrade is refused', () => {
      const error = new Error('Unexpected server response: 400');
      expect(inWords(error, { ...chat, port: 80 })).toEqual({
        kind: 'websocket-refused',
        text: 'chat.lab.test:80 refused the WebSocket upgrade (HTTP 400); a transparent proxy may be in the way',
      });
    });

    it('says the server has no WebSocket service at a path that answers 404, blaming no proxy', () => {
      const error = new Error('Unexpected server response: 404');
      expect(inWords(error, { ...chat, port: 443, url: 'wss://chat.lab.test:443/xmpp-websocket' })).toEqual({
        kind: 'websocket-refused',
        text: 'wss://chat.lab.test:443/xmpp-websocket answered HTTP 404 to the WebSocket upgrade; no WebSocket service at that address',
      });
    });

    it('recognises a page that is not BOSH', () => {
      const error = new BoshProtocolError('http://chat.lab.test/http-bind', "expected <body xmlns='…'>, got <html>");
      expect(inWords(error, { ...chat, port: 80 })).toMatchObject({ kind: 'not-xmpp' });
      expect(inWords(error, { ...chat, port: 80 }).text).toContain('captive portal');
    });

    it.each([
      ['host-unknown', 'the server does not serve the domain chat.lab.test (host-unknown)'],
      ['remote-connection-failed', 'the BOSH service could not reach the XMPP server behind it (remote-connection-failed)'],
      ['see-other-uri', 'https://chat.lab.test/http-bind ended the BOSH session (see-other-uri)'],
    ])('explains the BOSH termination condition %s', (condition, text) => {
      const error = new BoshTerminatedError('https://chat.lab.test/http-bind', condition);
      expect(inWords(error, { ...chat, port: 443 })).toEqual({ kind: 'server-ended', text });
    });

    it('explains an XMPP stream error', () => {
      const error = Object.assign(new Error('host-unknown'), { name: 'StreamError', condition: 'host-unknown' });
      expect(inWords(error, chat).text).toBe('the server does not serve the domain chat.lab.test (host-unknown)');
    });

    it.each([
      [new TooLargeError('stanza', 256 * 1024), 'chat.lab.test:5222 sent a stanza over 256 KiB, more than Burrow accepts; Burrow closed the stream'],
      [new TooLargeError('bosh-answer', 4 * 1024 * 1024), 'chat.lab.test:5222 sent an answer of its BOSH service over 4 MiB, more than Burrow accepts; Burrow closed the stream'],
    ])('says what the server sent over Burrow\'s limits: %s', (error, text) => {
      expect(inWords(error, chat)).toEqual({ kind: 'too-large', text });
    });

    it('says what was wrong with XML the server sent that is not well-formed', () => {
      expect(inWords(new MalformedXmlError('an end tag closes no element'), chat)).toEqual({
        kind: 'malformed-xml',
        text: 'chat.lab.test:5222 sent XML that is not well-formed (an end tag closes no element); Burrow closed the stream',
      });
    });

    it('still names the target for anything unforeseen', () => {
      expect(inWords(new Error('something odd'), chat)).toEqual({
        kind: 'other',
        text: 'chat.lab.test:5222 failed: something odd',
      });
    });

    it('says a step of the XMPP stream timed out, where xmpp.js says nothing', () => {
      const timeout = Object.assign(new Error(), { name: 'TimeoutError' });
      expect(inWords(timeout, chat)).toEqual({ kind: 'no-answer', text: 'no answer from chat.lab.test:5222 in time: a step of the XMPP stream timed out' });
    });

    it('never leaves a cause empty, even for an error that says nothing', () => {
      expect(inWords(new TypeError(), chat).text).toBe('chat.lab.test:5222 failed: TypeError, with no message');
    });
  });
});
