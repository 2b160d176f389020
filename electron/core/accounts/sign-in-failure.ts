/** What a failed sign-in means for the user, and whether trying again could help. */
export interface SignInFailure {
  summary: string;
  hints: string[];
  /** Retrying with the same settings cannot help: wait for the user. */
  permanent: boolean;
}

export function signInFailure(error: unknown): SignInFailure {
  const { name, condition, message } = (error ?? {}) as { name?: string; condition?: string; message?: string };
  if (name === 'SASLError' && (condition === 'not-authorized' || condition === 'account-disabled' || condition === 'credentials-expired')) {
    return {
      summary: condition === 'not-authorized' ? 'The server refused the user name or password.' : `The server refused to sign in (${condition}).`,
      hints: ['Check the user name and password in File › Preferences › Server Communities.'],
      permanent: true,
    };
  }
  if (name === 'UnsafeSignInError') {
    return {
      summary: `Burrow stopped signing in: ${message}.`,
      hints: ['Check the host server in File › Preferences › Server Communities, and tell your administrator.'],
      permanent: true,
    };
  }
  if (name === 'SASLError') return { summary: `Signing in failed: ${message ?? condition ?? 'unknown reason'}.`, hints: [], permanent: true };
  return { summary: `Signing in failed: ${message || name || String(error)}`, hints: [], permanent: false };
}
