// A SecretStore in memory, for unit tests of modules that use one. Production code has no such store:
// without a keychain Rolecall stores nothing secret (design.md).
import type { ErrorCode } from '../../src/shared/errors';
import { RolecallError } from '../../src/shared/errors';
import type { SecretStore } from '../../src/core/secrets/secret-store';

export class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();
  /** When set, every call fails with this code, as a missing or locked keychain would. */
  failure: Extract<ErrorCode, 'KEYCHAIN_UNAVAILABLE' | 'KEYCHAIN_LOCKED'> | undefined;

  async get(account: string): Promise<string | null> {
    this.check();
    return this.values.get(account) ?? null;
  }

  async set(account: string, value: string): Promise<void> {
    this.check();
    this.values.set(account, value);
  }

  async delete(account: string): Promise<boolean> {
    this.check();
    return this.values.delete(account);
  }

  async probe(): Promise<void> {
    this.check();
  }

  private check(): void {
    if (this.failure) throw new RolecallError(this.failure, 'simulated by MemorySecretStore');
  }
}
