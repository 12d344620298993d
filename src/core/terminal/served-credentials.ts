// What a local credentials server may hand out: the provider's answer, only when it is complete and has
// time left. An SDK that receives expired or empty keys fails on its next call with a confusing
// signature error; one that receives an error status retries later and keeps its old credentials.
import type { CallResult, CredentialsOutput } from '../../shared/contract';
import { RolecallError, toErrorInfo } from '../../shared/errors';
import type { Logger } from '../log';
import type { Clock } from '../platform/clock';

export type ProvidedCredentials = CredentialsOutput & { readonly roleArn?: string };
/** Credentials for one profile name; the agent's cache (credentials.get) in real use. */
export type CredentialsProvider = (name: string) => Promise<ProvidedCredentials>;

export interface ServedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** RFC 3339 in UTC without fractional seconds, the form ECS and EC2 use. */
  readonly expiration: string;
  readonly roleArn?: string;
}

/** Served credentials keep at least this long: less would expire before a client's call completes. */
export const DEFAULT_MIN_VALIDITY_SECONDS = 60;

export interface ServeContext {
  readonly provider: CredentialsProvider;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly minValiditySeconds: number;
}

export function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function check(provided: ProvidedCredentials, context: ServeContext): ServedCredentials {
  const expiresAt = Date.parse(provided.expiration);
  if (!provided.accessKeyId || !provided.secretAccessKey || !provided.sessionToken || Number.isNaN(expiresAt)) {
    throw new RolecallError('INTERNAL', 'the credentials provider returned incomplete credentials');
  }
  if (expiresAt - context.clock.now() < context.minValiditySeconds * 1000) {
    throw new RolecallError('SESSION_EXPIRED', `fewer than ${context.minValiditySeconds} seconds left`);
  }
  return {
    accessKeyId: provided.accessKeyId,
    secretAccessKey: provided.secretAccessKey,
    sessionToken: provided.sessionToken,
    // Truncating the milliseconds makes the expiry earlier, never later.
    expiration: isoSeconds(expiresAt),
    ...(provided.roleArn ? { roleArn: provided.roleArn } : {}),
  };
}

/** The provider's credentials for `name`, or the reason none can be served (never its thrown text). */
export async function servableCredentials(name: string, context: ServeContext): Promise<CallResult<ServedCredentials>> {
  try {
    return { ok: true, value: check(await context.provider(name), context) };
  } catch (error) {
    const info = toErrorInfo(error);
    context.logger.warn('credentials endpoint could not serve a profile', { profile: name, code: info.code });
    return { ok: false, error: info };
  }
}
