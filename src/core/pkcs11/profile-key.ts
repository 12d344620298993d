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

  /** The PIN to try and where it came from: the one given, or the kept one unless the token refused it. */
  async pinFor(profile: string, kept: () => Promise<string | undefined>): Promise<{ pin: string | undefined; kept: boolean }> {
    const given = this.given.get(profile);
    if (given !== undefined) return { pin: given, kept: false };
    return { pin: this.refused.has(profile) ? undefined : await kept(), kept: true };
  }

  /** The token refused the PIN tried for `profile`: drop it until the user gives another. */
  refuse(profile: string): void {
    this.given.delete(profile);
    this.refused.add(profile);
  }
}

const REFUSED_PIN = new Set(['PKCS11_PIN_WRONG', 'PKCS11_PIN_LOCKED']);

/** Where a profile's kept PIN lives: read it, and drop it once the token refused it. */
export interface KeptPin {
  read(): Promise<string | undefined>;
  drop(): Promise<void>;
}

export interface ProfileTokenKey {
  readonly name: string;
  readonly source: TokenKeySource;
  /** The profile's certificate, for a key found by its own URI. */
  readonly certificateDer: Buffer;
}

/** Runs `use` with the profile's key on its token; nobody is asked for a PIN here. */
export async function withProfileTokenKey<T>(profile: ProfileTokenKey, pins: TokenPins, kept: KeptPin, use: (key: TokenKey) => Promise<T>): Promise<T> {
  const { source } = profile;
  const chosen = await pins.pinFor(profile.name, () => kept.read());
  const pin = chosen.pin;
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
    if (isRolecallError(error) && REFUSED_PIN.has(error.code)) {
      pins.refuse(profile.name);
      // A kept PIN the token refused would be tried again by the next agent: it goes.
      if (chosen.kept && pin !== undefined) await kept.drop();
    }
    throw error;
  }
}
