// Run by `npm test` (scripts/test.mjs) after vitest and Playwright, bundled with esbuild: scans the test
// run's HOME (Rolecall's data folders, logs, AWS files, and every temp file, since TMPDIR points inside
// it) and Playwright's output for the fixture keys and the sandbox's issued secrets. Prints what it
// checked; on a find, prints the file and which secret (never the secret) and exits 1.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ledgerNeedles, privateKeyNeedles, scanForSecrets } from './scan';

const home = process.env.HOME ?? '';
const root = process.env.ROLECALL_TEST_ROOT ?? '.';
const ledger = process.env.ROLECALL_SANDBOX_LEDGER ?? '';
const keyring = join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'keyrings');

const keys = await privateKeyNeedles(join(root, 'tests', 'fixtures', 'pki'));
const sessions = await ledgerNeedles(ledger);
const playwrightOutput = join(root, 'test-results');
const result = await scanForSecrets({
  roots: [home, ...(existsSync(playwrightOutput) ? [playwrightOutput] : [])],
  needles: [...keys.needles, ...sessions.needles],
  secrets: keys.keys + sessions.secrets,
  // The keychain is where secrets belong; the ledger is the list of them.
  skip: [keyring, ledger],
});
console.log(
  `secrets scan: ${result.files} files (${(result.bytes / 1024 / 1024).toFixed(1)} MiB) checked for ${keys.keys} fixture private keys and ${sessions.secrets} session secrets the sandbox issued`,
);
for (const finding of result.findings) console.log(`  ✗ ${finding.path}: ${finding.what}`);
if (result.findings.length > 0) {
  console.log(`${result.findings.length} secret(s) found outside the places design.md allows (keychain, credentials file, command output).`);
  process.exit(1);
}
