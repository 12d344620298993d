// Benchmarks that need a keychain re-run themselves inside a private D-Bus session with a throwaway
// gnome-keyring and a temp HOME, so they never touch the developer's own keychain or AWS files.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Call first: in the outer process it runs this script again inside the private session and exits. */
export function inPrivateKeyring(): void {
  if (process.env.ROLECALL_BENCH_KEYRING === '1') return;
  const home = mkdtempSync(join(tmpdir(), 'rolecall-bench-home-'));
  const script = process.argv[1] ?? '';
  const args = process.argv.slice(2).map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const inner = `printf %s bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "${process.execPath}" "${script}" ${args}`;
  const env: NodeJS.ProcessEnv = { ...process.env, ROLECALL_BENCH_KEYRING: '1', HOME: home, XDG_DATA_HOME: join(home, 'xdg-data') };
  delete env.DISPLAY;
  const result = spawnSync('dbus-run-session', ['--', 'sh', '-c', inner], { stdio: 'inherit', env });
  rmSync(home, { recursive: true, force: true });
  process.exit(result.status ?? 1);
}
