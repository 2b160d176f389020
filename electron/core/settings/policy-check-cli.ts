/** `npm run policy:check -- FILE…`: validates administrator policy files (versions 1 and 2); exit 0 when all are valid, 1 otherwise. */
import { lockedKeys } from './locks.js';
import { parsePolicy, PolicyError, readPolicyFile, type AdministratorPolicy } from './policy.js';

const files = process.argv.slice(2);
if (files.length === 0 || files.includes('--help')) {
  console.log('Usage: npm run policy:check -- FILE [FILE…]\nChecks Burrow administrator policy files and names every invalid field.');
  process.exit(files.length === 0 ? 2 : 0);
}

function summary(policy: AdministratorPolicy, version: unknown): string {
  const count = policy.communities.length;
  const locked = [...lockedKeys(policy), ...Object.keys(policy.desktopLocked).map((key) => `desktop.${key}`)];
  const lockedCommunities = Object.entries(policy.communityLocks).map(([id, lock]) => `${id} (${[...lock.fields, ...Object.keys(lock.connection)].join(', ')})`);
  return [
    `valid policy version ${typeof version === 'number' ? version : 1}`,
    `${count} ${count === 1 ? 'community' : 'communities'}`,
    `locked: ${locked.length > 0 ? locked.join(', ') : 'nothing'}`,
    ...(lockedCommunities.length > 0 ? [`locked communities: ${lockedCommunities.join(', ')}`] : []),
  ].join(' — ');
}

let allValid = true;
for (const file of files) {
  try {
    const source = await readPolicyFile(file);
    if (!source) throw new PolicyError(file, [{ path: '', message: 'does not exist' }]);
    console.log(`${file}: ${summary(parsePolicy(source), (source.policy as { version?: unknown }).version)}`);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    allValid = false;
    console.error(error.message);
  }
}
process.exit(allValid ? 0 : 1);
