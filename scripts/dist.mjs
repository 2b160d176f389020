// `npm run dist [-- --policy FILE] [--update-url URL]` builds Burrow's installers for this platform;
// `npm run dist:dir [-- --policy FILE]` the unpacked app. A policy is validated first and
// shipped in the installer's resources as policy.json (see README, "Settings, passwords and policy").
// --update-url names the https address the releases are published at (electron-builder's generic
// provider); without it the build names none and never checks for updates (docs/admin.md, "Updates").
// Other arguments go to electron-builder unchanged (e.g. -c.electronDist=DIR). A download it
// cannot make (offline) is told in one line (builder-failure.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { explainBuilderFailure, isBuilderErrorLine } from './builder-failure.mjs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stagedPolicyDir = path.join(projectRoot, 'build', 'policy');

/** Takes `--name VALUE` out of the arguments, and leaves the rest for electron-builder. */
function takeOption(argumentList, name, usage) {
  const index = argumentList.indexOf(name);
  if (index === -1) return { rest: argumentList };
  const value = argumentList[index + 1];
  if (!value) {
    console.error(`${name} needs ${usage}`);
    process.exit(2);
  }
  return { value, rest: argumentList.toSpliced(index, 2) };
}

const { value: policyFile, rest: afterPolicy } = takeOption(process.argv.slice(2), '--policy', 'a file: npm run dist -- --policy /path/to/policy.json');
const { value: updateUrl, rest: builderArgs } = takeOption(afterPolicy, '--update-url', 'an address: npm run dist -- --update-url https://updates.example.com/burrow');
// An update is code Burrow runs next: it never comes over plain HTTP.
if (updateUrl && !(URL.canParse(updateUrl) && new URL(updateUrl).protocol === 'https:')) {
  console.error(`--update-url must be an https:// address, not ${updateUrl}`);
  process.exit(2);
}
const publishArgs = updateUrl ? ['-c.publish.provider=generic', `-c.publish.url=${updateUrl}`] : [];

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: projectRoot, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

rmSync(stagedPolicyDir, { recursive: true, force: true });
mkdirSync(stagedPolicyDir, { recursive: true });
if (policyFile) {
  run(process.execPath, [path.join(projectRoot, 'dist/electron/core/settings/policy-check-cli.js'), policyFile]);
  copyFileSync(policyFile, path.join(stagedPolicyDir, 'policy.json'));
}

const electronBuilder = path.join(projectRoot, 'node_modules', 'electron-builder', 'cli.js');
process.exit(await runElectronBuilder(['--publish', 'never', ...publishArgs, ...builderArgs]));

/**
 * Runs electron-builder, its log shown as it goes. From its first error on, what it prints is
 * held back: a download it could not make is then told in one line instead of a stack trace.
 */
async function runElectronBuilder(builderArguments) {
  const child = spawn(process.execPath, [electronBuilder, ...builderArguments], { cwd: projectRoot, stdio: ['inherit', 'pipe', 'pipe'] });
  let output = '';
  let heldBack = '';
  const read = (stream, out) =>
    createInterface({ input: stream }).on('line', (line) => {
      output += `${line}\n`;
      if (heldBack === '' && !isBuilderErrorLine(line)) out.write(`${line}\n`);
      else heldBack += `${line}\n`;
    });
  read(child.stdout, process.stdout);
  read(child.stderr, process.stderr);
  const status = await new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  const explained = status === 0 ? undefined : explainBuilderFailure(output);
  if (explained) console.error(explained);
  else process.stderr.write(heldBack);
  return status;
}
