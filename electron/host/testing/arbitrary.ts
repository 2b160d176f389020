/**
 * A small seeded generator of what a misbehaving client may send: JSON of every shape, hostile
 * strings, deep nesting, bytes that are not UTF-8, and values one change away from a valid one.
 * The same seed makes the same values, so a failure is replayed by its seed.
 */

/** Strings that have broken parsers, validators and maps before. */
const hostileStrings = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff',
  '\u202e',
  '\ufeff',
  '😀',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'NaN',
  '-1',
  '1e309',
  'null',
  '{"type":"invoke"}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%E0%A4%A',
  'a@b',
  'lab',
  'app:getInfo',
];

const hostileNumbers = [0, -0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 1e308, -1e308, Number.MIN_VALUE];

export class Arbitrary {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: a uniform number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number from 0 to `below` - 1. */
  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  string(): string {
    const pieces = Array.from({ length: 1 + this.int(3) }, () =>
      this.next() < 0.6 ? this.pick(hostileStrings) : String.fromCodePoint(...Array.from({ length: this.int(12) }, () => this.int(0x3000))),
    );
    return pieces.join('');
  }

  number(): number {
    return this.next() < 0.5 ? this.pick(hostileNumbers) : (this.next() - 0.5) * 10 ** this.int(12);
  }

  /** Any JSON value, nested up to `depth`. */
  json(depth = 3): unknown {
    const kinds = depth > 0 ? 6 : 4;
    switch (this.int(kinds)) {
      case 0:
        return null;
      case 1:
        return this.next() < 0.5;
      case 2:
        return this.number();
      case 3:
        return this.string();
      case 4:
        return Array.from({ length: this.int(4) }, () => this.json(depth - 1));
      default:
        return Object.fromEntries(Array.from({ length: this.int(4) }, () => [this.string(), this.json(depth - 1)]));
    }
  }

  /** JSON text nested `depth` deep: arrays, objects, or both in turn. */
  nested(depth: number): string {
    const [open, close] = this.pick([
      ['[', ']'],
      ['{"a":', '}'],
      ['[{"a":', '}]'],
    ] as const);
    return `${open.repeat(depth)}${JSON.stringify(this.json(1))}${close.repeat(depth)}`;
  }

  /** Bytes that are not UTF-8: random ones with at least one byte no UTF-8 text holds. */
  notUtf8(length: number): Buffer {
    const bytes = Buffer.from(Array.from({ length }, () => this.int(256)));
    bytes[this.int(length)] = this.pick([0xc0, 0xc1, 0xf5, 0xfe, 0xff]);
    return bytes;
  }

  /**
   * `value` changed in one place: a key added to an object inside it, a key removed, or a value
   * replaced by one of any type. `undefined` (no payload) becomes some JSON value.
   */
  mutate(value: unknown): unknown {
    if (value === undefined) return this.json();
    const copy = structuredClone(value);
    const path = this.pick(pathsOf(copy));
    const at = (steps: string[]) => steps.reduce<unknown>((node, step) => (node as Record<string, unknown>)[step], copy);
    const target = at(path);
    const change = this.int(3);
    if (change === 0 && isObject(target)) {
      // An own key even when it is "__proto__", as JSON.parse makes it.
      Object.defineProperty(target, this.string(), { value: this.json(), enumerable: true, writable: true, configurable: true });
      return copy;
    }
    if (path.length === 0) return this.json();
    const parent = at(path.slice(0, -1)) as Record<string, unknown>;
    const key = path.at(-1)!;
    if (change === 1 && !Array.isArray(parent)) delete parent[key];
    else parent[key] = this.json();
    return copy;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Every place inside `value` (the empty path is the value itself). */
function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  return [prefix, ...Object.keys(value).flatMap((key) => pathsOf((value as Record<string, unknown>)[key], [...prefix, key]))];
}
