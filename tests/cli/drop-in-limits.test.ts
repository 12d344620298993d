// The drop-in `rolecall credential-process` holds to the same answer cap as the agent: a 60 MiB answer
// from the service ends the run with one typed line on stderr, promptly, instead of being read whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server';
import { runCli } from '../helpers/cli';
import { pkiPath } from '../helpers/fixtures';
import { arnFlags, startFixtureSandbox } from '../helpers/fixture-sandbox';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startFixtureSandbox();
});

afterAll(async () => {
  await sandbox.stop();
});

describe('rolecall credential-process (drop-in) limits', () => {
  it('refuses a 60 MiB answer with RESPONSE_TOO_LARGE, without retrying it', async () => {
    sandbox.switches.oversizedNext = 1;
    sandbox.requests.clear();
    const started = Date.now();
    const result = await runCli([
      'credential-process',
      '--endpoint',
      sandbox.url,
      ...arnFlags(),
      '--certificate',
      pkiPath('leaf-ec-p256.cert.pem'),
      '--private-key',
      pkiPath('leaf-ec-p256.key.pkcs8.pem'),
      '--intermediates',
      pkiPath('intermediate-ca.cert.pem'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^rolecall: .*\(the answer is longer than the 65536-byte limit\).*\[RESPONSE_TOO_LARGE\]\n$/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(sandbox.requests.count('CreateSession')).toBe(1);
  });
});
