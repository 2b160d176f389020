/**
 * Parses what `reg.exe export` writes (a .reg file, "Windows Registry Editor Version 5.00") into a
 * tree of keys. Burrow reads the registry this way rather than parsing `reg query` output, whose
 * text is in the console's code page (non-ASCII names come out mangled) and whose "(Default)" is
 * translated; an export is UTF-16 and the same in every language.
 */
import type { RawRegistryType, RegistryKey, RegistryValue } from './registry.js';

const header = 'Windows Registry Editor Version 5.00';

/**
 * The first key of the export, with its subkeys (those a hand-written .reg file skips included,
 * as `reg import` would create them); throws an Error naming the line when the text is not a .reg file.
 */
export function parseRegExport(text: string): RegistryKey | undefined {
  const lines = logicalLines(text.replace(/^\uFEFF/, ''));
  const first = lines.find(({ text: line }) => line !== '');
  if (first?.text !== header) throw new Error(`is not a registry export: it does not start with "${header}"`);
  let root: RegistryKey | undefined;
  let current: RegistryKey | undefined;
  for (const { text: line, number } of lines.slice(lines.indexOf(first) + 1)) {
    if (line === '') continue;
    if (line.startsWith('[') && line.endsWith(']')) {
      const keyPath = line.slice(1, -1);
      root ??= { path: keyPath, values: [], subkeys: [] };
      current = subkeyAt(root, keyPath);
      if (!current) throw new Error(`line ${number}: [${keyPath}] is not under [${root.path}]`);
    } else if (current) {
      current.values.push(parseValueLine(line, number));
    } else {
      throw new Error(`line ${number}: a value before any [key]`);
    }
  }
  return root;
}

/** The key at `keyPath` under `root`, created with the keys between them when missing; undefined when it is not under root. */
function subkeyAt(root: RegistryKey, keyPath: string): RegistryKey | undefined {
  if (keyPath.toLowerCase() === root.path.toLowerCase()) return root;
  if (!keyPath.toLowerCase().startsWith(`${root.path.toLowerCase()}\\`)) return undefined;
  let key = root;
  for (const name of keyPath.slice(root.path.length + 1).split('\\')) {
    const subkeyPath = `${key.path}\\${name}`;
    let subkey = key.subkeys.find(({ path }) => path.toLowerCase() === subkeyPath.toLowerCase());
    if (!subkey) {
      subkey = { path: subkeyPath, values: [], subkeys: [] };
      key.subkeys.push(subkey);
    }
    key = subkey;
  }
  return key;
}

interface Line {
  text: string;
  /** 1-based, of the line's first physical line. */
  number: number;
}

/** Joins the physical lines of long hex data, which end in a backslash. */
function logicalLines(text: string): Line[] {
  const lines: Line[] = [];
  let pending: Line | undefined;
  text.split(/\r?\n/).forEach((physical, index) => {
    const line = pending ? { text: pending.text + physical.trim(), number: pending.number } : { text: physical.trimEnd(), number: index + 1 };
    pending = line.text.endsWith('\\') && !line.text.startsWith('[') ? { ...line, text: line.text.slice(0, -1) } : undefined;
    if (!pending) lines.push(line);
  });
  if (pending) lines.push(pending);
  return lines;
}

function parseValueLine(line: string, number: number): RegistryValue {
  const nameMatch = line.startsWith('@=') ? { whole: '@', text: '' } : quotedText(line);
  if (!nameMatch || line[nameMatch.whole.length] !== '=') throw new Error(`line ${number}: not a value: ${line}`);
  const name = nameMatch.text;
  const data = line.slice(nameMatch.whole.length + 1);
  const string = quotedText(data);
  if (string?.whole === data) return { name, type: 'REG_SZ', data: string.text };
  const dword = /^dword:([0-9a-fA-F]{8})$/.exec(data);
  if (dword) return { name, type: 'REG_DWORD', data: Number.parseInt(dword[1] ?? '', 16) };
  const hex = /^hex(?:\(([0-9a-fA-F]+)\))?:((?:[0-9a-fA-F]{2}(?:,[0-9a-fA-F]{2})*)?)$/.exec(data);
  if (hex) return hexValue(name, hex[1] === undefined ? 3 : Number.parseInt(hex[1], 16), hex[2] ?? '');
  throw new Error(`line ${number}: cannot read the data of value "${name}": ${data}`);
}

/** A double-quoted text at the start of `line`, backslash escapes undone. */
function quotedText(line: string): { whole: string; text: string } | undefined {
  const match = /^"((?:[^"\\]|\\.)*)"/.exec(line);
  return match ? { whole: match[0], text: (match[1] ?? '').replace(/\\(.)/g, '$1') } : undefined;
}

function hexValue(name: string, typeCode: number, hexBytes: string): RegistryValue {
  const bytes = Buffer.from(hexBytes.replaceAll(',', ''), 'hex');
  const text = () => bytes.toString('utf16le').replace(/\0+$/, '');
  if (typeCode === 1) return { name, type: 'REG_SZ', data: text() };
  if (typeCode === 2) return { name, type: 'REG_EXPAND_SZ', data: text() };
  if (typeCode === 7) return { name, type: 'REG_MULTI_SZ', data: text() === '' ? [] : text().split('\0') };
  if (typeCode === 4 && bytes.length === 4) return { name, type: 'REG_DWORD', data: bytes.readUInt32LE() };
  return { name, type: rawTypeNames[typeCode] ?? 'REG_UNKNOWN', data: new Uint8Array(bytes) };
}

/** Type codes from winnt.h; the string and DWORD types are decoded above. */
const rawTypeNames: Partial<Record<number, RawRegistryType>> = {
  0: 'REG_NONE',
  3: 'REG_BINARY',
  5: 'REG_DWORD_BIG_ENDIAN',
  6: 'REG_LINK',
  8: 'REG_RESOURCE_LIST',
  9: 'REG_FULL_RESOURCE_DESCRIPTOR',
  10: 'REG_RESOURCE_REQUIREMENTS_LIST',
  11: 'REG_QWORD',
};
