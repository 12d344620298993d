// The watcher npm test runs beside the suites reads files as they are written, in folders made after it
// started, with secrets issued after it started: a test that deletes its folder cannot hide a leak.
import { spawn } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/cli';
import { PLANTED_MARK } from './scan';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the live secrets watcher', () => {
  let work: string;
  beforeEach(async () => {
    // The leak planted here is marked, so the scan of the whole test run passes over it.
    work = await mkdtemp(join(tmpdir(), 'rolecall-live-scan-'));
    await writeFile(join(work, PLANTED_MARK), '');
  });
  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('finds a secret issued and leaked into a new folder\'s log that is deleted a moment later', async () => {
    const watcher = join(work, 'live-watch.mjs');
    await build({ entryPoints: [join(PROJECT_ROOT, 'tests', 'secrets-scan', 'live-watch.ts')], outfile: watcher, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
    const home = join(work, 'home');
    await mkdir(home);
    const ledger = join(work, 'ledger');
    const report = join(work, 'live.json');
    const child = spawn(process.execPath, [watcher, report], {
      env: { ...process.env, HOME: home, ROLECALL_SANDBOX_LEDGER: ledger, ROLECALL_TEST_ROOT: PROJECT_ROOT },
      stdio: 'inherit',
    });
    // Let it load the fixture keys and start watching.
    await sleep(1500);
    const token = `IQoJb3JpZ2luX2VjE${'Zm9vYmFy'.repeat(60)}`.slice(0, 500) + 'END';
    await appendFile(ledger, `${token}\n`);
    const data = join(home, 'tmp', 'rolecall-env-x', 'data');
    await mkdir(data, { recursive: true });
    await writeFile(join(data, 'rolecall.log'), `{"msg":"refreshed","token":"${token}"}\n`);
    await sleep(600);
    await rm(join(home, 'tmp'), { recursive: true, force: true });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    const result = JSON.parse(await readFile(report, 'utf8')) as { files: number; findings: { path: string; what: string }[] };
    expect(result.findings).toEqual([{ path: join(data, 'rolecall.log'), what: 'session token #1 the sandbox issued (as issued)' }]);
  }, 30_000);
});
