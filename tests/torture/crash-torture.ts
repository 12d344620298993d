// Crash torture (issue 8): a real `rolecall agent` refreshing several short-lived sessions into the AWS
// files is SIGKILLed at a random moment (or the moment a write begins) while `/usr/bin/aws configure set`
// edits other sections of the same files. After each kill and again after the next agent has started:
// both files parse, every foreign line is there in order, no section is duplicated or half-written, and
// every profile that was active is still active. Shared by the short test (tests/torture) and the long
// benchmark (bench/torture.bench.ts). It needs the keychain of a private D-Bus session.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentSocketPathFor, connectAgent, type AgentClient } from '../../src/core/agent';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { privateKeyNeedles, scanForSecrets, sessionSecretNeedles, type ScanResult } from '../secrets-scan/scan';

export const AWS_CLI = '/usr/bin/aws';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/Torture';
const FILE_PROFILES = ['rc-0', 'rc-1', 'rc-2', 'rc-3'];
const PROCESS_PROFILE = 'rc-process';
const FOREIGN_PROFILES = ['foreign-0', 'foreign-1', 'foreign-2'];
/** Statuses of a profile being served. */
const SERVED = new Set(['active', 'refreshing', 'activating']);

interface StatusSeen {
  readonly status: string;
  readonly code?: string;
}

const describeStatus = (seen: StatusSeen | undefined) => (seen === undefined ? 'missing' : seen.code ? `${seen.status} (${seen.code})` : seen.status);

export interface TortureOptions {
  /** The project root (bin/rolecall.mjs, tests/fixtures/pki). */
  readonly root: string;
  /**
   * Lifetime of the sandbox's credentials (default 5 s): short, so the agent rewrites the file all the
   * time. Not shorter: the agent rightly refuses credentials with under 1 s left, and on a loaded 2-core
   * machine an answer can take that long, while the Date header's whole seconds cost up to 1 s more.
   */
  readonly shortLivedSeconds?: number;
  /** Random kills land within this long after the foreign edit starts. */
  readonly killWindowMs?: number;
  /** How long a restarted agent may take to serve every profile again (a killed writer's lock goes stale after 10 s). */
  readonly recoveryGraceMs?: number;
}

export interface RoundResult {
  readonly round: number;
  readonly aimed: boolean;
  /** A temp file or a lock of the killed agent was left: the kill interrupted a write. */
  readonly killDuringWrite: boolean;
  /** Time from spawning the new agent to its first `status --json` answer. */
  readonly restartMs: number;
  /** Profiles not served at that first answer (failed or expired while the agent recovers). */
  readonly notServingAtRestart: number;
  /** Time from spawning the new agent until `status --json` showed every profile served again. */
  readonly recoveredMs: number;
  /** Profiles inactive after the restart, or not served again within the grace period. */
  readonly lostActivations: number;
  readonly violations: readonly string[];
}

export interface TortureWorld {
  readonly root: string;
  readonly sandbox: Sandbox;
  /** One kill and restart; the kill lands at a random moment or as a write begins, alternating in pairs of rounds. */
  runRound(round: number): Promise<RoundResult>;
  /** Temp files a killed agent left in the AWS folder (they hold a whole credentials file). */
  leftoverTempFiles(): Promise<number>;
  /** The secrets scan over the world (the killed agents' logs and data, the AWS folder, sockets). */
  scanSecrets(): Promise<ScanResult>;
  close(): Promise<void>;
}

// --- the foreign content and what the aws CLI does to it -----------------------------------------

interface Section {
  readonly header: string;
  readonly lines: string[];
}

/** The foreign part of one file as the aws CLI leaves it: comments and sections in order. */
class ForeignModel {
  constructor(
    readonly preamble: string[],
    readonly sections: Section[],
  ) {}

  /** `aws configure set KEY VALUE`: replace the key's line, else add it at the section's end, else a new section at the end. */
  set(header: string, key: string, value: string): void {
    let section = this.sections.find((candidate) => candidate.header === header);
    if (!section) {
      section = { header, lines: [] };
      this.sections.push(section);
    }
    const line = `${key} = ${value}`;
    const index = section.lines.findIndex((existing) => existing.split('=')[0]?.trim() === key);
    if (index >= 0) section.lines[index] = line;
    else section.lines.push(line);
  }

  lines(): string[] {
    return [...this.preamble, ...this.sections.flatMap((section) => [section.header, ...section.lines])];
  }
}

function initialCredentials(): ForeignModel {
  return new ForeignModel(
    ['# Team credentials: Rolecall owns none of these lines.'],
    FOREIGN_PROFILES.slice(0, 2).map((name, i) => ({
      header: `[${name}]`,
      lines: [`; static keys of ${name}`, `aws_access_key_id = AKIAFOREIGN${String(i).padStart(9, '0')}`, `aws_secret_access_key = foreign/static/${i}`],
    })),
  );
}

function initialConfig(): ForeignModel {
  return new ForeignModel(
    ['# My AWS config: comments, order and unknown keys stay.'],
    [
      { header: '[default]', lines: ['region = eu-west-1', 'output = json'] },
      { header: '[profile foreign-0]', lines: ['# the team role', 'region = us-west-2', 'cli_pager ='] },
    ],
  );
}

/** Round r's foreign edit: a new key in the config file, or a changed (or new) key id in the credentials file. */
function foreignEdit(round: number): { file: 'config' | 'credentials'; header: string; key: string; value: string; args: string[] } {
  const profile = FOREIGN_PROFILES[round % FOREIGN_PROFILES.length] ?? 'foreign-0';
  if (round % 2 === 0) {
    const key = `torture_${round}`;
    const value = `value-${round}`;
    return { file: 'config', header: `[profile ${profile}]`, key, value, args: ['configure', 'set', key, value, '--profile', profile] };
  }
  const value = `AKIATORTURE${String(round).padStart(9, '0')}`;
  return { file: 'credentials', header: `[${profile}]`, key: 'aws_access_key_id', value, args: ['configure', 'set', 'aws_access_key_id', value, '--profile', profile] };
}

// --- checks ------------------------------------------------------------------------------------------

const SECRET_KEYS = /^\s*(aws_secret_access_key|aws_session_token)\s*=.*/;
/** A line fit for a report: the values of secret keys are never printed. */
function shown(line: string | undefined): string {
  if (line === undefined) return '(nothing)';
  return JSON.stringify(line.replace(SECRET_KEYS, '$1 = …'));
}

const LINE_SHAPES = [/^\s*$/, /^\s*[#;]/, /^\[[^\][]+\]\s*$/, /^[A-Za-z0-9_.-]+\s*=.*$/, /^\s+\S/];

/** What is wrong with one file: shapes, duplicate sections, foreign lines, Rolecall's own sections. */
export function checkFile(
  label: string,
  text: string,
  model: ForeignModel,
  owned: ReadonlyMap<string, readonly string[]>,
  forbidden: readonly string[],
): string[] {
  const problems: string[] = [];
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const headers = new Map<string, number>();
  const foreign: string[] = [];
  const ownedKeys = new Map<string, string[]>();
  let current: string | undefined;
  lines.forEach((line, index) => {
    if (!LINE_SHAPES.some((shape) => shape.test(line))) problems.push(`${label}: line ${index + 1} does not parse: ${shown(line)}`);
    if (/^\[.*\]\s*$/.test(line)) {
      current = line.trim();
      headers.set(current, (headers.get(current) ?? 0) + 1);
      if (forbidden.includes(current)) problems.push(`${label}: ${current} must not be in this file`);
      if (owned.has(current)) return;
    }
    if (current !== undefined && owned.has(current)) {
      if (line.trim() !== '') ownedKeys.set(current, [...(ownedKeys.get(current) ?? []), line]);
      return;
    }
    if (line.trim() !== '') foreign.push(line);
  });
  for (const [header, count] of headers) if (count > 1) problems.push(`${label}: ${header} appears ${count} times`);
  const expected = model.lines();
  const length = Math.max(expected.length, foreign.length);
  for (let i = 0; i < length; i += 1) {
    if (expected[i] !== foreign[i]) {
      problems.push(`${label}: foreign line ${i + 1} is ${shown(foreign[i])}, expected ${shown(expected[i])}`);
      break;
    }
  }
  for (const [header, keys] of owned) {
    const found = ownedKeys.get(header);
    if (!headers.has(header)) {
      problems.push(`${label}: ${header} is missing`);
      continue;
    }
    const names = (found ?? []).map((line) => line.split('=')[0]?.trim() ?? '');
    const empty = (found ?? []).filter((line) => (line.split('=').slice(1).join('=').trim() ?? '') === '');
    if (names.join(',') !== keys.join(',') || empty.length > 0) problems.push(`${label}: ${header} is half-written: keys ${names.join(', ') || '(none)'}`);
  }
  return problems;
}

// --- processes -------------------------------------------------------------------------------------

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export async function startTortureWorld(options: TortureOptions): Promise<TortureWorld> {
  const root = await mkdtemp(join(tmpdir(), 'rolecall-torture-'));
  const awsDir = join(root, '.aws');
  const dataDir = join(root, 'data');
  await Promise.all([mkdir(awsDir, { recursive: true }), mkdir(join(root, 'run'), { recursive: true, mode: 0o700 })]);
  const credentialsFile = join(awsDir, 'credentials');
  const configFile = join(awsDir, 'config');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: root,
    ROLECALL_HOME: dataDir,
    XDG_RUNTIME_DIR: join(root, 'run'),
    XDG_CONFIG_HOME: join(root, '.config'),
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    AWS_CONFIG_FILE: configFile,
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_COLOR: '1',
  };
  for (const name of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION']) delete env[name];
  const socketPath = agentSocketPathFor(dataDir, env);
  const cli = join(options.root, 'bin', 'rolecall.mjs');
  const pki = (name: string) => join(options.root, 'tests', 'fixtures', 'pki', name);

  const credentialsModel = initialCredentials();
  const configModel = initialConfig();
  const render = (model: ForeignModel) => `${model.preamble.join('\n')}\n${model.sections.map((s) => [s.header, ...s.lines].join('\n')).join('\n\n')}\n`;
  await writeFile(credentialsFile, render(credentialsModel), { mode: 0o600 });
  await writeFile(configFile, render(configModel), { mode: 0o600 });

  const sandbox = await startSandbox({
    trustAnchors: [{ id: '0b1e5a3c-0000-4000-8000-000000000001', caPem: await readFile(pki('root-ca.cert.pem'), 'utf8') }],
    profiles: [{ id: '0b1e5a3c-0000-4000-8000-000000000002', roleArns: [ROLE_ARN], acceptRoleSessionName: true }],
    roles: [{ arn: ROLE_ARN, maxSessionDurationSeconds: 43200 }],
  });
  sandbox.switches.shortLivedSeconds = options.shortLivedSeconds ?? 5;

  let agent: { child: ChildProcess; startedAt: number } | undefined;
  const agentLog: string[] = [];
  const spawnAgent = () => {
    const child = spawn(process.execPath, [cli, 'agent'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      agentLog.push(chunk);
      if (agentLog.length > 20) agentLog.shift();
    });
    agent = { child, startedAt: Date.now() };
    return agent;
  };
  const untilAnswering = async (): Promise<AgentClient> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        return await connectAgent(socketPath, { timeoutMs: 2000 });
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`the agent did not answer within 20 s: ${agentLog.join('')}`, { cause: error });
        await sleep(20);
      }
    }
  };
  const statuses = async (): Promise<Map<string, StatusSeen>> => {
    const result = await run(process.execPath, [cli, 'status', '--json'], env);
    if (result.code !== 0) throw new Error(`rolecall status --json failed: ${result.stderr}`);
    const profiles = JSON.parse(result.stdout) as { name: string; status: string; lastError?: { code: string } }[];
    return new Map(profiles.map((profile) => [profile.name, { status: profile.status, ...(profile.lastError && { code: profile.lastError.code }) }]));
  };

  // Set up: profiles added and activated through a first agent.
  spawnAgent();
  const client = await untilAnswering();
  try {
    for (const name of [...FILE_PROFILES, PROCESS_PROFILE]) {
      const draft = await client.call('drafts.open', { certificatePath: pki('leaf-ec-p256.cert.pem'), privateKeyPath: pki('leaf-ec-p256.key.pkcs8.pem'), intermediatesPath: pki('intermediate-ca.cert.pem') });
      await client.call('profiles.add', {
        name,
        draftId: draft.draftId,
        trustAnchorArn: sandbox.config.trustAnchors[0]?.arn ?? '',
        profileArn: sandbox.config.profiles[0]?.arn ?? '',
        roleArn: ROLE_ARN,
        endpoint: sandbox.url,
        delivery: name === PROCESS_PROFILE ? 'process' : 'file',
      });
      await client.call('sessions.activate', { name });
    }
  } finally {
    await client.close();
  }

  const ownedCredentials = new Map(FILE_PROFILES.map((name) => [`[${name}]`, ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token']] as const));
  const ownedConfig = new Map([[`[profile ${PROCESS_PROFILE}]`, ['credential_process']] as const]);
  const checkFiles = async (when: string): Promise<string[]> => {
    const [credentials, config] = await Promise.all([readFile(credentialsFile, 'utf8'), readFile(configFile, 'utf8')]);
    return [
      ...checkFile(`${when}, credentials`, credentials, credentialsModel, ownedCredentials, [`[${PROCESS_PROFILE}]`]),
      ...checkFile(`${when}, config`, config, configModel, ownedConfig, FILE_PROFILES.map((name) => `[profile ${name}]`)),
    ];
  };

  /** Resolves when a write begins in the AWS folder (a lock or a temp file appears), or after `ms`. */
  const writeBegins = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const watchers: FSWatcher[] = [];
      const done = () => {
        clearTimeout(timer);
        for (const watcher of watchers) watcher.close();
        resolve();
      };
      const timer = setTimeout(done, ms);
      watchers.push(
        watch(awsDir, (_, file) => {
          // The same event reports a removal: only a file that exists now marks a write in progress.
          if (file !== null && (file.endsWith('.lock') || file.includes('.rolecall-')) && existsSync(join(awsDir, file))) done();
        }),
      );
    });

  /** Whether the killed agent left a write behind: its temp file, or a lock taken while it ran. */
  const interruptedWrite = async (pid: number, startedAt: number): Promise<boolean> => {
    for (const file of await readdir(awsDir)) {
      if (file.includes(`.rolecall-${pid}-`)) return true;
      if (file.endsWith('.lock')) {
        const lock = await stat(join(awsDir, file)).catch(() => undefined);
        if (lock && lock.mtimeMs >= startedAt - 5) return true;
      }
    }
    return false;
  };

  return {
    root,
    sandbox,
    async runRound(round) {
      const violations: string[] = [];
      const current = agent;
      if (!current?.child.pid) throw new Error('no agent is running');
      const pid = current.child.pid;
      const edit = foreignEdit(round);
      const awsRun = run(AWS_CLI, edit.args, env);
      // Half the rounds aim at a write in progress, half kill at a random moment (each with both files edited).
      const aimed = Math.floor(round / 2) % 2 === 1;
      if (aimed) await writeBegins(3000);
      else await sleep(Math.random() * (options.killWindowMs ?? 800));
      const exited = new Promise((resolve) => current.child.once('exit', resolve));
      current.child.kill('SIGKILL');
      await exited;
      const killDuringWrite = await interruptedWrite(pid, current.startedAt);
      const foreign = await awsRun;
      if (foreign.code === 0) (edit.file === 'config' ? configModel : credentialsModel).set(edit.header, edit.key, edit.value);
      else violations.push(`round ${round}: aws configure set failed (${foreign.code}): ${foreign.stderr.trim()}`);
      violations.push(...(await checkFiles(`round ${round} after the kill`)));

      const started = performance.now();
      spawnAgent();
      await (await untilAnswering()).close();
      const names = [...FILE_PROFILES, PROCESS_PROFILE];
      const unserved = (seen: Map<string, StatusSeen>) => names.filter((name) => !SERVED.has(seen.get(name)?.status ?? 'missing'));
      let seen = await statuses();
      const restartMs = performance.now() - started;
      const notServingAtRestart = unserved(seen).length;
      // Inactive means the intent was forgotten; failed or expired may still recover (retry with backoff).
      const deadline = performance.now() + (options.recoveryGraceMs ?? 15_000);
      while (unserved(seen).some((name) => seen.get(name)?.status !== 'inactive') && performance.now() < deadline) {
        await sleep(250);
        seen = await statuses();
      }
      const recoveredMs = performance.now() - started;
      const lost = unserved(seen);
      for (const name of lost) {
        violations.push(`round ${round}: ${name} was active before the kill and is ${describeStatus(seen.get(name))} ${(recoveredMs / 1000).toFixed(1)} s after the restart`);
        // Activated again so the next rounds still have writes to interrupt.
        const again = await run(process.execPath, [cli, 'activate', name], env);
        if (again.code !== 0) violations.push(`round ${round}: activate ${name} again exited ${again.code}: ${(again.stderr || again.stdout).trim()}`);
      }
      violations.push(...(await checkFiles(`round ${round} after the restart`)));
      return { round, aimed, killDuringWrite, restartMs, notServingAtRestart, recoveredMs, lostActivations: lost.length, violations };
    },
    async leftoverTempFiles() {
      return (await readdir(awsDir)).filter((file) => file.includes('.rolecall-')).length;
    },
    async scanSecrets() {
      const keys = await privateKeyNeedles(join(options.root, 'tests', 'fixtures', 'pki'));
      const issued = sandbox.allIssuedCredentials().flatMap((credentials) => [credentials.secretAccessKey, credentials.sessionToken]);
      return scanForSecrets({ roots: [root], needles: [...keys.needles, ...sessionSecretNeedles(issued)], secrets: keys.keys + issued.length });
    },
    async close() {
      if (agent?.child.exitCode === null) {
        const exited = new Promise((resolve) => agent?.child.once('exit', resolve));
        agent.child.kill('SIGTERM');
        await Promise.race([exited, sleep(5000)]);
        if (agent.child.exitCode === null) agent.child.kill('SIGKILL');
      }
      await sandbox.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Whether this machine can run the torture (the aws CLI is Debian's). */
export function awsCliPresent(): Promise<boolean> {
  return exists(AWS_CLI);
}
