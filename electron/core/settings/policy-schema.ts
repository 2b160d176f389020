/**
 * The administrator policy document, version 2: what `policy.json` (and, through their readers,
 * the registry and managed preferences) may say. Older versions are brought up to it by
 * policy-migrations.ts before it is checked.
 */
import { z } from 'zod';
import { DesktopOverrides } from '../../common/settings/desktop.js';
import { checkPortGivenOnce, CommunityFields, ConnectionOverrides, lockableServerFields, PemCertificate, uniqueCommunities } from '../../common/settings/schema.js';

export const POLICY_VERSION = 2;

/** What of a community an administrator can lock: its server fields and its connection method and proxy; `"locked": true` locks them all. */
export const lockableCommunityFields = [...lockableServerFields, 'method', 'proxy'] as const;
export type LockableCommunityField = (typeof lockableCommunityFields)[number];

/** The user name, or where Burrow takes it from: `{ "fromOsLogin": true }` is the user's operating-system login. */
export const PolicyUsername = z.union([z.string(), z.strictObject({ fromOsLogin: z.literal(true) })]);
export type PolicyUsername = z.infer<typeof PolicyUsername>;

export const PolicyCommunity = CommunityFields.extend({
  username: PolicyUsername.default(''),
  /** Fields the user cannot change; a community with any lock cannot be removed. */
  locked: z.union([z.literal(true), z.array(z.enum(lockableCommunityFields))], { error: `must be true, or a list of ${lockableCommunityFields.join(', ')}` }).optional(),
})
  .superRefine(checkPortGivenOnce)
  .superRefine((community, context) => {
    if (!Array.isArray(community.locked)) return;
    community.locked.forEach((field, index) => {
      const unset = (field === 'method' && community.connection.method === undefined) || (field === 'proxy' && Object.keys(community.connection.proxy ?? {}).length === 0);
      if (unset) context.addIssue({ code: 'custom', path: ['locked', index], message: `locks "${field}", so connection.${field} must be set` });
    });
  });
export type PolicyCommunity = z.infer<typeof PolicyCommunity>;

const PolicyLayer = z.strictObject({ connection: ConnectionOverrides.optional(), desktop: DesktopOverrides.optional() });

/** Burrow's own updates; locked by nature. Absent keys: updates on, on the channel the installed version came from. */
export const UpdatesPolicy = z.strictObject({
  enabled: z.boolean().optional(),
  channel: z.enum(['stable', 'beta']).optional(),
});
export type UpdatesPolicy = z.infer<typeof UpdatesPolicy>;

export const PolicyFile = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(POLICY_VERSION),
    /** Communities every user gets; a user's edit of one is kept as theirs, except what is locked. */
    communities: uniqueCommunities(PolicyCommunity).optional(),
    /** Starting values the user may change. */
    defaults: PolicyLayer.optional(),
    /** Values the user cannot change: they win over everything but a community's own locks. */
    locked: PolicyLayer.optional(),
    /** Certificate authorities trusted in addition to the system's, as PEM text. */
    trustedCa: z.array(PemCertificate).optional(),
    /** PEM files of trusted certificate authorities; relative paths are relative to the policy file. */
    trustedCaFiles: z.array(z.string().min(1, { error: 'must be a file path' })).optional(),
    /** Shorthand for locking `connection.allowUnencrypted`: whether BOSH over http:// and ws:// may ever be used. */
    allowUnencryptedTunnelling: z.boolean().optional(),
    /** false: users cannot trust a server certificate themselves ("Trust this certificate…"), and those they trusted are ignored. */
    allowCertificateTrust: z.boolean().optional(),
    /** `enabled: false` turns Burrow's own updates off (the fleet is updated by its deployment); `channel` pins "stable" or "beta". */
    updates: UpdatesPolicy.optional(),
  })
  .superRefine((policy, context) => {
    const locked = policy.locked?.connection?.allowUnencrypted;
    if (policy.allowUnencryptedTunnelling !== undefined && locked !== undefined && locked !== policy.allowUnencryptedTunnelling) {
      context.addIssue({
        code: 'custom',
        path: ['allowUnencryptedTunnelling'],
        message: 'contradicts locked.connection.allowUnencrypted; set one of them',
      });
    }
  });
export type PolicyFile = z.infer<typeof PolicyFile>;
