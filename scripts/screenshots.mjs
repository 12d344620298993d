#!/usr/bin/env node
// `npm run screenshots`: refreshes the committed pictures in tests/e2e/screenshots on purpose. A plain
// `npm test` writes its screenshots to test-results/screenshots (not committed), so a test run never
// leaves the checkout dirty; this builds the window and runs the browser tests with the committed folder
// as their screenshot folder, in the same private sandbox as `npm test`. Review the changes with
// `git diff --stat tests/e2e/screenshots` and an image viewer before committing them.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (command, args, env = process.env) => spawnSync(command, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;

const built = run(join(root, 'node_modules', '.bin', 'electron-vite'), ['build']);
if (built !== 0) process.exit(built);
const status = run(process.execPath, [join(root, 'scripts', 'test.mjs'), '--browser', '--project=browser', ...process.argv.slice(2)], {
  ...process.env,
  ROLECALL_SCREENSHOTS_DIR: join(root, 'tests', 'e2e', 'screenshots'),
});
process.exit(status);
