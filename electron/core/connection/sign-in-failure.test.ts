import { describe, expect, it } from 'vitest';

import { causeWords } from '../../contract/account-words.js';
import { TimeoutError } from '../stream/errors.js';
import { MalformedXmlError, TooLargeError, UnsafeSignInError } from './errors.js';
import { signInFailureCause } from './sign-in-failure.js';

const saslError = (condition: string) => Object.assign(new Error(condition), { name: 'SASLError', condition });

describe('what a failed sign-in says', () => {
  it("is the server's SASL condition when it refused", () => {
    expect(signInFailureCause(saslError('not-authorized'))).toEqual({ kind: 'sign-in-refused', condition: 'not-authorized' });
  });

  it('is unsafe when Burrow stopped it, with the reason', () => {
    expect(signInFailureCause(new UnsafeSignInError('the server could not prove it knows the account'))).toEqual({
      kind: 'sign-in-unsafe',
      reason: 'the server could not prove it knows the account',
    });
  });

  it('is what the server sent over Burrow\'s limits, when Burrow closed the stream for it', () => {
    expect(signInFailureCause(new TooLargeError('stanza', 262_144))).toEqual({ kind: 'too-large', what: 'stanza', limitBytes: 262_144 });
  });

  it('is what was wrong with XML the server sent that is not well-formed, when Burrow closed the stream for it', () => {
    expect(signInFailureCause(new MalformedXmlError('an end tag closes no element'))).toEqual({ kind: 'malformed-xml', detail: 'an end tag closes no element' });
  });

  it('is a sign-in the server never answered when a step timed out, said in words and worth another try', () => {
    const cause = signInFailureCause(Object.assign(new Error(), { name: 'TimeoutError' }));
    expect(cause).toEqual({ kind: 'sign-in-unanswered' });
    expect(causeWords(cause)).toBe('The server did not answer the sign-in in time.');
  });

  it("is a sign-in the server never answered when Burrow's own wait for it ran out", () => {
    expect(signInFailureCause(new TimeoutError('gave up waiting, after 15000 ms, until the sign-in was done'))).toEqual({ kind: 'sign-in-unanswered' });
  });

  it('is a failure that may pass for anything else', () => {
    expect(signInFailureCause(new Error('socket hang up'))).toEqual({ kind: 'sign-in-failed', message: 'socket hang up' });
  });
});
