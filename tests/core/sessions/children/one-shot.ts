// Run as a separate process by profile-lock.test.ts: one `credential-process --profile` style run that
// gets credentials through the keychain cache and the profile lock (or, with RC_NO_LOCK=1, through the
// cache alone, to show what the lock prevents). Prints {"ok":true,"accessKeyId":...} or the error code.
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '../../../../src/core/platform/clock';
import { KeytarSecretStore } from '../../../../src/core/secrets';
import { KeychainSessionCache, isFreshFor, oneShotCredentials } from '../../../../src/core/sessions';
import { isRolecallError } from '../../../../src/shared/errors';
import { loadSigningCredentials, SandboxMinter } from '../../../helpers/sandbox-minter';

const env = process.env;
const name = env.RC_PROFILE ?? 'dev';
const cache = new KeychainSessionCache(new KeytarSecretStore({ service: env.RC_SERVICE! }));
const minter = new SandboxMinter({ endpoint: env.RC_SANDBOX_URL!, clock: systemClock, signing: loadSigningCredentials(env.RC_CERT!, env.RC_KEY!) });
// Connect to the keychain first, so the race below is about minting, not about who connects fastest.
await cache.get('warm-up');
// A barrier: each child announces itself, then waits for all of them, so their attempts really race.
await writeFile(join(env.RC_BARRIER_DIR!, String(process.pid)), '');
while ((await readdir(env.RC_BARRIER_DIR!)).length < Number(env.RC_BARRIER_COUNT)) await new Promise((resolve) => setTimeout(resolve, 2));

async function withoutLock() {
  const cached = await cache.get(name);
  if (cached && isFreshFor({ obtainedAt: cached.obtainedAt, expiresAt: Date.parse(cached.credentials.expiration) }, Date.now(), 900_000)) return cached.credentials;
  const credentials = await minter.mint(name);
  await cache.set(name, { credentials, obtainedAt: Date.now() });
  return credentials;
}

try {
  const credentials = env.RC_NO_LOCK === '1' ? await withoutLock() : await oneShotCredentials(name, { minter, cache, clock: systemClock, dataDir: env.RC_DATA_DIR! });
  process.stdout.write(JSON.stringify({ ok: true, accessKeyId: credentials.accessKeyId }));
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, code: isRolecallError(error) ? error.code : String(error) }));
} finally {
  await minter.close();
}
