#!/usr/bin/env node
// `npm test`: typecheck, lint, build, then every test inside a private D-Bus session with a throwaway
// gnome-keyring, a temp HOME and temp AWS file paths, so no test can touch the developer's own keychain
// or ~/.aws (design.md). Extra arguments go to vitest (e.g. `npm test -- tests/core/pki`); with --browser
// only the Playwright tests run, in the same sandbox, and extra arguments go to Playwright instead (e.g.
// `node scripts/test.mjs --browser tests/e2e/smoke.spec.ts`; build the renderer first).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const browserOnly = args.includes('--browser');
const vitestArgs = args.filter((a) => a !== '--quick' && a !== '--browser');

function step(title, command, commandArgs, env = process.env) {
  const started = Date.now();
  process.stdout.write(`\n▶ ${title}\n`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    process.stdout.write(`✖ ${title} failed after ${seconds}s\n`);
    process.exit(result.status ?? 1);
  }
  process.stdout.write(`✔ ${title} (${seconds}s)\n`);
}

function requireCommand(name, pkg) {
  const found = spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
  if (!found) {
    console.error(`✖ ${name} is missing. Install the test dependencies: sudo apt-get install -y --no-install-recommends ${pkg}  (or run bash .ci/run)`);
    process.exit(1);
  }
}

const npx = (bin) => join(root, 'node_modules', '.bin', bin);

if (!quick && !browserOnly) {
  step('typecheck', npx('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']);
  step('typecheck (renderer)', npx('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']);
  step('lint', npx('eslint'), ['.']);
  step('build', 'npm', ['run', '--silent', 'build']);
}

requireCommand('dbus-run-session', 'dbus');
requireCommand('gnome-keyring-daemon', 'gnome-keyring');

// Not "rolecall-test…": that is the fixtures' password, and tests check no path or output contains it.
const sandboxHome = mkdtempSync(join(tmpdir(), 'rolecall-home-'));
for (const sub of ['data', '.aws', 'xdg-data', 'xdg-config', 'rolecall', 'run', 'tmp']) mkdirSync(join(sandboxHome, sub), { recursive: true });
const env = {
  ...process.env,
  HOME: sandboxHome,
  XDG_DATA_HOME: join(sandboxHome, 'xdg-data'),
  XDG_CONFIG_HOME: join(sandboxHome, 'xdg-config'),
  ROLECALL_HOME: join(sandboxHome, 'rolecall'),
  XDG_RUNTIME_DIR: join(sandboxHome, 'run'),
  AWS_SHARED_CREDENTIALS_FILE: join(sandboxHome, '.aws', 'credentials'),
  AWS_CONFIG_FILE: join(sandboxHome, '.aws', 'config'),
  AWS_EC2_METADATA_DISABLED: 'true',
  npm_config_nodedir: '/usr',
  NO_COLOR: '1',
  ROLECALL_TEST_ROOT: root,
  // Every temp file the tests and the processes they start make lands inside the test HOME, where the
  // secrets scan reads it; every secret the sandbox issues is listed for that scan.
  TMPDIR: join(sandboxHome, 'tmp'),
  ROLECALL_SANDBOX_LEDGER: join(sandboxHome, 'sandbox-ledger'),
  // Only the Electron app test (tests/electron) opens windows, on the display it was started with
  // (`xvfb-run npm test` on CI); every other test runs without one.
  ...(process.env.DISPLAY ? { ROLECALL_ELECTRON_DISPLAY: process.env.DISPLAY } : {}),
};
delete env.DISPLAY;
delete env.AWS_PROFILE;
delete env.AWS_DEFAULT_PROFILE;
delete env.AWS_ACCESS_KEY_ID;
delete env.AWS_SECRET_ACCESS_KEY;
delete env.AWS_SESSION_TOKEN;

// Each runner also writes a JSON report, so the run ends with one plain "N passed, N failed" line.
const vitestReport = join(sandboxHome, 'vitest.json');
const playwrightReport = join(sandboxHome, 'playwright.json');
const quote = (a) => `'${a.replace(/'/g, `'\\''`)}'`;
// The keyring daemon must be unlocked before any test runs, or the "login" collection does not exist.
const unlock = 'printf %s rolecall-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null';
const inner = `${unlock} && exec "${npx('vitest')}" run --reporter=default --reporter=json --outputFile.json=${quote(vitestReport)} ${vitestArgs.map(quote).join(' ')}`;
const scan = await startSecretsScan();
try {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  if (!browserOnly) {
    step('tests (private D-Bus session, throwaway keyring)', 'dbus-run-session', ['--', 'sh', '-c', inner], env);
    Object.assign(totals, vitestTotals(vitestReport));
  }
  if (browserOnly || (!quick && vitestArgs.length === 0 && existsSync(join(root, 'playwright.config.ts')))) {
    const playwrightArgs = browserOnly ? vitestArgs.map(quote).join(' ') : '';
    step('browser tests (Debian Chromium)', 'dbus-run-session', ['--', 'sh', '-c', `${unlock} && exec "${npx('playwright')}" test --reporter=list,json ${playwrightArgs}`], {
      ...env,
      PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport,
    });
    const browser = playwrightTotals(playwrightReport);
    for (const key of Object.keys(totals)) totals[key] += browser[key];
  }
  await scan.finish();
  console.log(`\nall tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
} finally {
  rmSync(sandboxHome, { recursive: true, force: true });
}

/**
 * No fixture key or issued session secret anywhere the suites wrote (tests/secrets-scan): a watcher reads
 * files as they are written while the suites run (they delete their temp folders), and a last pass reads
 * what they left.
 */
async function startSecretsScan() {
  const { build } = await import('esbuild');
  const tools = join(sandboxHome, 'secrets-scan');
  const bundle = (name) =>
    build({ entryPoints: [join(root, 'tests', 'secrets-scan', `${name}.ts`)], outfile: join(tools, `${name}.mjs`), bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
  await Promise.all([bundle('live-watch'), bundle('after-suites')]);
  const liveReport = join(tools, 'live.json');
  const live = spawn(process.execPath, [join(tools, 'live-watch.mjs'), liveReport], { cwd: root, env, stdio: 'inherit' });
  process.once('exit', () => live.kill('SIGTERM'));
  return {
    async finish() {
      const stopped = new Promise((resolve) => live.once('exit', resolve));
      live.kill('SIGTERM');
      await stopped;
      step('secrets scan', process.execPath, [join(tools, 'after-suites.mjs')], { ...env, ROLECALL_SCAN_LIVE_REPORT: liveReport });
    },
  };
}

function vitestTotals(path) {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests };
}

function playwrightTotals(path) {
  const { stats, suites } = JSON.parse(readFileSync(path, 'utf8'));
  // The list reporter leaves out why a test was skipped (the Electron app test without Electron, say).
  for (const { title, reason } of skipReasons(suites ?? [])) console.log(`skipped: ${title} — ${reason}`);
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped };
}

function skipReasons(suites) {
  return suites.flatMap((suite) => [
    ...(suite.specs ?? []).flatMap((spec) =>
      (spec.tests ?? [])
        .filter((run) => run.status === 'skipped')
        .map((run) => ({ title: `${spec.file}: ${spec.title}`, reason: run.annotations?.find((note) => note.type === 'skip')?.description ?? 'no reason given' })),
    ),
    ...skipReasons(suite.suites ?? []),
  ]);
}
