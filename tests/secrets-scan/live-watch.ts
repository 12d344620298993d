// Started by `npm test` (scripts/test.mjs) beside the suites: tests delete their temp folders when they
// finish, so the scan after them would see little. This watches the test HOME (TMPDIR is inside it) and
// reads every file as it is written, while it still exists, for the fixture keys and the secrets the
// sandbox has issued so far (the ledger is re-read as it grows). On SIGTERM it finishes the files still
// queued and writes its counts and findings (paths and which secret, never a secret) as JSON to argv[2].
import { watch } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { privateKeyNeedles, SecretsScanner, sessionSecretNeedles } from './scan';

const report = process.argv[2] ?? '';
const home = process.env.HOME ?? '';
const ledger = process.env.ROLECALL_SANDBOX_LEDGER ?? '';
const skipped = [join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'keyrings'), ledger, report];

const keys = await privateKeyNeedles(join(process.env.ROLECALL_TEST_ROOT ?? '.', 'tests', 'fixtures', 'pki'));
const scanner = new SecretsScanner(keys.needles, home);
let ledgerRead = 0;
let secrets = 0;
const pending = new Set<string>();
let watchErrors = 0;

async function readLedger(): Promise<void> {
  const text = await readFile(ledger, 'latin1').catch(() => '');
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  if (complete.length <= ledgerRead) return;
  const fresh = complete.slice(ledgerRead).split('\n').filter((line) => line !== '');
  ledgerRead = complete.length;
  secrets += fresh.length;
  scanner.add(sessionSecretNeedles(fresh));
}

async function drain(): Promise<void> {
  if (pending.size === 0) return;
  await readLedger();
  const paths = [...pending];
  pending.clear();
  for (const path of paths) await scanner.check(path);
}

function startWatching(): void {
  const watcher = watch(home, { recursive: true }, (_, file) => {
    if (file === null) return;
    const path = join(home, file.toString());
    if (!skipped.some((skip) => skip !== '' && (path === skip || path.startsWith(`${skip}/`)))) pending.add(path);
  });
  // Folders vanish while the recursive watch walks them; watch again rather than stop.
  watcher.on('error', () => {
    watchErrors += 1;
    watcher.close();
    setTimeout(startWatching, 50);
  });
}

startWatching();
let draining = Promise.resolve();
const timer = setInterval(() => {
  draining = draining.then(drain);
}, 200);
process.once('SIGTERM', () => {
  clearInterval(timer);
  void draining
    .then(drain)
    .then(() => writeFile(report, JSON.stringify({ files: scanner.files, bytes: scanner.bytes, secrets: keys.keys + secrets, watchErrors, findings: scanner.findings })))
    .then(() => process.exit(0));
});
