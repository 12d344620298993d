import { EventEmitter } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RolecallError } from '../../../src/shared/errors';
import { childEnv, envVars, execWithCredentials, FORWARDED_SIGNALS } from '../../../src/core/terminal';
import { credentialsExpiringIn, KEYS } from './credentials';

const NODE = process.execPath;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rolecall-exec-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Runs `node -e script file` through execWithCredentials. */
function execNode(script: string, options: { env?: Record<string, string>; signals?: EventEmitter; file?: string } = {}) {
  return execWithCredentials({
    command: NODE,
    args: ['-e', script, options.file ?? join(dir, 'out')],
    env: options.env ?? { PATH: process.env.PATH ?? '' },
    credentialsEnv: envVars(credentialsExpiringIn(3600)),
    signals: options.signals ?? new EventEmitter(),
  });
}

async function rejection(promise: Promise<unknown>): Promise<RolecallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RolecallError) return error;
    throw error;
  }
  throw new Error('expected a RolecallError');
}

describe('execWithCredentials', () => {
  it('resolves with the exit code of the command', async () => {
    await expect(execNode('process.exit(0)')).resolves.toBe(0);
    await expect(execNode('process.exit(7)')).resolves.toBe(7);
  });

  it('reports a command killed by a signal as 128 + its number, as shells do', async () => {
    await expect(execNode("process.kill(process.pid, 'SIGKILL')")).resolves.toBe(128 + 9);
    await expect(execNode("process.kill(process.pid, 'SIGTERM')")).resolves.toBe(128 + 15);
  });

  it('gives the command the session and drops the credential sources of the parent environment', async () => {
    const out = join(dir, 'env.json');
    const parent = {
      PATH: process.env.PATH ?? '',
      KEEP_ME: 'kept',
      AWS_REGION: 'us-west-2',
      AWS_PROFILE: 'stale',
      AWS_DEFAULT_PROFILE: 'stale',
      AWS_ACCESS_KEY_ID: 'AKIASTALE',
      AWS_SECURITY_TOKEN: 'stale',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1/stale',
    };
    const code = await execNode("require('fs').writeFileSync(process.argv[1], JSON.stringify(process.env))", { env: parent, file: out });
    expect(code).toBe(0);
    const env = JSON.parse(readFileSync(out, 'utf8')) as Record<string, string>;
    expect(env).toMatchObject({ KEEP_ME: 'kept', AWS_REGION: 'us-west-2' });
    expect(env.AWS_ACCESS_KEY_ID).toBe(KEYS.accessKeyId);
    expect(env.AWS_SECRET_ACCESS_KEY).toBe(KEYS.secretAccessKey);
    expect(env.AWS_SESSION_TOKEN).toBe(KEYS.sessionToken);
    for (const gone of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SECURITY_TOKEN', 'AWS_CONTAINER_CREDENTIALS_FULL_URI']) {
      expect(env).not.toHaveProperty(gone);
    }
  });

  it('passes SIGTERM on to the command and resolves with the code it chose to exit with', async () => {
    const ready = join(dir, 'ready');
    const signals = new EventEmitter();
    const running = execNode(
      "process.on('SIGTERM', () => process.exit(42)); require('fs').writeFileSync(process.argv[1], 'ready'); setInterval(() => {}, 1000)",
      { signals, file: ready },
    );
    await until(() => existsSync(ready));
    signals.emit('SIGTERM');
    await expect(running).resolves.toBe(42);
  });

  it.each(['SIGINT', 'SIGHUP'] as const)('passes %s on to the command', async (signal) => {
    const ready = join(dir, 'ready');
    const signals = new EventEmitter();
    const running = execNode(
      `process.on('${signal}', () => process.exit(3)); require('fs').writeFileSync(process.argv[1], 'ready'); setInterval(() => {}, 1000)`,
      { signals, file: ready },
    );
    await until(() => existsSync(ready));
    signals.emit(signal);
    await expect(running).resolves.toBe(3);
  });

  it('stops listening for signals once the command has exited', async () => {
    const signals = new EventEmitter();
    const running = execNode('process.exit(0)', { signals });
    expect(FORWARDED_SIGNALS.map((signal) => signals.listenerCount(signal))).toEqual([1, 1, 1]);
    await running;
    expect(FORWARDED_SIGNALS.map((signal) => signals.listenerCount(signal))).toEqual([0, 0, 0]);
  });

  it('keeps this process alive on a real SIGHUP and hands the signal to the command', async () => {
    const ready = join(dir, 'ready');
    const running = execWithCredentials({
      command: NODE,
      args: ['-e', "process.on('SIGHUP', () => process.exit(5)); require('fs').writeFileSync(process.argv[1], 'ready'); setInterval(() => {}, 1000)", ready],
      env: { PATH: process.env.PATH ?? '' },
      credentialsEnv: {},
    });
    await until(() => existsSync(ready));
    process.kill(process.pid, 'SIGHUP');
    await expect(running).resolves.toBe(5);
    expect(process.listenerCount('SIGHUP')).toBe(0);
  });

  it('says a command is not on PATH with EXEC_NOT_FOUND and its name', async () => {
    const error = await rejection(
      execWithCredentials({ command: 'rolecall-no-such-command', env: { PATH: dir }, credentialsEnv: {}, signals: new EventEmitter() }),
    );
    expect(error.code).toBe('EXEC_NOT_FOUND');
    expect(error.detail).toBe('rolecall-no-such-command');
  });

  it('says a file that is not executable could not be started, without the session in the message', async () => {
    const script = join(dir, 'not-executable');
    writeFileSync(script, '#!/bin/sh\nexit 0\n');
    chmodSync(script, 0o600);
    const signals = new EventEmitter();
    const error = await rejection(execWithCredentials({ command: script, env: {}, credentialsEnv: envVars(credentialsExpiringIn(3600)), signals }));
    expect(error.code).toBe('EXEC_FAILED');
    expect(`${error.message} ${error.detail}`).not.toContain(KEYS.secretAccessKey);
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });
});

describe('childEnv', () => {
  it('lets the new variables replace old ones and keeps everything unrelated', () => {
    const env = childEnv({ HOME: '/home/ana', AWS_REGION: 'us-east-1', AWS_PROFILE: 'x', UNSET: undefined }, { AWS_REGION: 'eu-central-1', AWS_ACCESS_KEY_ID: 'A' }, 'linux');
    expect(env).toEqual({ HOME: '/home/ana', AWS_REGION: 'eu-central-1', AWS_ACCESS_KEY_ID: 'A' });
  });

  it('drops a credential variable written in another case on Windows only', () => {
    const parent = { aws_profile: 'stale', Aws_Access_Key_Id: 'stale', Path: 'C:\\x' };
    expect(childEnv(parent, { AWS_ACCESS_KEY_ID: 'A' }, 'win32')).toEqual({ Path: 'C:\\x', AWS_ACCESS_KEY_ID: 'A' });
    expect(childEnv(parent, { AWS_ACCESS_KEY_ID: 'A' }, 'linux')).toEqual({ ...parent, AWS_ACCESS_KEY_ID: 'A' });
  });
});
