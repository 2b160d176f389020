import { describe, expect, it } from 'vitest';
import { migratePolicy } from './policy-migrations.js';

describe('policy migrations', () => {
  it('bring a version 1 policy (no version, or version 1) to version 2 unchanged otherwise', () => {
    const v1 = { communities: [{ id: 'corp', displayName: 'Corp', hostServer: 'chat.corp.example' }], allowUnencryptedTunnelling: false };
    expect(migratePolicy(v1)).toEqual({ ok: true, document: { ...v1, version: 2 }, fromVersion: 1 });
    expect(migratePolicy({ ...v1, version: 1 })).toEqual({ ok: true, document: { ...v1, version: 2 }, fromVersion: 1 });
  });

  it('leave a version 2 policy as it is', () => {
    const v2 = { version: 2, communities: [{ id: 'corp', locked: true }] };
    expect(migratePolicy(v2)).toEqual({ ok: true, document: v2, fromVersion: 2 });
  });

  it('refuse a version 1 policy that uses version 2 keys, naming each', () => {
    expect(migratePolicy({ communities: [{ id: 'a' }, { id: 'corp', locked: ['port'], username: { fromOsLogin: true } }] })).toEqual({
      ok: false,
      issues: [
        { path: 'communities[1].locked', message: 'is a policy version 2 key; add "version": 2 to the policy to use it' },
        { path: 'communities[1].username', message: 'takes a user name from the login only in policy version 2; add "version": 2 to the policy to use it' },
      ],
    });
  });

  it('refuse versions they do not know', () => {
    expect(migratePolicy({ version: 3 })).toMatchObject({ ok: false, issues: [{ path: 'version', message: expect.stringContaining('newer Burrow') }] });
    expect(migratePolicy({ version: 0 })).toMatchObject({ ok: false, issues: [{ path: 'version' }] });
    expect(migratePolicy(null)).toMatchObject({ ok: false, issues: [{ path: '', message: 'must be a JSON object' }] });
  });

  it('do not change the document they are given', () => {
    const v1 = Object.freeze({ communities: Object.freeze([]) });
    expect(() => migratePolicy(v1)).not.toThrow();
    expect(v1).not.toHaveProperty('version');
  });
});
