import { describe, expect, it } from 'vitest';

import { UnsafeSignInError } from '../connection/errors.js';
import { signInFailure } from './sign-in-failure.js';

const saslError = (condition: string, message?: string) => Object.assign(new Error(message ?? condition), { name: 'SASLError', condition });

describe('what a failed sign-in means for the user', () => {
  it('a refused password waits for the user to fix it in Preferences', () => {
    expect(signInFailure(saslError('not-authorized'))).toEqual({
      summary: 'The server refused the user name or password.',
      hints: ['Check the user name and password in File › Preferences › Server Communities.'],
      permanent: true,
    });
  });

  it('a sign-in Burrow stopped as unsafe is not retried, and says why', () => {
    const failure = signInFailure(new UnsafeSignInError('the server could not prove it knows the account'));
    expect(failure.summary).toBe('Burrow stopped signing in: the server could not prove it knows the account.');
    expect(failure.permanent).toBe(true);
  });

  it('anything else may pass: Burrow tries again', () => {
    expect(signInFailure(new Error('socket hang up'))).toEqual({ summary: 'Signing in failed: socket hang up', hints: [], permanent: false });
  });
});
