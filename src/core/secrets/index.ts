export type { SecretStore } from './secret-store';
export { SECRET_SERVICE } from './secret-store';
export type { KeytarApi, KeytarSecretStoreOptions } from './keytar-secret-store';
export { KeytarSecretStore, WINDOWS_MAX_ITEM_BYTES, defaultMaxItemBytes } from './keytar-secret-store';
export { toKeychainError } from './keychain-errors';
