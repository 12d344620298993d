// Runs the built `rolecall` command as a child process, the way SDKs and shells run it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');
export const CLI_PATH = join(PROJECT_ROOT, 'bin', 'rolecall.mjs');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly input?: string;
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

export function assertCliBuilt(): void {
  if (!existsSync(join(PROJECT_ROOT, 'dist', 'cli', 'main.mjs'))) {
    throw new Error('The CLI is not built: run `npm run build:cli` (npm test does it) before these tests.');
  }
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  assertCliBuilt();
  return new Promise((resolve, reject) => {
    // detached: a new session without a controlling terminal, as when an SDK spawns credential_process.
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      cwd: options.cwd ?? PROJECT_ROOT,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
