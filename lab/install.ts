import { execFileSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { installScript } from './paths.js';

/** Every program the lab runs; each comes from one of install-packages.sh's packages. */
const requiredPrograms = ['prosody', 'prosodyctl', 'ejabberdctl', 'erl', 'squid', 'danted', 'iptables-restore', 'ip', 'ss', 'openssl', 'useradd', 'chpasswd', 'runuser', 'curl', 'krb5kdc', 'kdb5_util', 'kadmin.local', 'kinit'];
const requiredFiles = ['/usr/lib/squid/basic_ncsa_auth', '/usr/lib/squid/negotiate_kerberos_auth'];
/** Erlang applications ejabberd loads from Debian's code path (versioned folders): its SQLite driver (erlang-p1-sqlite3). */
const erlangLibDir = '/usr/lib/erlang/lib';
const requiredErlangApps = ['p1_sqlite3'];

const erlangApps = (): string[] => {
  try {
    return readdirSync(erlangLibDir);
  } catch {
    return [];
  }
};

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const searchPath = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'];

export function missingPrograms(): string[] {
  const programs = requiredPrograms.filter((name) => !searchPath.some((dir) => isExecutable(join(dir, name))));
  const apps = erlangApps();
  const erlang = requiredErlangApps.filter((app) => !apps.some((folder) => folder.startsWith(`${app}-`))).map((app) => `${erlangLibDir}/${app}-*`);
  return [...programs, ...requiredFiles.filter((file) => !isExecutable(file)), ...erlang];
}

export const isRoot = (): boolean => process.getuid?.() === 0;

/** Why the lab cannot run on this machine, or undefined when it can. */
export function labUnavailableReason(): string | undefined {
  if (!isRoot()) return 'the lab needs root (network namespaces, iptables)';
  if (process.platform !== 'linux') return 'the lab needs Linux';
  const missing = missingPrograms();
  if (missing.length > 0 && !process.env.CI) return `lab programs missing: ${missing.join(', ')} (install: bash lab/install-packages.sh)`;
  return undefined;
}

/** Installs missing lab packages with apt-get when root; otherwise says what is missing. */
export function ensureLabPackages(): void {
  const missing = missingPrograms();
  if (missing.length === 0) return;
  if (!isRoot()) throw new Error(`the lab needs ${missing.join(', ')}; install them as root: bash ${installScript}`);
  process.stderr.write(`lab: ${missing.join(', ')} missing, installing packages\n`);
  execFileSync('bash', [installScript], { stdio: ['ignore', process.stderr, process.stderr], timeout: 15 * 60_000 });
  const stillMissing = missingPrograms();
  if (stillMissing.length > 0) throw new Error(`still missing after installing packages: ${stillMissing.join(', ')}`);
}
