// The SecretStore on the OS keychain through keytar: macOS Keychain, Windows Credential Manager, the
// Secret Service (gnome-keyring, KWallet, KeePassXC) on Linux. No plaintext fallback exists on purpose:
// without a keychain the user gets KEYCHAIN_UNAVAILABLE and nothing secret is written anywhere.
import { randomUUID } from 'node:crypto';
import { RolecallError } from '../../shared/errors';
import type { PartSlot } from './item-parts';
import { PARTS_MARKER, decodeManifest, encodeManifest, otherSlot, partAccount, splitUtf8 } from './item-parts';
import { toKeychainError } from './keychain-errors';
import type { SecretStore } from './secret-store';
import { SECRET_SERVICE } from './secret-store';

export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export interface KeytarSecretStoreOptions {
  readonly service?: string;
  /** Largest item in UTF-8 bytes; larger values are split into parts. */
  readonly maxItemBytes?: number;
  /** Loads keytar; the default imports it on first use. */
  readonly loadKeytar?: () => Promise<KeytarApi>;
}

/** Windows' CRED_MAX_CREDENTIAL_BLOB_SIZE; keytar stores the value's UTF-8 bytes as the blob. */
export const WINDOWS_MAX_ITEM_BYTES = 2560;

export function defaultMaxItemBytes(platform: NodeJS.Platform): number {
  return platform === 'win32' ? WINDOWS_MAX_ITEM_BYTES : Number.POSITIVE_INFINITY;
}

// The manifest must fit in one item whatever the cap.
const MIN_ITEM_BYTES = 128;
// A reader racing a writer may see a manifest whose parts were just replaced; it reads again.
const READ_ATTEMPTS = 3;

// keytar is an optional dependency: `npm ci` goes on without it where its native build fails (no
// prebuilt binary reachable, no libsecret headers), and every keychain operation then says how to build it.
const KEYTAR_MISSING_NEXT = process.platform === 'linux'
  ? 'Build it: `sudo apt install libsecret-1-dev` (or your system\'s libsecret development package), then `npm rebuild keytar` in Rolecall\'s folder; or keep the key in its file with --key-in-file.'
  : 'Build it with `npm rebuild keytar` in Rolecall\'s folder; or keep the key in its file with --key-in-file.';

// Imported on first use so that hosts which never touch secrets never load the native module.
async function importKeytar(): Promise<KeytarApi> {
  const module: KeytarApi & { default?: KeytarApi } = await import('keytar');
  return module.default ?? module;
}

export class KeytarSecretStore implements SecretStore {
  readonly service: string;
  readonly maxItemBytes: number;
  private readonly loadKeytar: () => Promise<KeytarApi>;
  private keytar: Promise<KeytarApi> | undefined;

  constructor(options: KeytarSecretStoreOptions = {}) {
    this.service = options.service ?? SECRET_SERVICE;
    this.maxItemBytes = options.maxItemBytes ?? defaultMaxItemBytes(process.platform);
    if (!(this.maxItemBytes >= MIN_ITEM_BYTES)) {
      throw new RolecallError('INTERNAL', `maxItemBytes must be at least ${MIN_ITEM_BYTES}`);
    }
    this.loadKeytar = options.loadKeytar ?? importKeytar;
  }

  async get(account: string): Promise<string | null> {
    checkAccount(account);
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt += 1) {
      const stored = await this.call((k) => k.getPassword(this.service, account));
      if (stored === null) {
        // libsecret answers "not found" when it cannot unlock the keyring: make sure "none" is true.
        await this.probe();
        return null;
      }
      const manifest = decodeManifest(stored);
      if (manifest === null) return stored;
      if (manifest === undefined) break;
      const parts: string[] = [];
      for (let index = 1; index <= manifest.count; index += 1) {
        const part = await this.call((k) => k.getPassword(this.service, partAccount(account, manifest.slot, index)));
        if (part === null) break;
        parts.push(part);
      }
      const value = parts.join('');
      if (parts.length === manifest.count && value.length === manifest.length) return value;
    }
    throw new RolecallError('KEYCHAIN_ITEM_MISSING', `parts of keychain item "${account}" are missing or damaged`);
  }

  async set(account: string, value: string): Promise<void> {
    checkAccount(account);
    // keytar refuses an empty value, and a value that looks like a manifest must not be read as one.
    const inline = value !== '' && !value.startsWith(PARTS_MARKER) && Buffer.byteLength(value) <= this.maxItemBytes;
    if (inline) {
      await this.call((k) => k.setPassword(this.service, account, value));
      await this.deleteParts(account, 'a', 1);
      await this.deleteParts(account, 'b', 1);
      return;
    }
    const current = await this.call((k) => k.getPassword(this.service, account));
    const previous = current === null ? null : decodeManifest(current);
    const slot: PartSlot = previous?.slot === 'a' ? 'b' : 'a';
    const parts = splitUtf8(value, this.maxItemBytes);
    for (const [offset, part] of parts.entries()) {
      await this.call((k) => k.setPassword(this.service, partAccount(account, slot, offset + 1), part));
    }
    // An earlier, longer value may have left more parts in this slot.
    await this.deleteParts(account, slot, parts.length + 1);
    await this.call((k) => k.setPassword(this.service, account, encodeManifest({ slot, count: parts.length, length: value.length })));
    await this.deleteParts(account, otherSlot(slot), 1);
  }

  async delete(account: string): Promise<boolean> {
    checkAccount(account);
    // The manifest goes first so no reader finds it pointing at removed parts.
    const removed = await this.call((k) => k.deletePassword(this.service, account));
    const removedParts = (await this.deleteParts(account, 'a', 1)) + (await this.deleteParts(account, 'b', 1));
    if (!removed && removedParts === 0) {
      // As with get: a locked keyring also answers "nothing to delete".
      await this.probe();
      return false;
    }
    return true;
  }

  async probe(): Promise<void> {
    const account = `rolecall-probe-${randomUUID()}`;
    const token = randomUUID();
    await this.call((k) => k.setPassword(this.service, account, token));
    const readBack = await this.call((k) => k.getPassword(this.service, account));
    await this.call((k) => k.deletePassword(this.service, account));
    if (readBack !== token) {
      throw new RolecallError('KEYCHAIN_UNAVAILABLE', 'the keychain did not return the value just stored');
    }
  }

  /** Deletes parts from `fromIndex` on until one is missing (parts are always written from 1 upwards). */
  private async deleteParts(account: string, slot: PartSlot, fromIndex: number): Promise<number> {
    let removed = 0;
    for (let index = fromIndex; ; index += 1) {
      const deleted = await this.call((k) => k.deletePassword(this.service, partAccount(account, slot, index)));
      if (!deleted) return removed;
      removed += 1;
    }
  }

  private async call<R>(operation: (keytar: KeytarApi) => Promise<R>): Promise<R> {
    const keytar = await this.load();
    try {
      return await operation(keytar);
    } catch (error) {
      throw toKeychainError(error);
    }
  }

  private load(): Promise<KeytarApi> {
    this.keytar ??= this.loadKeytar().catch((error: unknown) => {
      this.keytar = undefined;
      const reason = error instanceof Error ? error.message : String(error);
      throw new RolecallError('KEYCHAIN_UNAVAILABLE', `the keychain module (keytar) could not be loaded: ${reason.slice(0, 300)}`, { cause: error, next: KEYTAR_MISSING_NEXT });
    });
    return this.keytar;
  }
}

function checkAccount(account: string): void {
  if (account === '' || account.includes('#')) {
    throw new RolecallError('INTERNAL', 'a keychain account name must be non-empty and must not contain "#"');
  }
}
