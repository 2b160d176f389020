/**
 * S15's proxy: a second squid whose only login is NTLM, checked by the lab's own stand-in for a
 * domain controller (ntlm-authenticator.js). A second instance because squid's auth_param is
 * global: in the first squid, NTLM would be offered by the Basic proxy too.
 */
import { copyFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { NamespaceProcess } from './namespace-process.js';
import type { NtlmAuthenticatorConfig } from './ntlm-authenticator.js';
import { compiledLabScript } from './paths.js';
import { run } from './run.js';
import { startSingleLoginSquid } from './squid.js';
import { hostNames } from './topology.js';

/** The lab's domain account, as a user types it into "Use proxy". */
export const ntlmCredentials = { username: 'LAB\\burrow', password: 'ntlm-lab-password' } as const;

const account = { domain: 'LAB', user: 'burrow', password: ntlmCredentials.password };
const names = { netbiosDomain: 'LAB', netbiosComputer: 'NTLMPROXY', dnsDomain: 'lab.test', dnsComputer: hostNames.ntlmProxy };

/** Where the helper logs every login it accepts or refuses, relative to the squid's folder. */
export const ntlmLoginLog = 'logins.log';

/**
 * The helper runs as `proxy`, who may not reach the repository (a checkout under a private temp
 * folder in CI) nor this node (under root's home): it gets its own copy, with js-md4, in the lab's
 * run folder, and node too when `proxy` cannot execute this one.
 */
async function installHelper(dir: string): Promise<string[]> {
  const helperDir = join(dir, 'helper');
  mkdirSync(join(helperDir, 'node_modules'), { recursive: true });
  writeFileSync(join(helperDir, 'package.json'), '{ "type": "module" }\n');
  for (const script of ['ntlm-authenticator.js', 'ntlm.js']) copyFileSync(compiledLabScript(script), join(helperDir, script));
  const md4Package = dirname(createRequire(import.meta.url).resolve('js-md4/package.json'));
  cpSync(md4Package, join(helperDir, 'node_modules', 'js-md4'), { recursive: true });
  let node = process.execPath;
  if ((await run('runuser', ['-u', 'proxy', '--', node, '-e', '0'])).code !== 0) {
    node = join(helperDir, 'node');
    copyFileSync(process.execPath, node);
  }
  const helperConfig: NtlmAuthenticatorConfig = { account, names, logFile: join(dir, ntlmLoginLog) };
  writeFileSync(join(helperDir, 'config.json'), JSON.stringify(helperConfig));
  return [node, join(helperDir, 'ntlm-authenticator.js'), join(helperDir, 'config.json')];
}

export async function startNtlmSquid(namespace: string, dir: string, address: string): Promise<NamespaceProcess> {
  mkdirSync(dir, { recursive: true });
  const helper = await installHelper(dir);
  return startSingleLoginSquid(namespace, dir, {
    purpose: 'squid offering only NTLM (S15)',
    service: 'burrowntlm',
    address,
    hostName: hostNames.ntlmProxy,
    // The handshake's three legs ride one connection.
    auth: [`auth_param ntlm program ${helper.join(' ')}`, 'auth_param ntlm children 4 startup=1 idle=1', 'auth_param ntlm keep_alive on'].join('\n'),
  });
}
