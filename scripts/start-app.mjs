#!/usr/bin/env node
// `npm start`: build and launch the desktop app. The Electron binary is downloaded by electron's own
// installer when missing (installs here skip it); when its host cannot be reached, say exactly that.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');

function electronBinaryPresent() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return false;
  return existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));
}

function run(command, args, env = process.env) {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
}

if (!existsSync(electronDir)) {
  console.error('rolecall: dependencies are not installed. Run `npm ci` first.');
  process.exit(1);
}
if (!electronBinaryPresent()) {
  console.log('The Electron binary is missing; downloading it with electron\'s installer…');
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  // The installer's own stack trace says little to a user; keep only its first line as the reason.
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], { cwd: root, env, stdio: ['inherit', 'inherit', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0 || !electronBinaryPresent()) {
    const reason = (result.stderr ?? '').split('\n').find((line) => line.trim() && !line.trim().startsWith('at '));
    if (reason) console.error(`electron's installer: ${reason.trim()}`);
    console.error(
      'rolecall: could not download the Electron binary (electron\'s installer fetches it from GitHub releases, ' +
        'or from ELECTRON_MIRROR if set). Check your network or proxy, or set ELECTRON_MIRROR to a mirror you can reach, ' +
        'then run `npm start` again. The CLI works without it: `node bin/rolecall.mjs --help`.',
    );
    process.exit(1);
  }
}
const build = run('npm', ['run', '--silent', 'build']);
if (build.status !== 0) process.exit(build.status ?? 1);
// Arguments for the app itself (`npm start -- --smoke`, `--hidden`) go after `--`: electron-vite hands
// those to Electron and would reject them as its own options.
const appArgs = process.argv.slice(2);
const launch = run(join(root, 'node_modules', '.bin', 'electron-vite'), ['preview', '--skipBuild', ...(appArgs.length > 0 ? ['--', ...appArgs] : [])]);
process.exit(launch.status ?? 1);
