import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { onceHints } from './once.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'burrow-hints-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

describe('a hint told once', () => {
  it('is told the first time only, also after a restart', async () => {
    const hints = onceHints(dataDir);
    expect(hints.firstTime('closed-to-tray')).toBe(true);
    expect(hints.firstTime('closed-to-tray')).toBe(false);
    const file = path.join(dataDir, 'hints-told.json');
    await expect.poll(() => readFile(file, 'utf8').catch(() => '')).toContain('closed-to-tray');
    expect(onceHints(dataDir).firstTime('closed-to-tray')).toBe(false);
  });
});
