import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CredentialsOutput } from '../../../src/shared/contract';
import { RolecallError } from '../../../src/shared/errors';
import type { Shell } from '../../../src/shared/model';
import { SHELLS } from '../../../src/shared/model';
import { CREDENTIAL_SOURCE_VARIABLES, endpointEnvVars, envVars, exportsFor, renderEnv } from '../../../src/core/terminal';
import { credentialsExpiringIn, KEYS } from './credentials';
import { findBinary, runInShell, STALE_ENV } from './run-in-shell';

const EXAMPLE: CredentialsOutput = {
  accessKeyId: 'ASIAEXAMPLE',
  secretAccessKey: "it's/a+secret",
  sessionToken: 'token==',
  expiration: '2030-01-02T03:04:05Z',
  toolRegion: 'eu-west-1',
};

const CHARACTERS_THAT_BREAK_QUOTING = [
  "'", '"', '\n', '\r', '\t', '$', '`', '\\', '!', '%', ' ', '*', '?', '~', '#', ';', '&', '|', '(', ')', '{', '}',
  '<', '>', '[', ']', '^', '=', '-', '\u2018', '\u2019', '\u201A', '\u201B', '\u00A0', '\u001B', 'é', '€', '😀', '$(id)', '${HOME}',
];

/** Any text an environment variable can hold: every code point but NUL, weighted towards trouble. */
const anyValue = fc
  .array(fc.oneof(fc.constantFrom(...CHARACTERS_THAT_BREAK_QUOTING), fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 24 })
  .map((parts) => parts.join(''))
  .filter((value) => !/[\0\p{Cs}]/u.test(value));

const anyCredentials = fc.record({
  accessKeyId: anyValue,
  secretAccessKey: anyValue,
  sessionToken: anyValue,
  expiration: anyValue,
  toolRegion: anyValue,
});

function expectExactlyExported(env: Map<string, string>, credentials: CredentialsOutput) {
  expect(env.get('AWS_ACCESS_KEY_ID')).toBe(credentials.accessKeyId);
  expect(env.get('AWS_SECRET_ACCESS_KEY')).toBe(credentials.secretAccessKey);
  expect(env.get('AWS_SESSION_TOKEN')).toBe(credentials.sessionToken);
  expect(env.get('AWS_CREDENTIAL_EXPIRATION')).toBe(credentials.expiration);
  expect(env.get('AWS_REGION')).toBe(credentials.toolRegion);
  expect(env.get('AWS_DEFAULT_REGION')).toBe(credentials.toolRegion);
  for (const stale of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SECURITY_TOKEN', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE']) {
    expect(env.has(stale)).toBe(false);
  }
}

function unsafeError(run: () => unknown): RolecallError {
  try {
    run();
  } catch (error) {
    if (error instanceof RolecallError) return error;
    throw error;
  }
  throw new Error('expected a RolecallError');
}

describe('envVars', () => {
  it('carries the keys, the expiration and the tool region under the names SDKs read', () => {
    expect(envVars(EXAMPLE)).toEqual({
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: "it's/a+secret",
      AWS_SESSION_TOKEN: 'token==',
      AWS_CREDENTIAL_EXPIRATION: '2030-01-02T03:04:05Z',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });
  });

  it('leaves the region variables alone when the profile has no tool region', () => {
    const vars = envVars({ ...KEYS, expiration: '2030-01-02T03:04:05Z' });
    expect(vars).not.toHaveProperty('AWS_REGION');
    expect(vars).not.toHaveProperty('AWS_DEFAULT_REGION');
  });
});

describe('renderEnv in real POSIX shells', () => {
  const posixShells: Array<[string, string, readonly string[]]> = [
    ['bash', '/bin/bash', ['-c']],
    ['sh (dash)', '/bin/sh', ['-c']],
  ];
  const zsh = findBinary('zsh');
  if (zsh) posixShells.push(['zsh', zsh, ['-f', '-c']]);

  for (const [label, binary, args] of posixShells) {
    it(`gives ${label} back every value exactly, whatever characters it holds`, () => {
      fc.assert(
        fc.property(anyCredentials, (credentials) => {
          const run = runInShell(binary, args, renderEnv(credentials, label === 'zsh' ? 'zsh' : 'bash'));
          expect(run.stderr).toBe('');
          expect(run.status).toBe(0);
          expectExactlyExported(run.env, credentials);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('removes AWS_PROFILE and AWS_DEFAULT_PROFILE, which would make the JS SDK ignore the keys', () => {
    expect(STALE_ENV.AWS_PROFILE).toBeDefined();
    const run = runInShell('/bin/bash', ['-c'], renderEnv(credentialsExpiringIn(3600), 'bash'));
    expect(run.env.has('AWS_PROFILE')).toBe(false);
    expect(run.env.has('AWS_DEFAULT_PROFILE')).toBe(false);
    expect(run.env.get('AWS_ACCESS_KEY_ID')).toBe(KEYS.accessKeyId);
  });
});

describe('renderEnv in shells that may not be installed', () => {
  const fish = findBinary('fish');
  it.skipIf(!fish)('gives fish back every value exactly', () => {
    fc.assert(
      fc.property(anyCredentials, (credentials) => {
        const run = runInShell(fish ?? 'fish', ['--no-config', '-c'], renderEnv(credentials, 'fish'));
        expect(run.status).toBe(0);
        expectExactlyExported(run.env, credentials);
      }),
      { numRuns: 60 },
    );
  });

  const pwsh = findBinary('pwsh');
  it.skipIf(!pwsh)('gives PowerShell back every value exactly', () => {
    fc.assert(
      fc.property(anyCredentials, (credentials) => {
        const run = runInShell(pwsh ?? 'pwsh', ['-NoProfile', '-NonInteractive', '-Command'], renderEnv(credentials, 'powershell'), '& env -0');
        expect(run.status).toBe(0);
        expectExactlyExported(run.env, credentials);
      }),
      { numRuns: 30 },
    );
  });
});

describe('renderEnv golden scripts', () => {
  it('writes bash and zsh as export lines in single quotes, after unsetting the other sources', () => {
    const expected = [
      'unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SECURITY_TOKEN AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_AUTHORIZATION_TOKEN AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
      "export AWS_ACCESS_KEY_ID='ASIAEXAMPLE'",
      "export AWS_SECRET_ACCESS_KEY='it'\\''s/a+secret'",
      "export AWS_SESSION_TOKEN='token=='",
      "export AWS_CREDENTIAL_EXPIRATION='2030-01-02T03:04:05Z'",
      "export AWS_REGION='eu-west-1'",
      "export AWS_DEFAULT_REGION='eu-west-1'",
      '',
    ].join('\n');
    expect(renderEnv(EXAMPLE, 'bash')).toBe(expected);
    expect(renderEnv(EXAMPLE, 'zsh')).toBe(expected);
  });

  it('writes fish as set -gx with \\\' and \\\\ escaped, and set -e for the other sources', () => {
    const script = renderEnv({ ...EXAMPLE, sessionToken: 'a\\b\'c"d$e\nf' }, 'fish');
    expect(script.split('\n')).toEqual([
      'set -e AWS_PROFILE',
      'set -e AWS_DEFAULT_PROFILE',
      'set -e AWS_SECURITY_TOKEN',
      'set -e AWS_CONTAINER_CREDENTIALS_FULL_URI',
      'set -e AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'set -e AWS_CONTAINER_AUTHORIZATION_TOKEN',
      'set -e AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
      "set -gx AWS_ACCESS_KEY_ID 'ASIAEXAMPLE'",
      "set -gx AWS_SECRET_ACCESS_KEY 'it\\'s/a+secret'",
      "set -gx AWS_SESSION_TOKEN 'a\\\\b\\'c\"d$e",
      "f'",
      "set -gx AWS_CREDENTIAL_EXPIRATION '2030-01-02T03:04:05Z'",
      "set -gx AWS_REGION 'eu-west-1'",
      "set -gx AWS_DEFAULT_REGION 'eu-west-1'",
      '',
    ]);
  });

  it('writes PowerShell as $Env: assignments with every kind of single quote doubled', () => {
    const script = renderEnv({ ...EXAMPLE, sessionToken: 'a\'b\u2018c\u2019d\u201Ae\u201Bf"$g`h' }, 'powershell');
    const lines = script.split('\n');
    expect(lines.slice(0, 2)).toEqual(['$Env:AWS_PROFILE = $null', '$Env:AWS_DEFAULT_PROFILE = $null']);
    expect(lines).toContain("$Env:AWS_SECRET_ACCESS_KEY = 'it''s/a+secret'");
    expect(lines).toContain("$Env:AWS_SESSION_TOKEN = 'a''b\u2018\u2018c\u2019\u2019d\u201A\u201Ae\u201B\u201Bf\"$g`h'");
    expect(lines).toContain("$Env:AWS_REGION = 'eu-west-1'");
  });

  it('writes cmd as set "NAME=value", which keeps & | < > ^ ( ) literal', () => {
    const script = renderEnv({ ...EXAMPLE, secretAccessKey: 'a&b|c<d>e^f(g)h i', sessionToken: 'tok/+=' }, 'cmd');
    const lines = script.split('\n');
    expect(lines.slice(0, 2)).toEqual(['set "AWS_PROFILE="', 'set "AWS_DEFAULT_PROFILE="']);
    expect(lines).toContain('set "AWS_SECRET_ACCESS_KEY=a&b|c<d>e^f(g)h i"');
    expect(lines).toContain('set "AWS_SESSION_TOKEN=tok/+="');
  });
});

describe('values no shell can carry', () => {
  it.each(['%', '"', '!', '\n', '\r', '\u0007', 'é', '😀'])('refuses cmd a value holding %j without showing the value', (character) => {
    const secret = `SECRETVALUE${character}`;
    const error = unsafeError(() => renderEnv({ ...EXAMPLE, secretAccessKey: secret }, 'cmd'));
    expect(error.code).toBe('ENV_VALUE_UNSAFE');
    expect(error.detail).toContain('AWS_SECRET_ACCESS_KEY');
    expect(`${error.message} ${error.detail}`).not.toContain('SECRETVALUE');
  });

  it.each(SHELLS.map((shell) => [shell] as [Shell]))('refuses a NUL or a lone surrogate in %s', (shell) => {
    for (const bad of ['a\0b', 'a\uD800b', 'a\uDC00']) {
      expect(unsafeError(() => renderEnv({ ...EXAMPLE, sessionToken: bad }, shell)).code).toBe('ENV_VALUE_UNSAFE');
    }
  });

  it('accepts a well-formed astral character (a surrogate pair) in every shell but cmd', () => {
    for (const shell of SHELLS.filter((name) => name !== 'cmd')) {
      expect(renderEnv({ ...EXAMPLE, sessionToken: '😀' }, shell)).toContain('😀');
    }
  });
});

describe('exportsFor', () => {
  const endpoint = { urls: { dev: 'http://127.0.0.1:4567/credentials/dev' }, token: 'f'.repeat(64) };

  it('points bash at the endpoint and removes keys and profiles that would win over it', () => {
    const run = runInShell('/bin/bash', ['-c'], exportsFor(endpoint, 'dev', 'bash'));
    expect(run.env.get('AWS_CONTAINER_CREDENTIALS_FULL_URI')).toBe('http://127.0.0.1:4567/credentials/dev');
    expect(run.env.get('AWS_CONTAINER_AUTHORIZATION_TOKEN')).toBe('f'.repeat(64));
    for (const name of CREDENTIAL_SOURCE_VARIABLES.filter((variable) => !variable.startsWith('AWS_CONTAINER_CREDENTIALS_FULL') && variable !== 'AWS_CONTAINER_AUTHORIZATION_TOKEN')) {
      expect(run.env.has(name)).toBe(false);
    }
  });

  it('adds the tool region when one is given', () => {
    expect(endpointEnvVars(endpoint, 'dev', 'ap-south-1')).toMatchObject({ AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'ap-south-1' });
  });

  it('refuses a profile the endpoint does not serve', () => {
    expect(unsafeError(() => exportsFor(endpoint, 'prod', 'fish')).code).toBe('USAGE');
  });
});
