// Run as a separate process by keytar-secret-store.test.ts, with the D-Bus environment under test:
// performs one SecretStore operation and prints the outcome as JSON, including everything the error
// would show, so the test can check both the code and that no secret leaked into it.
import { KeytarSecretStore } from '../../../../src/core/secrets/keytar-secret-store';
import { isRolecallError } from '../../../../src/shared/errors';

const [operation, account] = process.argv.slice(2);
const store = new KeytarSecretStore({ service: process.env.RC_TEST_SERVICE ?? 'Rolecall-test' });
const value = process.env.RC_TEST_VALUE ?? '';

try {
  if (operation === 'set') await store.set(account!, value);
  else if (operation === 'get') await store.get(account!);
  else if (operation === 'delete') await store.delete(account!);
  else await store.probe();
  process.stdout.write(JSON.stringify({ ok: true }));
} catch (error) {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  process.stdout.write(JSON.stringify({
    ok: false,
    info: isRolecallError(error) ? error.toInfo() : undefined,
    text: String(error),
    stack: error instanceof Error ? error.stack : undefined,
    cause: cause ? `${cause.message}\n${cause.stack ?? ''}` : undefined,
  }));
}
