// A Rolecall profile: everything needed to mint a session except the private key itself, which rests
// in the keychain (or in the user's own file when they chose that). Stored in Rolecall's JSON store.
import { z } from 'zod';
import { profileNameSchema } from '../../shared/contract';
import { SESSION_DURATION_SECONDS } from '../../shared/limits';
import { parseRolesAnywhereArn } from '../rolesanywhere/arn';

export const keySourceSchema = z.discriminatedUnion('kind', [
  /** PKCS#8 PEM in the keychain under this account, a random id so that renames never move the item. */
  z.object({ kind: z.literal('keychain'), account: z.string().min(1) }),
  /** The user's own unencrypted key file (PEM, DER or PKCS#12 without a password), read at each signing
   * and never copied. Encrypted files are refused: the agent would need the passphrase at every signing. */
  z.object({ kind: z.literal('file'), path: z.string().min(1) }),
]);

/** A profile's key: one of the above, or a key that never leaves a PKCS#11 token. */
export const profileKeySchema = z.discriminatedUnion('kind', [
  ...keySourceSchema.options,
  z.object({
    kind: z.literal('pkcs11'),
    /** RFC 7512 URIs as the user gave them, less any pin-value: the certificate's and, when given, the key's. */
    certificateUri: z.string().min(1).optional(),
    privateKeyUri: z.string().min(1).optional(),
    /** The PKCS#11 module; p11-kit's proxy when absent. */
    modulePath: z.string().min(1).optional(),
    /** Keychain account of the token's PIN, only when the user asked Rolecall to keep it. */
    pinAccount: z.string().min(1).optional(),
  }),
]);

export const deliveryModeSchema = z.enum(['file', 'process']);

export const profileDefinitionSchema = z.object({
  name: profileNameSchema,
  /** Leaf certificate, PEM. Public. */
  certificatePem: z.string().min(1),
  /** Intermediates in the order they are sent, PEM each. Public. */
  chainPem: z.array(z.string().min(1)).max(5),
  key: profileKeySchema,
  trustAnchorArn: z.string().min(1),
  profileArn: z.string().min(1),
  roleArn: z.string().min(1),
  /** Roles Anywhere signing region, only when the user set one; otherwise the trust anchor ARN's. */
  signingRegion: z.string().optional(),
  /** The region tools should use (AWS_REGION, `region` in the config file); only when the user set one. */
  toolRegion: z.string().optional(),
  durationSeconds: z.number().int().min(SESSION_DURATION_SECONDS.min).max(SESSION_DURATION_SECONDS.max),
  roleSessionName: z.string().optional(),
  autoRefresh: z.boolean(),
  delivery: deliveryModeSchema,
  /** Explicit CreateSession endpoint (the sandbox, private endpoints). */
  endpoint: z.string().optional(),
  /** Where `file` delivery writes; absent means the user's credentials file (sandbox profiles use their own). */
  credentialsFile: z.string().optional(),
  /** Where `process` delivery and the tool region go; absent means the user's config file. */
  configFile: z.string().optional(),
  /** The `rolecall certificate` request whose issued certificate this profile was made from: what a
   * renewal of that certificate updates. */
  certificate: profileNameSchema.optional(),
  /** The trust anchor's and Roles Anywhere profile's names when they were picked by name (shown
   * without discovery); each is dropped when its ARN changes without a new name. */
  names: z.object({ trustAnchor: z.string().optional(), profile: z.string().optional() }).optional(),
  /** Imported from a credential_process line: the config file, and the keychain item holding its
   * section as it was (the line may carry --pkcs8-password), which `profiles remove` puts back. */
  imported: z.object({ configFile: z.string().min(1), account: z.string().min(1) }).optional(),
  /** The user let Rolecall take over an AWS profile name holding credentials it did not write: the next
   * delivery removes them, then this is cleared. */
  takeOver: z.boolean().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type KeySource = z.infer<typeof keySourceSchema>;
export type ProfileKey = z.infer<typeof profileKeySchema>;
export type TokenKeySource = Extract<ProfileKey, { kind: 'pkcs11' }>;
export type DeliveryMode = z.infer<typeof deliveryModeSchema>;
export type ProfileDefinition = z.infer<typeof profileDefinitionSchema>;

/** The region CreateSession is signed for and sent to. */
export function signingRegionOf(definition: Pick<ProfileDefinition, 'signingRegion' | 'trustAnchorArn'>): string {
  return definition.signingRegion ?? parseRolesAnywhereArn(definition.trustAnchorArn, 'trust-anchor').region;
}
