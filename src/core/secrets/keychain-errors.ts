// Keychain failures arrive as the OS's own words (libsecret/GLib, macOS Security, Windows). They are
// turned into the two things a user can act on: no keychain to talk to, or a keychain that is locked,
// with a hint naming what to install or unlock where the OS message allows it.
import { RolecallError } from '../../shared/errors';

const LOCKED: readonly RegExp[] = [
  /locked collection/i, // libsecret: "Cannot create an item in a locked collection"
  /\bis locked\b/i,
  /cancell?ed/i, // macOS errSecUserCanceled: a dismissed unlock prompt
  /user interaction is not allowed/i, // macOS errSecInteractionNotAllowed: locked, and no UI to ask
  /passphrase you entered is not correct/i, // macOS errSecAuthFailed
];

const NO_SESSION_BUS = 'there is no D-Bus session bus: log in to a desktop session, or run Rolecall inside `dbus-run-session` with gnome-keyring started';

const UNAVAILABLE: readonly (readonly [RegExp, string])[] = [
  [/Cannot autolaunch D-Bus/i, NO_SESSION_BUS], // no session bus and no X11 display: a headless Linux box
  [/Could not connect|Failed to connect to socket/i, NO_SESSION_BUS], // the bus address points nowhere
  [/org\.freedesktop\.secrets/i, 'no Secret Service is running: install gnome-keyring (or turn on KeePassXC\'s Secret Service integration)'],
  [/collection\/login/i, 'the Secret Service has no login keyring yet: create and unlock it (gnome-keyring-daemon --unlock)'],
  [/no (default )?keychain|keychain could not be found/i, 'there is no default keychain: create one in Keychain Access'],
  [/logon session does not exist/i, 'this Windows logon has no Credential Manager (a service or network logon): run Rolecall in your desktop session'],
];

/**
 * The RolecallError for a failed keychain call. `detail` carries the OS's message, which names the
 * problem and never holds the value being stored.
 */
export function toKeychainError(error: unknown): RolecallError {
  if (error instanceof RolecallError) return error;
  const osMessage = (error instanceof Error ? error.message : String(error)).slice(0, 300);
  if (LOCKED.some((pattern) => pattern.test(osMessage))) {
    return new RolecallError('KEYCHAIN_LOCKED', osMessage, { cause: error });
  }
  const hint = UNAVAILABLE.find(([pattern]) => pattern.test(osMessage))?.[1];
  // An unknown failure also means nothing was stored; the same checks are the user's next step.
  return new RolecallError('KEYCHAIN_UNAVAILABLE', hint ? `${hint} (${osMessage})` : osMessage, { cause: error });
}
