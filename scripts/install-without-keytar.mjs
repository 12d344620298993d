#!/usr/bin/env node
// Proves that keytar is optional: copies what `npm ci` needs into a temp folder, runs `npm ci` there with
// keytar's native build forced to fail (no compiler, no Node headers, no prebuilt binary), then checks
// that the install succeeded without keytar and that `npm run demo` works. Takes minutes (a whole
// install); run it by hand after changing dependencies: node scripts/install-without-keytar.mjs
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'rolecall-no-keytar-install-'));
const home = mkdtempSync(join(tmpdir(), 'rolecall-no-keytar-home-'));
for (const entry of ['package.json', 'package-lock.json', 'bin', 'scripts', 'src']) cpSync(join(root, entry), join(work, entry), { recursive: true });

const brokenBuild = {
  ...process.env,
  HOME: home,
  CC: '/bin/false',
  CXX: '/bin/false',
  npm_config_nodedir: join(work, 'no-node-headers'),
  npm_config_build_from_source: 'true',
};

function step(label, command, args, env) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: work, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`${label}: exit ${result.status} in ${seconds} s\n`);
  return result.status === 0;
}

let ok;
try {
  const installed = step('npm ci with keytar\'s build failing', 'npm', ['ci', '--no-audit', '--no-fund'], brokenBuild);
  const keytarInstalled = existsSync(join(work, 'node_modules', 'keytar'));
  process.stdout.write(`node_modules/keytar after the install: ${keytarInstalled ? 'present (its build did not fail?)' : 'absent'}\n`);
  ok = installed && !keytarInstalled && step('npm run demo without keytar', 'npm', ['run', 'demo'], { ...process.env, HOME: home });
} finally {
  rmSync(work, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
}
process.stdout.write(ok ? 'keytar is optional: the install and the demo work without it.\n' : 'FAILED\n');
process.exitCode = ok ? 0 : 1;
