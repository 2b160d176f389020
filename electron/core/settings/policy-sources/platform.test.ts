import { describe, expect, it } from 'vitest';
import { readPlatformPolicies } from './platform.js';

describe("the platform's managed policies", () => {
  it('are none where the platform has no management tool Burrow reads (Linux: /etc/burrow/policy.json is the machine file)', async () => {
    expect(await readPlatformPolicies('linux')).toEqual({ userManaged: undefined, machineManaged: undefined });
  });
});
