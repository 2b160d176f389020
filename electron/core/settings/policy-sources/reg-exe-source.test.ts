import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { regExeSource } from './reg-exe-source.js';
import type { RunRegExe } from './reg-exe-source.js';
import { refusal } from './testing/refused.js';

const burrowKey = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Burrow';
const policiesListing = '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\r\n\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\r\n';
const accessDenied = new Error('Command failed: reg.exe export\nERROR: Access is denied.');

/** A stand-in for reg.exe: `export` writes the recorded file as reg.exe does (UTF-16 with a byte-order mark), or fails. */
function fakeRegExe(exported: string | Error, listing: string): RunRegExe & { calls: string[][] } {
  const calls: string[][] = [];
  const run = async (args: string[]) => {
    calls.push(args);
    if (args[0] === 'query') return listing;
    if (exported instanceof Error) throw exported;
    const text = await readFile(path.join(import.meta.dirname, 'fixtures', exported), 'utf8');
    await writeFile(args[2] ?? '', `\uFEFF${text}`, 'utf16le');
    return 'The operation completed successfully.';
  };
  return Object.assign(run, { calls });
}

describe('the registry through reg.exe', () => {
  it('exports the key to a file and reads it back', async () => {
    const regExe = fakeRegExe('hklm-burrow.reg', policiesListing);
    const key = await regExeSource(regExe).readTree(burrowKey);
    expect(regExe.calls).toEqual([['export', burrowKey, expect.stringMatching(/policy\.reg$/), '/y']]);
    expect(key?.path).toBe(burrowKey);
    expect(key?.subkeys.map(({ path: subkey }) => subkey)).toEqual([`${burrowKey}\\locked`, `${burrowKey}\\trustedCaFiles`]);
  });

  it('finds no key when the export fails and the parent does not list it', async () => {
    expect(await regExeSource(fakeRegExe(new Error('ERROR: The system was unable to find the specified registry key or value.'), policiesListing)).readTree(burrowKey)).toBeUndefined();
  });

  it('is a PolicyError naming the key when the key exists but cannot be exported', async () => {
    const listing = `${policiesListing}${burrowKey.toUpperCase()}\r\n`;
    const { message } = await refusal(regExeSource(fakeRegExe(accessDenied, listing)).readTree(burrowKey));
    expect(message).toBe(`The administrator policy ${burrowKey} is invalid:\ncannot be read: ${accessDenied.message}`);
  });
});
