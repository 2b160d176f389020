/** `npm run policy:check -- FILE…`: validates administrator policy files; exit 0 when all are valid, 1 otherwise. */
import { lockedKeys } from './locks.js';
import { PolicyError, readPolicyFile } from './policy.js';

const files = process.argv.slice(2);
if (files.length === 0 || files.includes('--help')) {
  console.log('Usage: npm run policy:check -- FILE [FILE…]\nChecks Burrow administrator policy files and names every invalid field.');
  process.exit(files.length === 0 ? 2 : 0);
}

let allValid = true;
for (const file of files) {
  try {
    const policy = await readPolicyFile(file);
    if (!policy) throw new PolicyError(file, [{ path: '', message: 'does not exist' }]);
    const locked = lockedKeys(policy);
    console.log(
      `${file}: valid — ${policy.communities.length} ${policy.communities.length === 1 ? 'community' : 'communities'}, ` +
        `locked: ${locked.length > 0 ? locked.join(', ') : 'nothing'}`,
    );
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    allValid = false;
    console.error(error.message);
  }
}
process.exit(allValid ? 0 : 1);
