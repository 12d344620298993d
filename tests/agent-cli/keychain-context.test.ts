// The agent's keychain context and its lifecycle commands, with the real CLI, real agent processes, the
// run's throwaway keyring and D-Bus session, and the sandbox. The two traps a new user hit: an agent
// started where no D-Bus session was reachable kept serving (and `profiles add` failed in a desktop
// terminal); an agent that outlived its D-Bus session answered "The connection is closed".
import { spawn } from 'node:child_process';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IniDocument, profileSection } from '../../src/core/awsfiles';
import type { Sandbox } from '../../src/sandbox/server';
import { CLI_PATH, assertCliBuilt, runCli, type CliResult } from '../helpers/cli';
import { pkiPath } from '../helpers/fixtures';
import { arnFlags, startFixtureSandbox } from '../helpers/fixture-sandbox';
import { createIsolatedEnv, type IsolatedEnv } from '../helpers/isolated-env';
import { agentPids, eventually } from './agent-processes';
import { addFixtureProfile, uniqueName } from './agent-profiles';

let sandbox: Sandbox;
const envs: IsolatedEnv[] = [];

async function isolatedEnv(extra: NodeJS.ProcessEnv = {}): Promise<IsolatedEnv> {
  const env = await createIsolatedEnv(extra);
  envs.push(env);
  return env;
}

beforeAll(() => {
  assertCliBuilt();
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error('Run these tests through scripts/test.mjs: they need its private D-Bus session and keyring.');
  return startFixtureSandbox().then((started) => {
    sandbox = started;
  });
});

afterEach(async () => {
  await Promise.all(envs.splice(0).map((env) => env.stop()));
});

afterAll(async () => {
  await sandbox?.stop();
});

const ecLeaf = ['--certificate', pkiPath('leaf-ec-p256.cert.pem'), '--private-key', pkiPath('leaf-ec-p256.key.pkcs8.pem'), '--intermediates', pkiPath('intermediate-ca.cert.pem')];

interface AgentStatus {
  readonly running: boolean;
  readonly pid?: number;
  readonly keychain?: string;
  readonly activeSessions?: number;
  readonly uptimeSeconds?: number;
  readonly version?: string;
}

function ok(result: CliResult): CliResult {
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

async function agentStatus(env: IsolatedEnv): Promise<AgentStatus> {
  return JSON.parse((await env.cli(['agent', 'status', '--json'])).stdout) as AgentStatus;
}

async function keyInFile(env: IsolatedEnv, name: string): Promise<string | undefined> {
  const text = await readFile(env.credentialsFile).catch(() => Buffer.alloc(0));
  return IniDocument.parse(text).get(profileSection('credentials', name), 'aws_access_key_id');
}

async function statusOf(env: IsolatedEnv, name: string): Promise<{ status: string; expiresAt?: string } | undefined> {
  const rows = JSON.parse(ok(await env.cli(['status', '--json'])).stdout) as { name: string; status: string; expiresAt?: string }[];
  return rows.find((row) => row.name === name);
}

/** The env as a shell without a D-Bus session sees it: an SDK's credential_process from a plain terminal or cron. */
function withoutSessionBus(env: IsolatedEnv): NodeJS.ProcessEnv {
  const plain = { ...env.env };
  delete plain.DBUS_SESSION_BUS_ADDRESS;
  delete plain.DISPLAY;
  return plain;
}

/** Runs `script` (sh) inside a D-Bus session of its own with its own unlocked keyring; the bus ends when it returns. */
function inOwnDbusSession(env: IsolatedEnv, script: string): Promise<CliResult> {
  const keyrings = join(env.root, 'own-session-data');
  return new Promise((resolve, reject) => {
    const child = spawn('dbus-run-session', ['--', 'sh', '-c', `printf %s own-session | gnome-keyring-daemon --unlock --components=secrets >/dev/null && ${script}`], {
      env: { ...env.env, XDG_DATA_HOME: keyrings, CLI: CLI_PATH, NODE: process.execPath },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Each test runs a dozen CLI processes and two or three agents: slow on a busy 2-core machine.
const SLOW = { timeout: 120_000 };

describe('rolecall agent status, stop and restart', SLOW, () => {
  it('status says when no agent runs, without starting one', async () => {
    const env = await isolatedEnv();
    const result = await env.cli(['agent', 'status', '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({ running: false, socket: env.socketPath });
    const text = await env.cli(['agent', 'status']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('No Rolecall agent is running');
    expect(await agentPids(env.dataDir)).toEqual([]);
  });

  it('status shows the agent: pid, version, uptime, a keychain it reaches, its active sessions', async () => {
    const env = await isolatedEnv();
    const name = uniqueName('shown');
    await addFixtureProfile(env, sandbox, name);
    ok(await env.cli(['activate', name]));
    const [pid] = await agentPids(env.dataDir);
    const status = await agentStatus(env);
    expect(status).toMatchObject({ running: true, pid, keychain: 'reachable', activeSessions: 1 });
    expect(status.uptimeSeconds).toBeGreaterThanOrEqual(0);
    const text = ok(await env.cli(['agent', 'status']));
    expect(text.stdout).toContain(`The background agent (pid ${pid}`);
    expect(text.stdout).toContain('sessions:  1 active of 1 profile');
  });

  it('stop ends the agent gracefully; the next command resumes its session without minting again', async () => {
    const env = await isolatedEnv();
    const name = uniqueName('stopped');
    await addFixtureProfile(env, sandbox, name);
    ok(await env.cli(['activate', name]));
    const key = await keyInFile(env, name);
    const before = await statusOf(env, name);
    const minted = sandbox.requests.count('CreateSession');

    const stopped = ok(await env.cli(['agent', 'stop']));
    expect(stopped.stdout).toMatch(/Stopped the background agent \(pid \d+\); its 1 active session resumes when the next command starts an agent/);
    expect(await agentPids(env.dataDir)).toEqual([]);
    expect(await stat(env.socketPath).catch(() => undefined)).toBeUndefined();
    // Stopping is not deactivating: what was delivered stays.
    expect(await keyInFile(env, name)).toBe(key);
    expect(ok(await env.cli(['agent', 'stop'])).stdout).toBe('No Rolecall agent was running.\n');

    expect(await statusOf(env, name)).toMatchObject({ status: 'active', expiresAt: before?.expiresAt });
    expect(sandbox.requests.count('CreateSession')).toBe(minted);
    expect(await agentPids(env.dataDir)).toHaveLength(1);
  });

  it('restart replaces the agent with one started from this shell, which resumes the session; one agent remains', async () => {
    const env = await isolatedEnv();
    const name = uniqueName('restarted');
    await addFixtureProfile(env, sandbox, name);
    ok(await env.cli(['activate', name]));
    const [oldPid] = await agentPids(env.dataDir);
    const minted = sandbox.requests.count('CreateSession');
    const restarted = ok(await env.cli(['agent', 'restart']));
    const pids = await agentPids(env.dataDir);
    expect(pids).toHaveLength(1);
    expect(pids[0]).not.toBe(oldPid);
    expect(restarted.stdout).toBe(`Stopped the agent (pid ${oldPid}) and started a new one (pid ${pids[0]}) from this shell's environment; 1 active session.\n`);
    expect(await statusOf(env, name)).toMatchObject({ status: 'active' });
    expect(sandbox.requests.count('CreateSession')).toBe(minted);
  });
});

describe('an agent never serves a keychain context worse than its caller\'s', SLOW, () => {
  it('an agent started without a D-Bus session is replaced by the next command that has one: profiles add works, the active session is kept, one agent remains', async () => {
    const env = await isolatedEnv();
    const active = uniqueName('kept');
    await addFixtureProfile(env, sandbox, active);
    ok(await env.cli(['activate', active]));
    const expiresAt = (await statusOf(env, active))?.expiresAt;
    expect(expiresAt).toBeDefined();
    const minted = sandbox.requests.count('CreateSession');
    ok(await env.cli(['agent', 'stop']));

    // An SDK's credential_process from a plain shell starts the agent: it cannot reach the keychain.
    const plain = withoutSessionBus(env);
    const fromPlain = await runCli(['credential-process', '--profile', active], { env: plain });
    const [stalePid] = await agentPids(env.dataDir);
    expect(stalePid).toBeGreaterThan(0);
    const seenFromPlain = JSON.parse((await runCli(['agent', 'status', '--json'], { env: plain })).stdout) as AgentStatus;
    expect(seenFromPlain).toMatchObject({ running: true, pid: stalePid, keychain: 'unreachable' });
    // The plain shell cannot do better, so it keeps that agent rather than start a second one.
    expect(await agentPids(env.dataDir)).toEqual([stalePid]);
    if (fromPlain.code !== 0) expect(fromPlain.stderr).toContain('KEYCHAIN_UNAVAILABLE');

    // From the desktop session: the agent hands over to one started here, and adding a key to the keychain works.
    const added = uniqueName('added');
    const add = await env.cli(['profiles', 'add', added, '--endpoint', sandbox.url, ...arnFlags(), ...ecLeaf, '--json']);
    expect(add.code, add.stderr).toBe(0);
    const pids = await agentPids(env.dataDir);
    expect(pids).toHaveLength(1);
    expect(pids[0]).not.toBe(stalePid);
    expect(await agentStatus(env)).toMatchObject({ pid: pids[0], keychain: 'reachable' });
    // No session lost: the new agent resumed the session activated before, the same one (same expiry),
    // and neither agent asked Roles Anywhere for another.
    expect(await statusOf(env, active)).toMatchObject({ status: 'active', expiresAt });
    expect(sandbox.requests.count('CreateSession')).toBe(minted);
    ok(await env.cli(['activate', added]));
    expect(sandbox.requests.count('CreateSession')).toBe(minted + 1);
    expect(await keyInFile(env, added)).toMatch(/^ASIA/);
  });

  it('doctor never says all is fine beside an agent without the keychain: it fails from a plain shell, and from a desktop shell it replaces the agent and says so', async () => {
    const env = await isolatedEnv();
    const plain = withoutSessionBus(env);
    ok(await runCli(['status'], { env: plain }));
    const [stalePid] = await agentPids(env.dataDir);

    const fromPlain = await runCli(['doctor', '--json'], { env: plain, timeoutMs: 60_000 });
    expect(fromPlain.code).toBe(1);
    const plainReport = JSON.parse(fromPlain.stdout) as { ok: boolean; agent: { pid: number; keychain: string }; checks: { name: string; status: string; detail: string }[] };
    expect(plainReport.ok).toBe(false);
    expect(plainReport.agent).toMatchObject({ pid: stalePid, keychain: 'unreachable' });
    expect(plainReport.checks.find((check) => check.name === 'agent keychain')).toMatchObject({ status: 'fail', detail: expect.stringContaining('neither the agent nor this shell reaches the keychain') });

    const fromDesktop = await env.cli(['doctor', '--json'], { timeoutMs: 60_000 });
    const report = JSON.parse(fromDesktop.stdout) as typeof plainReport;
    expect(fromDesktop.code, fromDesktop.stdout).toBe(0);
    expect(report.agent.keychain).toBe('reachable');
    expect(report.agent.pid).not.toBe(stalePid);
    expect(report.checks.find((check) => check.name === 'agent replaced')).toMatchObject({
      status: 'warn',
      detail: `the background agent that ran (pid ${stalePid}) could not reach the keychain; it handed over to one started from this shell (pid ${report.agent.pid}), which resumed its sessions`,
    });
    expect(await agentPids(env.dataDir)).toEqual([report.agent.pid]);
  });

  it('an agent whose keychain says "The connection is closed" exits, even before its bus watch looks again', async () => {
    // The watch looks only hourly here: the keychain's own error must be enough.
    const env = await isolatedEnv({ ROLECALL_AGENT_BUS_CHECK_MS: '3600000' });
    await mkdir(join(env.root, 'own-session-data'), { recursive: true });
    const inside = await inOwnDbusSession(env, '"$NODE" "$CLI" status --json >/dev/null && "$NODE" "$CLI" agent status --json');
    expect(inside.code, inside.stderr).toBe(0);
    const { pid } = JSON.parse(inside.stdout) as AgentStatus;
    expect(await agentPids(env.dataDir)).toEqual([pid]);

    // doctor makes the agent try its keychain: libsecret answers that its connection is closed.
    const doctor = await env.cli(['doctor', '--json'], { timeoutMs: 60_000 });
    expect(doctor.code).toBe(1);
    const report = JSON.parse(doctor.stdout) as { agent: { pid: number; keychain: string }; checks: { name: string; status: string; detail: string; next?: string }[] };
    expect(report.agent).toMatchObject({ pid, keychain: 'unreachable' });
    expect(report.checks.find((check) => check.name === 'agent keychain')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('The connection is closed'),
      next: 'Run `rolecall agent restart` from this shell: the new agent gets this shell\'s keychain and resumes every session.',
    });
    expect(await eventually(() => agentPids(env.dataDir), (pids) => pids.length === 0, 10_000)).toEqual([]);
    const log = await readFile(join(env.dataDir, 'logs', 'rolecall.log'), 'utf8');
    expect(log).toContain('the keychain\'s D-Bus connection has closed');

    const again = await env.cli(['doctor', '--json'], { timeoutMs: 60_000 });
    expect(again.code, again.stdout).toBe(0);
  });

  it('an agent whose D-Bus session ends exits on its own; the next command starts one that works', async () => {
    const env = await isolatedEnv({ ROLECALL_AGENT_BUS_CHECK_MS: '200' });
    await mkdir(join(env.root, 'own-session-data'), { recursive: true });
    const inside = await inOwnDbusSession(env, '"$NODE" "$CLI" status --json >/dev/null && "$NODE" "$CLI" agent status --json');
    expect(inside.code, inside.stderr).toBe(0);
    const seenInside = JSON.parse(inside.stdout) as AgentStatus;
    expect(seenInside).toMatchObject({ running: true, keychain: 'reachable' });
    // dbus-run-session has returned: its bus is gone, and with it the agent's keychain.
    expect(await eventually(() => agentPids(env.dataDir), (pids) => pids.length === 0, 5000)).toEqual([]);
    expect(await stat(env.socketPath).catch(() => undefined)).toBeUndefined();
    const log = await readFile(join(env.dataDir, 'logs', 'rolecall.log'), 'utf8').catch(() => '');
    expect(log).toContain('the D-Bus session bus the agent started with has gone');

    const name = uniqueName('after-bus');
    const add = await env.cli(['profiles', 'add', name, '--endpoint', sandbox.url, ...arnFlags(), ...ecLeaf]);
    expect(add.code, add.stderr).toBe(0);
    const pids = await agentPids(env.dataDir);
    expect(pids).toHaveLength(1);
    expect(pids[0]).not.toBe(seenInside.pid);
    expect(await agentStatus(env)).toMatchObject({ keychain: 'reachable' });
  });
});
