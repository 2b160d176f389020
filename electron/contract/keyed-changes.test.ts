import { describe, expect, it } from 'vitest';

import { applyKeyedChanges, GatheredChanges } from './keyed-changes.js';

const byName = ({ name }: { name: string }) => name;

describe('keyed changes', () => {
  it('gather to each item’s latest state, a later removal undoing an earlier upsert and the other way round', () => {
    const gathered = new GatheredChanges<{ name: string; v: number }>(byName);
    gathered.add({ upserted: [{ name: 'bob', v: 1 }, { name: 'carol', v: 1 }], removed: ['dave'] });
    gathered.add({ upserted: [{ name: 'bob', v: 2 }, { name: 'dave', v: 1 }], removed: ['carol'] });
    expect(gathered.changes()).toEqual({ upserted: [{ name: 'bob', v: 2 }, { name: 'dave', v: 1 }], removed: ['carol'] });
  });

  it('apply in place, new items last, removed ones gone', () => {
    const list = [{ name: 'bob', v: 1 }, { name: 'carol', v: 1 }, { name: 'dave', v: 1 }];
    const applied = applyKeyedChanges(list, { upserted: [{ name: 'erin', v: 1 }, { name: 'bob', v: 2 }], removed: ['carol'] }, byName);
    expect(applied).toEqual([{ name: 'bob', v: 2 }, { name: 'dave', v: 1 }, { name: 'erin', v: 1 }]);
  });
});
