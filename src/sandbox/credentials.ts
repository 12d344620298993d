// Temporary credentials the sandbox hands out and later recognises on STS and the list APIs.
// They look like AWS's (ASIA… ids, 40-character secrets, long tokens) so clients' format checks hold.
// Secrets and tokens are derived from the sandbox's seed and the access key id, so a sandbox that
// keeps its state on disk can recognise them after a restart without ever writing them down.
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
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
  /** The session's principal tags (keys without `aws:PrincipalTag/`), as the attribute mappings gave them. */
  readonly principalTags?: Readonly<Record<string, string>>;
  readonly durationSeconds: number;
  /** A long-term key (the sandbox's admin key): it is used without a session token. */
  readonly longTerm?: boolean;
}

/** What a sandbox keeps on disk of issued credentials: everything but the secret and the token. */
export type CredentialRecord = Omit<IssuedCredentials, 'secretAccessKey' | 'sessionToken'>;

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

/** A 40-character secret derived from the seed, so the same seed and key id always give the same secret. */
export function derivedSecret(seed: Uint8Array, label: string): string {
  return createHmac('sha256', seed).update(`secret|${label}`).digest().subarray(0, 30).toString('base64');
}

function derivedSessionToken(seed: Uint8Array, accessKeyId: string): string {
  // Real tokens are ~400-1000 base64 characters; clients must not assume a size.
  return `IQoJb3JpZ2luX2VjE${Buffer.from(hkdfSync('sha256', seed, accessKeyId, 'session-token', 480)).toString('base64')}`;
}

export class CredentialRegistry {
  readonly #byAccessKey = new Map<string, IssuedCredentials>();
  readonly #longTerm = new Map<string, IssuedCredentials>();
  readonly #seed: Uint8Array;

  /** `seed`: what secrets and tokens are derived from; a sandbox without state gets a random one. */
  constructor(seed: Uint8Array = randomBytes(32)) {
    this.#seed = seed;
  }

  issue(grant: CredentialGrant): IssuedCredentials {
    const { roleId, ...rest } = grant;
    const accessKeyId = `ASIA${randomFrom(BASE32, 16)}`;
    const issued: IssuedCredentials = {
      ...rest,
      accessKeyId,
      secretAccessKey: derivedSecret(this.#seed, accessKeyId),
      sessionToken: derivedSessionToken(this.#seed, accessKeyId),
      assumedRoleArn: `arn:aws:sts::${grant.account}:assumed-role/${grant.roleName}/${grant.roleSessionName}`,
      assumedRoleId: `${roleId}:${grant.roleSessionName}`,
    };
    this.#byAccessKey.set(issued.accessKeyId, issued);
    recordInLedger(issued);
    return issued;
  }

  /** Takes back credentials issued before a restart; their secrets come from the seed again. */
  restore(records: readonly CredentialRecord[]): void {
    for (const record of records) {
      this.#byAccessKey.set(record.accessKeyId, {
        ...record,
        secretAccessKey: derivedSecret(this.#seed, record.accessKeyId),
        sessionToken: derivedSessionToken(this.#seed, record.accessKeyId),
      });
    }
  }

  /** Issued credentials without their secrets, for the state file. */
  records(): CredentialRecord[] {
    return this.all().map(({ secretAccessKey: _secret, sessionToken: _token, ...record }) => record);
  }

  /** Recognises a long-term key (the admin key) besides issued credentials; `all()` never lists it. */
  admit(key: IssuedCredentials): void {
    this.#longTerm.set(key.accessKeyId, key);
  }

  find(accessKeyId: string): IssuedCredentials | undefined {
    return this.#byAccessKey.get(accessKeyId) ?? this.#longTerm.get(accessKeyId);
  }

  all(): IssuedCredentials[] {
    return [...this.#byAccessKey.values()];
  }
}
