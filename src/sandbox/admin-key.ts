// The sandbox's admin key: a long-term access key (AKIA…) for its control plane, printed at start so
// the AWS CLI and SDKs can create trust anchors, profiles and roles. Derived from the sandbox's seed,
// so it stays the same for one sandbox folder (across restarts and --reset) and is never stored.
import { createHmac } from 'node:crypto';
import { derivedSecret, type IssuedCredentials } from './credentials';

export const ADMIN_USER_NAME = 'rolecall-sandbox-admin';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function derivedId(seed: Uint8Array, prefix: string, label: string, length: number): string {
  const digest = createHmac('sha256', seed).update(`id|${label}`).digest();
  let id = prefix;
  for (let i = 0; i < length; i++) id += BASE32[(digest[i] ?? 0) % 32];
  return id;
}

export function adminKeyOf(seed: Uint8Array, account: string): IssuedCredentials {
  const accessKeyId = derivedId(seed, 'AKIA', 'admin-access-key', 16);
  return {
    accessKeyId,
    secretAccessKey: derivedSecret(seed, 'admin'),
    sessionToken: '',
    longTerm: true,
    issuedAt: 0,
    expiresAt: Number.POSITIVE_INFINITY,
    account,
    roleArn: '',
    roleName: '',
    roleSessionName: '',
    // GetCallerIdentity answers with these two: an IAM user's ARN and AIDA… id.
    assumedRoleArn: `arn:aws:iam::${account}:user/${ADMIN_USER_NAME}`,
    assumedRoleId: derivedId(seed, 'AIDA', 'admin-user-id', 17),
    profileArn: '',
    trustAnchorArn: '',
    certificateSerial: '',
    sourceIdentity: '',
    durationSeconds: 0,
  };
}
