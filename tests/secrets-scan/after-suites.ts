// Run by `npm test` (scripts/test.mjs) after vitest and Playwright, bundled with esbuild: scans what the
// suites left in the test run's HOME (Rolecall's data folders, logs, AWS files, and every temp file,
// since TMPDIR points inside it) and Playwright's output for the fixture keys and the sandbox's issued
// secrets, and adds what the watcher found while they ran (live-watch.ts, ROLECALL_SCAN_LIVE_REPORT).
// Prints what it checked; on a find, prints the file and which secret (never the secret) and exits 1.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ledgerNeedles, privateKeyNeedles, scanForSecrets, type Finding } from './scan';

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
const liveReport = process.env.ROLECALL_SCAN_LIVE_REPORT;
const live = liveReport && existsSync(liveReport) ? (JSON.parse(readFileSync(liveReport, 'utf8')) as { files: number; bytes: number; findings: Finding[] }) : undefined;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
console.log(
  `secrets scan: ${live ? `${live.files} file versions (${mib(live.bytes)}) read as the suites wrote them, ` : ''}` +
    `${result.files} files (${mib(result.bytes)}) left after them; checked for ${keys.keys} fixture private keys and ${sessions.secrets} session secrets the sandbox issued`,
);
const findings = [...new Map([...(live?.findings ?? []), ...result.findings].map((finding) => [`${finding.path}\0${finding.what}`, finding])).values()];
for (const finding of findings) console.log(`  ✗ ${finding.path}: ${finding.what}`);
if (findings.length > 0) {
  console.log(`${findings.length} secret(s) found outside the places design.md allows (keychain, credentials file, command output).`);
  process.exit(1);
}
