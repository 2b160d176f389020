import { describe, expect, it } from 'vitest';
import type { Installation } from './installation.js';
import { UPDATE_CHECK_INTERVAL_MS, updatePlan, type UpdateFacts } from './plan.js';
import { updatePlanWords } from './words.js';

const nsisWithFeed: Installation = { kind: 'nsis', hasUpdateFeed: true };
const facts = (changes: Partial<UpdateFacts>): UpdateFacts => ({ packaged: true, installation: nsisWithFeed, policy: {}, ...changes });

describe('whether Burrow checks for updates', () => {
  it('checks every four hours, on the installed version\'s channel, when nothing says otherwise', () => {
    const plan = updatePlan(facts({}));
    expect(plan).toEqual({ check: true, channel: undefined, everyMs: UPDATE_CHECK_INTERVAL_MS });
    expect(updatePlanWords(plan)).toBe('Updates: checking now and every 4 hours.');
  });

  it('checks on the channel the policy pins', () => {
    expect(updatePlan(facts({ policy: { channel: 'stable' } }))).toMatchObject({ check: true, channel: 'latest' });
    const beta = updatePlan(facts({ policy: { channel: 'beta' } }));
    expect(beta).toMatchObject({ check: true, channel: 'beta' });
    expect(updatePlanWords(beta)).toBe('Updates: checking now and every 4 hours on the beta channel.');
  });

  it('never checks when the policy turns updates off, whatever channel it names', () => {
    const plan = updatePlan(facts({ policy: { enabled: false, channel: 'beta' } }));
    expect(plan).toEqual({ check: false, reason: 'turned-off-by-policy' });
    expect(updatePlanWords(plan)).toContain('"enabled": false');
  });

  it('never checks in a development run', () => {
    expect(updatePlan(facts({ packaged: false }))).toEqual({ check: false, reason: 'not-packaged' });
  });

  it.each([
    ['windows-other', 'MSI'],
    ['linux-package', 'package manager'],
    ['linux-other', 'unpacked archive'],
  ] as const)('leaves an installation %s to its deployment (%s)', (kind, words) => {
    const plan = updatePlan(facts({ installation: { kind, hasUpdateFeed: true } }));
    expect(plan).toEqual({ check: false, reason: 'deployed-installation', kind });
    expect(updatePlanWords(plan)).toContain(words);
  });

  it.each(['nsis', 'appimage', 'macos'] as const)('updates an installation %s itself, when the build names an update server', (kind) => {
    expect(updatePlan(facts({ installation: { kind, hasUpdateFeed: true } }))).toMatchObject({ check: true });
    expect(updatePlan(facts({ installation: { kind, hasUpdateFeed: false } }))).toEqual({ check: false, reason: 'no-update-feed' });
  });
});
