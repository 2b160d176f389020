import { describe, expect, it } from 'vitest';

import { Figures } from './scale-bench.js';

describe('the scale figures', () => {
  it('meets a target at or under it and misses one over it', () => {
    const figures = new Figures();
    figures.set('rosterShownMs', { ms: 2_000 });
    figures.set('openMs', 500.1);
    expect(figures.met('rosterShownMs')).toBe(true);
    expect(figures.met('openMs')).toBe(false);
  });

  it('counts a page step that timed out as not met, and one never measured as unknown', async () => {
    const figures = new Figures();
    figures.set('openMs', { reason: 'not met: > 30000 ms' });
    await figures.step(['searchMs', 'coreSendP50Ms'], 'the core', () => Promise.reject(new Error('no core')));
    expect(figures.met('openMs')).toBe(false);
    expect(figures.met('searchMs')).toBeNull();
    expect(figures.reasons.coreSendP50Ms).toBe('failed: the core: no core');
  });
});
