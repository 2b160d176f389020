import { z } from 'zod';

/** The names of every secret Burrow keeps (never in the settings file). */
export const secretKeys = {
  communityPassword: (communityId: string) => `community:${communityId}:password`,
  communityProxyPassword: (communityId: string) => `community:${communityId}:proxy:password`,
  globalProxyPassword: 'proxy:global:password',
} as const;

export const SecretKey = z.string().regex(/^(?:community:[A-Za-z0-9._-]{1,64}:(?:password|proxy:password)|proxy:global:password)$/, {
  error: 'is not the name of a Burrow password',
});
