// Where private keys and cached session credentials rest: the OS keychain, behind one small interface so
// the rest of the core never knows which keychain it talks to, and tests of other modules can use memory.

/** The keychain service every Rolecall item is filed under. */
export const SECRET_SERVICE = 'Rolecall';

export interface SecretStore {
  /** The stored value, or null when there is none. */
  get(account: string): Promise<string | null>;
  /** Stores or replaces the value; retrying after a failure is safe. */
  set(account: string, value: string): Promise<void>;
  /** Removes the value; true when there was one. */
  delete(account: string): Promise<boolean>;
  /** Proves the keychain can store a value now; throws KEYCHAIN_UNAVAILABLE or KEYCHAIN_LOCKED if not. */
  probe(): Promise<void>;
}
