// `rolecall agent install|uninstall` on Linux, run as the built CLI in a temp home: the unit lands under
// XDG_CONFIG_HOME and passes systemd's verifier, uninstall removes exactly what install made, and a
// file Rolecall did not write is never replaced or removed. systemd's user manager cannot run here: a
// stand-in systemctl records what Rolecall asks of it.
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readFile, readdir, realpath, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_SERVICE_MARK } from '../../src/core/agent/login-service';
import { CLI_PATH, assertCliBuilt } from '../helpers/cli';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';

const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';
const hasSystemdAnalyze = spawnSync(SYSTEMD_ANALYZE, ['--version']).status === 0;

const envs: IsolatedEnv[] = [];
beforeAll(() => assertCliBuilt());
afterEach(async () => {
  await Promise.all(envs.splice(0).map((env) => env.stop()));
});

/** A temp home whose PATH has no systemctl (the CLI is started by node's absolute path). */
async function home(): Promise<IsolatedEnv & { unitPath: string; bin: string }> {
  const env = await createIsolatedEnv();
  envs.push(env);
  const bin = join(env.root, 'bin');
  await mkdir(bin);
  // As ~/.config, the configuration home exists before install.
  await mkdir(join(env.root, 'config home'));
  // env.cli runs with this very object.
  Object.assign(env.env, { PATH: bin, XDG_CONFIG_HOME: join(env.root, 'config home') });
  return Object.assign(env, { unitPath: join(env.root, 'config home', 'systemd', 'user', 'rolecall-agent.service'), bin });
}

async function tree(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true }).catch(() => []);
  return entries.map((entry) => relative(folder, join(folder, entry))).sort();
}

/** Stands in for systemctl: appends its arguments to a log; fails when told to. */
async function fakeSystemctl(env: IsolatedEnv & { bin: string }, exitCode = 0): Promise<string> {
  const log = join(env.root, 'systemctl.log');
  await writeFile(join(env.bin, 'systemctl'), `#!/bin/sh\necho "$*" >> '${log}'\n[ ${exitCode} = 0 ] || echo "Failed to connect to bus: No medium found" >&2\nexit ${exitCode}\n`);
  await chmod(join(env.bin, 'systemctl'), 0o755);
  // The user manager's private socket, which is how Rolecall tells a reachable one.
  await mkdir(join(env.env.XDG_RUNTIME_DIR as string, 'systemd'), { recursive: true });
  await writeFile(join(env.env.XDG_RUNTIME_DIR as string, 'systemd', 'private'), '');
  return log;
}

describe('rolecall agent install on Linux', () => {
  it('prints the unit with --dry-run and writes nothing', async () => {
    const env = await home();
    const before = await tree(env.root);
    const result = await env.cli(['agent', 'install', '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Would write ${env.unitPath}:`);
    expect(result.stdout).toContain('Restart=on-failure');
    expect(result.stdout).toContain('systemctl --user daemon-reload && systemctl --user enable --now rolecall-agent.service');
    expect(await tree(env.root)).toEqual(before);
  });

  it('writes a unit that starts this CLI\'s agent with the shell\'s Rolecall and AWS paths, and says what to run without systemctl', async () => {
    const env = await home();
    const result = await env.cli(['agent', 'install']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Wrote ${env.unitPath}.`);
    expect(result.stdout).toContain('systemctl --user daemon-reload && systemctl --user enable --now rolecall-agent.service');
    const unit = await readFile(env.unitPath, 'utf8');
    expect(unit.startsWith(`# ${LOGIN_SERVICE_MARK}\n`)).toBe(true);
    expect(unit).toContain(`ExecStart="${process.execPath}" "${await realpath(CLI_PATH)}" "agent" "--background"\n`);
    expect(unit).toContain(`Environment="ROLECALL_HOME=${env.dataDir}"\n`);
    expect(unit).toContain(`Environment="AWS_SHARED_CREDENTIALS_FILE=${env.credentialsFile}"\n`);
    expect(unit).toContain(`Environment="AWS_CONFIG_FILE=${env.configFile}"\n`);
    expect(unit).toContain(`Environment="XDG_CONFIG_HOME=${env.env.XDG_CONFIG_HOME}"\n`);
  });

  it.skipIf(!hasSystemdAnalyze)('writes a unit systemd-analyze verifies without a warning', async () => {
    const env = await home();
    expect((await env.cli(['agent', 'install'])).code).toBe(0);
    await mkdir(join(env.root, 'verify-runtime'), { mode: 0o700 });
    const verdict = spawnSync(SYSTEMD_ANALYZE, ['--user', 'verify', env.unitPath], { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: join(env.root, 'verify-runtime') } });
    expect(verdict.stderr).toBe('');
    expect(verdict.status).toBe(0);
  });

  it('uninstall removes exactly what install made', async () => {
    const env = await home();
    const before = await tree(env.root);
    expect((await env.cli(['agent', 'install'])).code).toBe(0);
    expect(await tree(env.root)).not.toEqual(before);
    const dryRun = await env.cli(['agent', 'uninstall', '--dry-run']);
    expect(dryRun.stdout).toBe(`Would remove ${env.unitPath}.\n`);
    const removed = await env.cli(['agent', 'uninstall']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`Removed ${env.unitPath}`);
    expect(await tree(env.root)).toEqual(before);
    const again = await env.cli(['agent', 'uninstall']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to remove');
  });

  it('removes the link `systemctl enable` made when the user ran the printed step, and keeps a folder in use', async () => {
    const env = await home();
    expect((await env.cli(['agent', 'install'])).code).toBe(0);
    const wants = join(env.unitPath, '..', 'default.target.wants');
    await mkdir(wants);
    spawnSync('ln', ['-s', env.unitPath, join(wants, 'rolecall-agent.service')]);
    await writeFile(join(wants, 'other.service'), '');
    expect((await env.cli(['agent', 'uninstall'])).code).toBe(0);
    expect(await readdir(wants)).toEqual(['other.service']);
  });

  it('never replaces or removes a unit it did not write', async () => {
    const env = await home();
    await mkdir(join(env.unitPath, '..'), { recursive: true });
    await writeFile(env.unitPath, '[Service]\nExecStart=/usr/local/bin/my-own-agent\n');
    for (const action of ['install', 'uninstall']) {
      const result = await env.cli(['agent', action]);
      expect(result.code, action).toBe(1);
      expect(result.stderr).toContain('[LOGIN_SERVICE_NOT_OURS]');
      expect(result.stderr).toContain(env.unitPath);
    }
    expect(await readFile(env.unitPath, 'utf8')).toBe('[Service]\nExecStart=/usr/local/bin/my-own-agent\n');
  });

  it('asks a reachable systemd to load, enable and start it, and to stop and forget it on uninstall', async () => {
    const env = await home();
    const log = await fakeSystemctl(env);
    const installed = await env.cli(['agent', 'install']);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toContain('the agent starts at each login');
    expect(await readFile(log, 'utf8')).toBe('--user daemon-reload\n--user enable --now rolecall-agent.service\n');
    const removed = await env.cli(['agent', 'uninstall']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(await readFile(log, 'utf8')).toBe('--user daemon-reload\n--user enable --now rolecall-agent.service\n--user disable --now rolecall-agent.service\n--user daemon-reload\n');
  });

  it('reports what systemd said when it refuses, keeping the unit for a later try', async () => {
    const env = await home();
    await fakeSystemctl(env, 1);
    const result = await env.cli(['agent', 'install']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[LOGIN_SERVICE_FAILED]');
    expect(result.stderr).toContain('systemctl --user daemon-reload: Failed to connect to bus: No medium found');
    expect(result.stderr).toContain(`the unit is written at ${env.unitPath}`);
    expect(await readFile(env.unitPath, 'utf8')).toContain(LOGIN_SERVICE_MARK);
  });

  it('is listed in rolecall agent --help', async () => {
    const env = await home();
    const help = await env.cli(['agent', '--help']);
    expect(help.stdout).toContain('rolecall agent install|uninstall [--dry-run]');
    const installHelp = await env.cli(['agent', 'install', '--help']);
    expect(installHelp.stdout).toContain('Usage: rolecall agent install [--dry-run]');
  });
});
