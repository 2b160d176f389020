/**
 * `npm run policy:mobileconfig -- --out DIR [--policy FILE]`: writes DIR/Burrow.mobileconfig, a
 * configuration profile carrying the policy FILE (checked first), or a template of every key.
 */
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parsePolicy, PolicyError, readPolicyFile } from './policy.js';
import { configurationProfile, templatePolicy } from './policy-sources/mobileconfig.js';
import type { PolicyDocument } from './policy-sources/mobileconfig.js';
import { templateArguments } from './policy-sources/template-cli.js';

const { out, policy } = templateArguments(
  'Usage: npm run policy:mobileconfig -- --out DIR [--policy FILE]\n' +
    'Writes DIR/Burrow.mobileconfig, a macOS configuration profile setting the Burrow policy FILE as managed preferences;\n' +
    'without --policy, a template with every key of the policy, to fill in before it is deployed.',
  ['policy'],
);

const profileFile = path.join(out, 'Burrow.mobileconfig');
let profile: string;
if (policy === undefined) {
  profile = configurationProfile(templatePolicy(), { displayName: 'Burrow administrator policy (template: fill in before deploying)' });
} else {
  try {
    const source = await readPolicyFile(policy);
    if (!source) throw new PolicyError(policy, [{ path: '', message: 'does not exist' }]);
    parsePolicy(source);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  // The file as written, less what only a JSON file uses: its paths stay as the administrator gave them.
  const { $schema: _schema, ...document } = JSON.parse(await readFile(policy, 'utf8')) as PolicyDocument;
  profile = configurationProfile(document);
}
await mkdir(out, { recursive: true });
await writeFile(profileFile, profile);
console.log(`Wrote ${profileFile}${policy === undefined ? ' (a template: replace its values before deploying it)' : ''}`);
