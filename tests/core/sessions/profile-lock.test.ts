// The per-profile lock across processes: real lock files in a temp data folder, real child processes
// sharing the real keychain (see cache.test.ts for how the keychain tests run) and a sandbox.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileLocksDir, withProfileLock } from '../../../src/core/sessions/profile-lock';
import type { Sandbox } from '../../../src/sandbox';
import { bundleForNode } from '../../helpers/bundle-for-node';
import { startFixtureSandbox } from '../../helpers/fixture-sandbox';
import { pkiPath } from '../../helpers/fixtures';

const run = promisify(execFile);
const skipKeychain = process.env.ROLECALL_TEST_NO_KEYCHAIN === '1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'rolecall-locks-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('withProfileLock', () => {
  it('runs holders of the same profile one after the other, and other profiles alongside', async () => {
    const spans: { name: string; start: number; end: number }[] = [];
    const hold = (name: string) =>
      withProfileLock(dataDir, name, async () => {
        const start = performance.now();
        await sleep(80);
        spans.push({ name, start, end: performance.now() });
      });
    await Promise.all([hold('dev'), hold('dev'), hold('ops')]);
    const [a, b] = spans.filter((span) => span.name === 'dev');
    expect(a!.end <= b!.start || b!.end <= a!.start).toBe(true);
    const ops = spans.find((span) => span.name === 'ops')!;
    expect(ops.start).toBeLessThan(Math.max(a!.end, b!.end) - 80);
  });

  it('releases the lock when the work throws, and returns what the work returns', async () => {
    await expect(withProfileLock(dataDir, 'thrower', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(withProfileLock(dataDir, 'thrower', async () => 42)).resolves.toBe(42);
  });

  it('gives up with STORE_BUSY when another holder keeps the lock past the wait', async () => {
    const holding = withProfileLock(dataDir, 'busy', () => sleep(400));
    await sleep(20);
    await expect(withProfileLock(dataDir, 'busy', async () => 'never', { waitMs: 100 })).rejects.toMatchObject({ code: 'STORE_BUSY' });
    await holding;
  });

  it('keeps lock files in a private folder, named safely whatever the profile name', async () => {
    await withProfileLock(dataDir, 'a/../b c', async () => {
      expect(await readdir(profileLocksDir(dataDir))).toContain('session-a%2F..%2Fb%20c.lock');
    });
  });
});

describe.skipIf(skipKeychain)('one-shot runs in parallel processes', () => {
  const service = `Rolecall-test-${randomUUID()}`;
  let sandbox: Sandbox;
  let script: string;
  let bundleDir: string;

  beforeAll(async () => {
    bundleDir = await mkdtemp(join(tmpdir(), 'rolecall-one-shot-'));
    script = await bundleForNode(join(import.meta.dirname, 'children', 'one-shot.ts'), bundleDir);
    sandbox = await startFixtureSandbox();
    // Each CreateSession takes 300 ms, so all racers have read the (empty) cache before the first mint ends.
    sandbox.switches.latencyMs = 300;
  });

  afterAll(async () => {
    await sandbox.stop();
    await rm(bundleDir, { recursive: true, force: true });
    for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
  });

  async function race(count: number, profile: string, extra: Record<string, string> = {}): Promise<{ ok: boolean; accessKeyId?: string; code?: string }[]> {
    const barrier = await mkdtemp(join(bundleDir, 'barrier-'));
    const env = {
      ...process.env,
      RC_PROFILE: profile,
      RC_SERVICE: service,
      RC_SANDBOX_URL: sandbox.url,
      RC_DATA_DIR: dataDir,
      RC_CERT: pkiPath('leaf-by-root.cert.pem'),
      RC_KEY: pkiPath('leaf-by-root.key.pkcs8.pem'),
      RC_BARRIER_DIR: barrier,
      RC_BARRIER_COUNT: String(count),
      ...extra,
    };
    const outputs = await Promise.all(Array.from({ length: count }, () => run(process.execPath, [script], { env, timeout: 30_000 })));
    return outputs.map(({ stdout }) => JSON.parse(stdout) as { ok: boolean; accessKeyId?: string; code?: string });
  }

  it('mints once for 4 processes started together, and later runs reuse that session', async () => {
    sandbox.requests.clear();
    const results = await race(4, 'shared');
    expect(results.every((result) => result.ok)).toBe(true);
    expect(new Set(results.map((result) => result.accessKeyId)).size).toBe(1);
    expect(sandbox.requests.count('CreateSession')).toBe(1);
    const [later] = await race(1, 'shared');
    expect(later!.accessKeyId).toBe(results[0]!.accessKeyId);
    expect(sandbox.requests.count('CreateSession')).toBe(1);
  });

  it('without the lock, the same race mints more than once (what the lock prevents)', async () => {
    sandbox.requests.clear();
    const results = await race(4, 'unlocked', { RC_NO_LOCK: '1' });
    expect(results.every((result) => result.ok)).toBe(true);
    expect(sandbox.requests.count('CreateSession')).toBeGreaterThan(1);
  });
});
