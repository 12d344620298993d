// Temporary credentials the sandbox hands out and later recognises on STS and the list APIs.
// They look like AWS's (ASIA… ids, 40-character secrets, long tokens) so clients' format checks hold.
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';

export interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** ms since the epoch on the sandbox clock. */
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly account: string;
  readonly roleArn: string;
  readonly roleName: string;
  readonly roleSessionName: string;
  /** arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION */
  readonly assumedRoleArn: string;
  /** AROA…:SESSION */
  readonly assumedRoleId: string;
  readonly profileArn: string;
  readonly trustAnchorArn: string;
  /** The leaf certificate's serial in lowercase hex. */
  readonly certificateSerial: string;
  readonly sourceIdentity: string;
  readonly durationSeconds: number;
}

export type CredentialGrant = Omit<IssuedCredentials, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'assumedRoleArn' | 'assumedRoleId'> & {
  readonly roleId: string;
};

/**
 * When env ROLECALL_SANDBOX_LEDGER names a file, every issued secret is appended to it, one a line, so
 * the secrets scan after the test suites knows what must not appear outside the places allowed for it.
 * Read at each issue: test runs set it once for every sandbox they start, in this process or another.
 */
function recordInLedger(issued: IssuedCredentials): void {
  const ledger = process.env.ROLECALL_SANDBOX_LEDGER;
  if (ledger !== undefined && ledger !== '') appendFileSync(ledger, `${issued.secretAccessKey}\n${issued.sessionToken}\n`, { mode: 0o600 });
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomFrom(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

export class CredentialRegistry {
  readonly #byAccessKey = new Map<string, IssuedCredentials>();

  issue(grant: CredentialGrant): IssuedCredentials {
    const { roleId, ...rest } = grant;
    const issued: IssuedCredentials = {
      ...rest,
      accessKeyId: `ASIA${randomFrom(BASE32, 16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      // Real tokens are ~400-1000 base64 characters; clients must not assume a size.
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(480).toString('base64')}`,
      assumedRoleArn: `arn:aws:sts::${grant.account}:assumed-role/${grant.roleName}/${grant.roleSessionName}`,
      assumedRoleId: `${roleId}:${grant.roleSessionName}`,
    };
    this.#byAccessKey.set(issued.accessKeyId, issued);
    recordInLedger(issued);
    return issued;
  }

  find(accessKeyId: string): IssuedCredentials | undefined {
    return this.#byAccessKey.get(accessKeyId);
  }

  all(): IssuedCredentials[] {
    return [...this.#byAccessKey.values()];
  }
}
