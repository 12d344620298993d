// Where minted sessions outlive the process that minted them: the keychain, one item per profile, so a
// restarted agent reuses a still-valid session instead of minting, and parallel one-shot
// `credential-process --profile` runs share one. Session credentials rest nowhere else (design.md).
import { z } from 'zod';
import type { SessionCredentials } from '../rolesanywhere';
import type { SecretStore } from '../secrets';

export interface CachedSession {
  readonly credentials: SessionCredentials;
  /** When they were minted (ms since the epoch): their lifetime decides when to refresh them. */
  readonly obtainedAt: number;
}

export interface SessionCache {
  /** The cached session, or undefined when there is none (or it cannot be read back). */
  get(name: string): Promise<CachedSession | undefined>;
  set(name: string, session: CachedSession): Promise<void>;
  delete(name: string): Promise<void>;
}

/** The keychain account of a profile's session; `scope` keeps two data folders' caches apart. */
export function sessionAccount(name: string, scope?: string): string {
  return scope === undefined ? `session:${name}` : `session:${scope}:${name}`;
}

const StoredSession = z.object({
  v: z.literal(1),
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
  sessionToken: z.string().min(1),
  expiration: z.string().refine((value) => !Number.isNaN(Date.parse(value))),
  roleArn: z.string(),
  assumedRoleArn: z.string().optional(),
  sourceIdentity: z.string().optional(),
  subjectArn: z.string().optional(),
  obtainedAt: z.string().refine((value) => !Number.isNaN(Date.parse(value))),
});

export class KeychainSessionCache implements SessionCache {
  constructor(
    private readonly secrets: SecretStore,
    private readonly scope?: string,
  ) {}

  async get(name: string): Promise<CachedSession | undefined> {
    const stored = await this.secrets.get(sessionAccount(name, this.scope));
    if (stored === null) return undefined;
    const parsed = StoredSession.safeParse(parseJson(stored));
    // An item from another version or a damaged one is as good as none: the next mint replaces it.
    if (!parsed.success) return undefined;
    const { v: _version, obtainedAt, ...credentials } = parsed.data;
    return { credentials, obtainedAt: Date.parse(obtainedAt) };
  }

  async set(name: string, session: CachedSession): Promise<void> {
    const { credentials } = session;
    const stored: z.input<typeof StoredSession> = {
      v: 1,
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      expiration: credentials.expiration,
      roleArn: credentials.roleArn,
      ...(credentials.assumedRoleArn === undefined ? {} : { assumedRoleArn: credentials.assumedRoleArn }),
      ...(credentials.sourceIdentity === undefined ? {} : { sourceIdentity: credentials.sourceIdentity }),
      ...(credentials.subjectArn === undefined ? {} : { subjectArn: credentials.subjectArn }),
      obtainedAt: new Date(session.obtainedAt).toISOString(),
    };
    await this.secrets.set(sessionAccount(name, this.scope), JSON.stringify(stored));
  }

  async delete(name: string): Promise<void> {
    await this.secrets.delete(sessionAccount(name, this.scope));
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
