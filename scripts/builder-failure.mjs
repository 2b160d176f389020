// What electron-builder's failure means, in one line, when it is one a user can mend: a download
// it could not make (no network, a firewall). Everything else is left as electron-builder said it.

const networkError = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)\b/;

/**
 * Whether electron-builder's line is its error ("  ⨯ …"), after which comes the stack.
 * @param {string} line
 */
export const isBuilderErrorLine = (line) => line.trimStart().startsWith('⨯');

/** "  • packaging       platform=linux arch=x64 electron=40.10.2 …" → the fields. */
function fieldsOf(line) {
  return Object.fromEntries([...line.matchAll(/(\w+)=(\S+)/g)].map(([, key, value]) => [key, value]));
}

/**
 * Reads electron-builder's output (its log lines and its error, with the stack) and, when it
 * failed on a download, says what to do. Returns undefined for any other failure.
 * @param {string} output
 * @returns {string | undefined}
 */
export function explainBuilderFailure(output) {
  const lines = output.split('\n');
  const failure = lines.find(isBuilderErrorLine);
  const cause = failure && networkError.exec(failure) ? /error=(.+)$|⨯ (.+?)\s+failedTask=/.exec(failure) : null;
  if (!cause) return undefined;
  const reason = (cause[1] ?? cause[2] ?? '').trim();
  const packaging = fieldsOf(lines.find((line) => /• packaging\s/.test(line)) ?? '');
  const target = fieldsOf(lines.findLast((line) => /• building\s/.test(line)) ?? '').target;
  if (target) {
    return `npm run dist: electron-builder could not download its tools for ${target} (${reason}): build the unpacked app with npm run dist:dir, or seed electron-builder's cache (see README, "Building installers").`;
  }
  const zip = `electron-v${packaging.electron ?? 'VERSION'}-${packaging.platform ?? 'PLATFORM'}-${packaging.arch ?? 'ARCH'}.zip`;
  return `npm run dist: Electron's binary (${zip}) is not in the cache and cannot be downloaded (${reason}): get that zip elsewhere and pass -- -c.electronDist=/path/to/${zip} (see README, "Building installers").`;
}
