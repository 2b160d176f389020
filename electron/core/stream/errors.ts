/** Burrow stopped a sign-in that would be unsafe to finish: trying again on the same path cannot help. */
export class UnsafeSignInError extends Error {
  override name = 'UnsafeSignInError';
}
