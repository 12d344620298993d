// Run one command with a session in its environment, the way `aws-vault exec` does: the terminal stays
// attached, signals reach the command, and its exit status becomes ours.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { RolecallError } from '../../shared/errors';
import type { EnvVars } from './env-script';
import { CREDENTIAL_SOURCE_VARIABLES } from './env-script';

export type ForwardedSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
export const FORWARDED_SIGNALS: readonly ForwardedSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Where this process hears signals: `process` in real use, an EventEmitter in tests. */
export interface SignalSource {
  on(signal: ForwardedSignal, listener: () => void): unknown;
  off(signal: ForwardedSignal, listener: () => void): unknown;
}

export interface ExecOptions {
  readonly command: string;
  readonly args?: readonly string[];
  /** The environment to start from (normally process.env); credential variables in it are dropped. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** envVars(credentials) or endpointEnvVars(endpoint, name). */
  readonly credentialsEnv: EnvVars;
  readonly cwd?: string;
  readonly signals?: SignalSource;
  readonly platform?: string;
}

/** `parentEnv` without any credential source, plus `credentialsEnv`. */
export function childEnv(parentEnv: ExecOptions['env'], credentialsEnv: EnvVars, platform: string = process.platform): Record<string, string> {
  // Windows variable names ignore case, so a stale `aws_profile` would still name a profile there.
  const normalise = platform === 'win32' ? (name: string) => name.toUpperCase() : (name: string) => name;
  const dropped = new Set([...CREDENTIAL_SOURCE_VARIABLES, ...Object.keys(credentialsEnv)].map(normalise));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parentEnv)) {
    if (value !== undefined && !dropped.has(normalise(name))) env[name] = value;
  }
  return { ...env, ...credentialsEnv };
}

/** What a shell reports for a child killed by a signal: 128 + the signal's number. */
function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

function startError(command: string, error: NodeJS.ErrnoException): RolecallError {
  if (error.code === 'ENOENT') return new RolecallError('EXEC_NOT_FOUND', command, { cause: error });
  return new RolecallError('EXEC_FAILED', `${command} (${error.code ?? 'unknown error'})`, { cause: error });
}

/**
 * Runs `command` with stdio inherited and resolves with its exit code. SIGINT, SIGTERM and SIGHUP that
 * reach this process are passed on and do not end it, so the command decides how to stop and the
 * caller still learns its status.
 */
export function execWithCredentials(options: ExecOptions): Promise<number> {
  const signals = options.signals ?? process;
  return new Promise((resolve, reject) => {
    const child = spawn(options.command, [...(options.args ?? [])], {
      stdio: 'inherit',
      env: childEnv(options.env, options.credentialsEnv, options.platform),
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    const forwarders = FORWARDED_SIGNALS.map((signal) => {
      const forward = () => {
        child.kill(signal);
      };
      signals.on(signal, forward);
      return () => signals.off(signal, forward);
    });
    const finish = () => forwarders.forEach((remove) => remove());
    child.on('error', (error: NodeJS.ErrnoException) => {
      // After a successful start an error only means a signal could not be delivered; 'exit' follows.
      if (child.pid !== undefined) return;
      finish();
      reject(startError(options.command, error));
    });
    child.once('exit', (code, signal) => {
      finish();
      resolve(code ?? (signal === null ? 1 : signalExitCode(signal)));
    });
  });
}
