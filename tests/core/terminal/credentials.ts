// Fixed credentials for terminal tests: the code under test hands them on, it does not mint them.
import type { CredentialsOutput } from '../../../src/shared/contract';

export const KEYS = {
  accessKeyId: 'ASIATERMINALTEST0001',
  secretAccessKey: 'terminal/Secret+Access0123456789KEYEXAMPLE',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE/session+token==',
} as const;

/** Credentials that expire `secondsLeft` after `now`, with an expiry of whole seconds. */
export function credentialsExpiringIn(secondsLeft: number, now = Date.now()): CredentialsOutput {
  const expiresAt = Math.floor((now + secondsLeft * 1000) / 1000) * 1000;
  return { ...KEYS, expiration: new Date(expiresAt).toISOString().replace('.000Z', 'Z') };
}
