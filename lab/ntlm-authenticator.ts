/**
 * Squid's NTLM helper for the lab's NTLM-only proxy (S15): the lab's stand-in for a domain
 * controller. Squid starts it as user `proxy`:
 *   node ntlm-authenticator.js <config.json>
 * and speaks its stateful helper protocol on stdin/stdout (see NtlmHelperSession). Every login it
 * accepts or refuses is appended to the configured log, one JSON line each (ProxyLoginRecord).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { NtlmHelperSession, type NtlmAccount, type NtlmServerNames } from './ntlm.js';
import type { ProxyLoginRecord } from './proxy-logins.js';

export interface NtlmAuthenticatorConfig {
  account: NtlmAccount;
  names: NtlmServerNames;
  logFile: string;
}

const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as NtlmAuthenticatorConfig;
const session = new NtlmHelperSession(config.account, config.names);

createInterface({ input: process.stdin, crlfDelay: Infinity }).on('line', (line) => {
  let reply: string;
  try {
    const answer = session.answer(line);
    reply = answer.reply;
    if (answer.login) {
      const { login } = answer;
      const record: ProxyLoginRecord = {
        at: new Date().toISOString(),
        outcome: login.accepted ? 'accepted' : 'refused',
        user: login.user,
        ...(login.accepted ? {} : { reason: login.reason }),
      };
      appendFileSync(config.logFile, `${JSON.stringify(record)}\n`);
    }
  } catch (error) {
    reply = `BH ${(error as Error).message.replace(/\s+/g, ' ')}`;
  }
  process.stdout.write(`${reply}\n`);
});
