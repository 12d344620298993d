// A private world for benchmarks that run the real `rolecall agent` process: temp HOME, data folder,
// socket folder and AWS files, the local sandbox in this process, and helpers to start the agent and
// add profiles through its socket. The keychain is the private session's (bench/private-keyring.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAgent, defaultSocketPath, type AgentClient } from '../src/core/agent';
import { startSandbox, type Sandbox } from '../src/sandbox/server';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/Bench';

export interface AgentWorld {
  readonly root: string;
  readonly env: NodeJS.ProcessEnv;
  readonly cli: string;
  readonly sandbox: Sandbox;
  /** Spawns `rolecall agent` in the foreground (this process owns it). */
  spawnAgent(): ChildProcess;
  /** Connects as soon as the agent answers (its hello). */
  connect(timeoutMs?: number): Promise<AgentClient>;
  /** Adds file-delivery profiles with the EC test key, through the agent's socket. */
  addProfiles(client: AgentClient, names: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export async function createAgentWorld(): Promise<AgentWorld> {
  const projectRoot = process.env.ROLECALL_ROOT ?? '.';
  const pki = (name: string) => join(projectRoot, 'tests', 'fixtures', 'pki', name);
  const root = await mkdtemp(join(tmpdir(), 'rolecall-bench-world-'));
  const dataDir = join(root, 'data');
  await Promise.all([mkdir(join(root, '.aws'), { recursive: true }), mkdir(join(root, 'run'), { recursive: true, mode: 0o700 })]);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: root,
    ROLECALL_HOME: dataDir,
    XDG_RUNTIME_DIR: join(root, 'run'),
    XDG_CONFIG_HOME: join(root, '.config'),
    AWS_SHARED_CREDENTIALS_FILE: join(root, '.aws', 'credentials'),
    AWS_CONFIG_FILE: join(root, '.aws', 'config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_COLOR: '1',
  };
  const socketPath = defaultSocketPath({ env, dataDir, platform: process.platform, uid: process.getuid?.() ?? 0 });
  const sandbox = await startSandbox({
    trustAnchors: [{ id: '0b1e5a3c-0000-4000-8000-000000000001', caPem: await readFile(pki('root-ca.cert.pem'), 'utf8') }],
    profiles: [{ id: '0b1e5a3c-0000-4000-8000-000000000002', roleArns: [ROLE_ARN], acceptRoleSessionName: true, durationSeconds: 3600 }],
    roles: [{ arn: ROLE_ARN, maxSessionDurationSeconds: 43200 }],
  });
  const cli = join(projectRoot, 'bin', 'rolecall.mjs');
  const agents: ChildProcess[] = [];
  return {
    root,
    env,
    cli,
    sandbox,
    spawnAgent() {
      const child = spawn(process.execPath, [cli, 'agent'], { env, stdio: 'ignore' });
      agents.push(child);
      return child;
    },
    async connect(timeoutMs = 20_000) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        try {
          return await connectAgent(socketPath, { timeoutMs: 2000 });
        } catch (error) {
          if (performance.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
    },
    async addProfiles(client, names) {
      for (const name of names) {
        const draft = await client.call('drafts.open', { certificatePath: pki('leaf-ec-p256.cert.pem'), privateKeyPath: pki('leaf-ec-p256.key.pkcs8.pem'), intermediatesPath: pki('intermediate-ca.cert.pem') });
        await client.call('profiles.add', {
          name,
          draftId: draft.draftId,
          trustAnchorArn: sandbox.config.trustAnchors[0]?.arn ?? '',
          profileArn: sandbox.config.profiles[0]?.arn ?? '',
          roleArn: ROLE_ARN,
          endpoint: sandbox.url,
        });
      }
    },
    async close() {
      for (const child of agents) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      await sandbox.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
