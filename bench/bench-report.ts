import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorWords } from '../electron/contract/error-words.js';

/** What one part of the bench measured: its table for stdout, its keys of bench.json, its SVG figures by file name. */
export interface BenchPart {
  table: string;
  report: Record<string, unknown>;
  figures: Record<string, string>;
}

const reportsDir = 'reports';

/** An error's reason on one line, for a report row. */
export function reasonOf(error: unknown): string {
  const message = errorWords(error);
  return message.split('\n')[0] ?? message;
}

/** Writes the parts' keys into reports/bench.json, keeping the keys of parts not run this time, and their figures beside it. */
export function writeBenchReport(parts: BenchPart[]): void {
  mkdirSync(reportsDir, { recursive: true });
  const file = join(reportsDir, 'bench.json');
  let existing: Record<string, unknown> = {};
  try {
    existing = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // No report yet, or an unreadable one: start afresh.
  }
  const merged = Object.assign(existing, ...parts.map((part) => part.report)) as Record<string, unknown>;
  writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
  for (const part of parts) for (const [name, svg] of Object.entries(part.figures)) writeFileSync(join(reportsDir, name), svg);
}
