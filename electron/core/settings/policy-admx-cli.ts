/** `npm run policy:admx -- --out DIR`: writes the Group Policy templates DIR/Burrow.admx and DIR/en-US/Burrow.adml. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { admxTemplates } from './policy-sources/admx.js';
import { templateArguments } from './policy-sources/template-cli.js';

const { out } = templateArguments(
  'Usage: npm run policy:admx -- --out DIR\nWrites the Group Policy templates of the Burrow policy: DIR/Burrow.admx and DIR/en-US/Burrow.adml (copy them into PolicyDefinitions or the central store).',
);
const { admx, adml } = admxTemplates();
const admxFile = path.join(out, 'Burrow.admx');
const admlFile = path.join(out, 'en-US', 'Burrow.adml');
await mkdir(path.dirname(admlFile), { recursive: true });
await writeFile(admxFile, admx);
await writeFile(admlFile, adml);
console.log(`Wrote ${admxFile} and ${admlFile}`);
