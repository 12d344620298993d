// The PKCS#11 module (the vendor's .so/.dylib/.dll) through pkcs11js, an optional native addon imported
// only when a key on a token is used. A module is initialised once per process at a time, so every
// use of one module path runs alone: load, C_Initialize, the work, C_Finalize, unload. Starting fresh
// each time also sees a token plugged in (or out) since the last use.
import type * as Pkcs11Js from 'pkcs11js';
import { RolecallError, isRolecallError } from '../../shared/errors';

export type Pkcs11Binding = typeof Pkcs11Js;
export type Pkcs11Module = InstanceType<Pkcs11Binding['PKCS11']>;

/** p11-kit's proxy, as the reference client uses: it shows every module the system has registered. */
export function defaultModulePath(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'p11-kit-proxy.dylib';
  if (platform === 'win32') return 'p11-kit-proxy.dll';
  return 'p11-kit-proxy.so';
}

let binding: Promise<Pkcs11Binding> | undefined;

async function loadBinding(): Promise<Pkcs11Binding> {
  binding ??= import('pkcs11js')
    .then((imported: Pkcs11Binding & { default?: Pkcs11Binding }) => imported.default ?? imported)
    .catch((error: unknown) => {
      binding = undefined;
      throw new RolecallError('PKCS11_SUPPORT_MISSING', error instanceof Error ? error.message.split('\n')[0] : undefined);
    });
  return binding;
}

const queues = new Map<string, Promise<unknown>>();

/** Runs `use` with the module at `modulePath` initialised, after any other use of that module ends. */
export function withModule<T>(modulePath: string, use: (module: Pkcs11Module, api: Pkcs11Binding) => Promise<T>): Promise<T> {
  const previous = queues.get(modulePath) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => openAndUse(modulePath, use));
  const settled = run.catch(() => undefined);
  queues.set(modulePath, settled);
  void settled.then(() => {
    if (queues.get(modulePath) === settled) queues.delete(modulePath);
  });
  return run;
}

async function openAndUse<T>(modulePath: string, use: (module: Pkcs11Module, api: Pkcs11Binding) => Promise<T>): Promise<T> {
  const api = await loadBinding();
  const module = new api.PKCS11();
  try {
    module.load(modulePath);
  } catch (error) {
    throw new RolecallError('PKCS11_MODULE_UNLOADABLE', `${modulePath}: ${error instanceof Error ? error.message.split('\n')[0] : 'load failed'}`);
  }
  try {
    try {
      module.C_Initialize();
    } catch (error) {
      throw tokenError(error, `initialising ${modulePath}`);
    }
    try {
      return await use(module, api);
    } finally {
      try {
        module.C_Finalize();
      } catch {
        // A module whose token vanished may refuse to finalise; unloading below still frees it.
      }
    }
  } finally {
    module.close();
  }
}

const REMOVED = new Set(['CKR_TOKEN_NOT_PRESENT', 'CKR_DEVICE_REMOVED', 'CKR_SLOT_ID_INVALID', 'CKR_SESSION_HANDLE_INVALID', 'CKR_SESSION_CLOSED', 'CKR_DEVICE_ERROR', 'CKR_TOKEN_NOT_RECOGNIZED', 'CKR_OBJECT_HANDLE_INVALID', 'CKR_KEY_HANDLE_INVALID']);

/** The CKR_ name of a pkcs11js failure, if it is one. */
export function returnValueName(error: unknown): string | undefined {
  return error instanceof Error && /^CKR_\w+$/.test(error.message) ? error.message : undefined;
}

/** A failure from the module as a typed error; `doing` says what Rolecall was doing (never a secret). */
export function tokenError(error: unknown, doing: string): RolecallError {
  if (isRolecallError(error)) return error;
  const name = returnValueName(error);
  if (name === 'CKR_PIN_LOCKED') return new RolecallError('PKCS11_PIN_LOCKED', doing);
  if (name !== undefined && REMOVED.has(name)) return new RolecallError('PKCS11_TOKEN_REMOVED', `${name} while ${doing}`);
  return new RolecallError('PKCS11_FAILED', `${name ?? (error instanceof Error ? error.message.split('\n')[0] : 'unknown failure')} while ${doing}`);
}
