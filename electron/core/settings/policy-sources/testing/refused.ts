import { expect } from 'vitest';
import { PolicyError } from '../../policy.js';

/** The PolicyError a policy source was expected to refuse with. */
export async function refusal(reading: Promise<unknown>): Promise<PolicyError> {
  const error = await reading.then(
    () => expect.unreachable('the policy source should have been refused'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(PolicyError);
  return error as PolicyError;
}
