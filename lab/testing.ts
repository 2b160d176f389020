/** Helpers for tests that need the lab (the lab's own checks and core's integration tests). */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { labUnavailableReason } from './install.js';
import { startLab, type Lab, type StartLabOptions } from './lab.js';
import { listLabNamespaces } from './netns.js';
import { compiledLabScript } from './paths.js';
import type { ProbeResult, ProbeSpec } from './probes.js';

/**
 * A describe block for tests that need the lab. Where the lab cannot run it is skipped with the
 * reason printed — except in CI, where it fails with that reason.
 */
export function describeLabTests(name: string, body: () => void): void {
  const reason = labUnavailableReason();
  if (reason && !process.env.CI) {
    console.warn(`skipping "${name}": ${reason}`);
    describe.skip(name, body);
    return;
  }
  describe(name, () => {
    beforeAll(() => {
      if (reason) throw new Error(`the lab is required in CI but cannot run: ${reason}`);
    });
    body();
  });
}

/** describeLabTests with one lab started for all its tests, stopped (and checked gone) after. */
export function describeWithLab(name: string, options: StartLabOptions, body: (lab: () => Lab) => void): void {
  describeLabTests(name, () => {
    let lab: Lab | undefined;
    beforeAll(async () => {
      lab = await startLab(options);
    }, 180_000);
    afterAll(async () => {
      await lab?.stop();
      expect(listLabNamespaces(), 'namespaces left behind').toEqual([]);
    }, 30_000);
    body(() => {
      if (!lab) throw new Error('the lab did not start');
      return lab;
    });
  });
}

/** Runs one plain-client probe inside corp, the client's namespace. */
export async function probe(lab: Lab, spec: ProbeSpec): Promise<ProbeResult> {
  const result = await lab.execInClient(process.execPath, [compiledLabScript('probes.js'), JSON.stringify(spec)], 30_000);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) throw new Error(`probe printed no result (exit ${result.code}): ${result.stderr}`);
  return JSON.parse(line) as ProbeResult;
}
