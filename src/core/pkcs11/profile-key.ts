// A profile's key on a token, as the agent uses it for every mint and refresh. The PIN comes from what
// the user gave this agent (held in memory only), else from the keychain when the user asked Rolecall to
// keep it, else from the URI's pin-source. A PIN the token refused is never tried again on its own: the
// profile waits for the user (sessions.givePin) instead of using up the token's lockout counter.
import { isRolecallError } from '../../shared/errors';
import type { TokenKeySource } from '../profiles/definition';
import { withTokenKey, type TokenKey } from './token-key';
import { parsePkcs11Uri } from './uri';

export class TokenPins {
  private readonly given = new Map<string, string>();
  private readonly refused = new Set<string>();

  /** A PIN the user gave for `profile`; it replaces any refused one. */
  give(profile: string, pin: string): void {
    this.given.set(profile, pin);
    this.refused.delete(profile);
  }

  forget(profile: string): void {
    this.given.delete(profile);
    this.refused.delete(profile);
  }

  rename(from: string, to: string): void {
    const pin = this.given.get(from);
    const refused = this.refused.has(from);
    this.forget(from);
    if (pin !== undefined) this.given.set(to, pin);
    if (refused) this.refused.add(to);
  }

  /** The PIN to try: the one given, or the kept one unless the token refused it. */
  async pinFor(profile: string, kept: () => Promise<string | undefined>): Promise<string | undefined> {
    return this.given.get(profile) ?? (this.refused.has(profile) ? undefined : kept());
  }

  /** The token refused the PIN tried for `profile`: drop it until the user gives another. */
  refuse(profile: string): void {
    this.given.delete(profile);
    this.refused.add(profile);
  }
}

const REFUSED_PIN = new Set(['PKCS11_PIN_WRONG', 'PKCS11_PIN_LOCKED']);

export interface ProfileTokenKey {
  readonly name: string;
  readonly source: TokenKeySource;
  /** The profile's certificate, for a key found by its own URI. */
  readonly certificateDer: Buffer;
}

/** Runs `use` with the profile's key on its token; nobody is asked for a PIN here. */
export async function withProfileTokenKey<T>(profile: ProfileTokenKey, pins: TokenPins, kept: () => Promise<string | undefined>, use: (key: TokenKey) => Promise<T>): Promise<T> {
  const { source } = profile;
  const pin = await pins.pinFor(profile.name, kept);
  try {
    return await withTokenKey(
      {
        certificate: source.certificateUri !== undefined ? { uri: parsePkcs11Uri(source.certificateUri) } : { der: profile.certificateDer },
        ...(source.privateKeyUri !== undefined && { privateKey: parsePkcs11Uri(source.privateKeyUri) }),
        ...(source.modulePath !== undefined && { modulePath: source.modulePath }),
        ...(pin !== undefined && { pin }),
        // Refreshes run unattended: a key that wants its PIN at each signature gets the user PIN.
        reusePin: true,
      },
      use,
    );
  } catch (error) {
    if (isRolecallError(error) && REFUSED_PIN.has(error.code)) pins.refuse(profile.name);
    throw error;
  }
}
