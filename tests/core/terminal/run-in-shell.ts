// Runs a rendered script in a real shell and reads back the environment the shell ends up with.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The absolute path of `name` on PATH (or in the usual folders), or undefined. */
export function findBinary(name: string): string | undefined {
  const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/bin', '/usr/local/bin'];
  for (const folder of folders) {
    const candidate = join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** A starting environment holding stale credential sources the script must remove. */
export const STALE_ENV: Readonly<Record<string, string>> = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  LANG: 'C.UTF-8',
  AWS_PROFILE: 'stale-profile',
  AWS_DEFAULT_PROFILE: 'stale-default',
  AWS_ACCESS_KEY_ID: 'AKIASTALE',
  AWS_SECURITY_TOKEN: 'stale-token',
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/stale',
  AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/stale/token',
};

/** `env -0` output as a map: NUL-separated NAME=VALUE, split at the first '='. */
export function parseEnvZero(output: Buffer): Map<string, string> {
  const env = new Map<string, string>();
  for (const entry of output.toString('utf8').split('\0')) {
    const equals = entry.indexOf('=');
    if (equals > 0) env.set(entry.slice(0, equals), entry.slice(equals + 1));
  }
  return env;
}

export interface ShellRun {
  readonly env: Map<string, string>;
  readonly stderr: string;
  readonly status: number | null;
}

/**
 * `binary args… '<script>\n<printer>'`: the script runs as the shell parses it from a string (as
 * `eval "$(…)"` or `… | source` does), then the shell runs `env -0` to show its environment.
 */
export function runInShell(binary: string, args: readonly string[], script: string, printer = 'env -0'): ShellRun {
  const result = spawnSync(binary, [...args, `${script}${printer}\n`], {
    env: STALE_ENV,
    // bash reads ~/.bashrc when its stdin is a socket (it assumes rshd), and node's pipes are sockets.
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 24,
  });
  return { env: parseEnvZero(result.stdout), stderr: result.stderr.toString('utf8'), status: result.status };
}
