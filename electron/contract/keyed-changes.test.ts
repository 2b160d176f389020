import { describe, expect, it } from 'vitest';

import { applyKeyedChanges, mergeKeyedChanges } from './keyed-changes.js';

const byName = ({ name }: { name: string }) => name;

describe('keyed changes', () => {
  it('merge to each item’s latest state, a later removal undoing an earlier upsert and the other way round', () => {
    const merged = mergeKeyedChanges(
      { upserted: [{ name: 'bob', v: 1 }, { name: 'carol', v: 1 }], removed: ['dave'] },
      { upserted: [{ name: 'bob', v: 2 }, { name: 'dave', v: 1 }], removed: ['carol'] },
      byName,
    );
    expect(merged).toEqual({ upserted: [{ name: 'bob', v: 2 }, { name: 'dave', v: 1 }], removed: ['carol'] });
  });

  it('apply in place, new items last, removed ones gone', () => {
    const list = [{ name: 'bob', v: 1 }, { name: 'carol', v: 1 }, { name: 'dave', v: 1 }];
    const applied = applyKeyedChanges(list, { upserted: [{ name: 'erin', v: 1 }, { name: 'bob', v: 2 }], removed: ['carol'] }, byName);
    expect(applied).toEqual([{ name: 'bob', v: 2 }, { name: 'dave', v: 1 }, { name: 'erin', v: 1 }]);
  });
});
