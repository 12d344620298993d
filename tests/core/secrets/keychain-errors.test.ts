import { describe, expect, it } from 'vitest';
import { toKeychainError } from '../../../src/core/secrets/keychain-errors';
import { RolecallError } from '../../../src/shared/errors';

// The messages each OS really gives (libsecret/GLib seen on Debian; macOS SecCopyErrorMessageString; Windows FormatMessage).
describe('toKeychainError', () => {
  it.each([
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'dbus-run-session'],
    ['Could not connect: No such file or directory', 'dbus-run-session'],
    ['The name org.freedesktop.secrets was not provided by any .service files', 'install gnome-keyring'],
    ['Object does not exist at path “/org/freedesktop/secrets/collection/login”', 'gnome-keyring-daemon --unlock'],
    ['A default keychain could not be found.', 'Keychain Access'],
    ['The specified keychain could not be found.', 'Keychain Access'],
    ['A specified logon session does not exist. It may already have been terminated.', 'desktop session'],
  ])('maps "%s" to KEYCHAIN_UNAVAILABLE with a hint', (message, hint) => {
    const error = toKeychainError(new Error(message));
    expect(error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(error.detail).toContain(hint);
    expect(error.detail).toContain(message);
  });

  it.each([
    'Cannot create an item in a locked collection',
    'User canceled the operation.',
    'User interaction is not allowed.',
    'The user name or passphrase you entered is not correct.',
  ])('maps "%s" to KEYCHAIN_LOCKED', (message) => {
    expect(toKeychainError(new Error(message))).toMatchObject({ code: 'KEYCHAIN_LOCKED', detail: message });
  });

  it('maps an unknown keychain failure to KEYCHAIN_UNAVAILABLE and keeps the OS message', () => {
    expect(toKeychainError(new Error('The stub received bad data.'))).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE', detail: 'The stub received bad data.' });
  });

  it('passes a RolecallError through unchanged', () => {
    const original = new RolecallError('KEYCHAIN_ITEM_MISSING');
    expect(toKeychainError(original)).toBe(original);
  });
});
