// Several Rolecall processes update one credentials file while another program rewrites it in place,
// without a lock, as `aws configure set` does: the real AWS CLI, and a faster imitation of its writer.
// Nothing of the user's may be lost, no stale copy may be written back, and the file must be whole
// whenever the other program is not halfway through its own rewrite.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { IniDocument, exactSection } from '../../../src/core/awsfiles';

const WRITERS = ['rc-alpha', 'rc-beta', 'rc-gamma'];
const UPDATES = 30;
const FOREIGN = ['foreign0', 'foreign1', 'foreign2'];
const SEED = [
  '# Managed by hand. Do not lose me.',
  '[foreign0]',
  'aws_access_key_id = F-initial-0',
  'aws_secret_access_key=keep/secret/0',
  '',
  '; another comment ünïcödé',
  '[foreign1]',
  'aws_access_key_id   =   F-initial-1',
  'aws_secret_access_key = keep/secret/1',
  'region = eu-west-1',
  '[foreign2]',
  'aws_access_key_id = F-initial-2',
  'aws_secret_access_key = keep/secret/2',
  'custom_key = 漢字',
  '',
].join('\n');
// The other program rewrites `aws_access_key_id` lines; every other seed line must survive untouched.
const KEPT_LINES = SEED.split('\n').filter((line) => !line.startsWith('aws_access_key_id'));

// A Rolecall process: UPDATES updates of its own profile, spread out so they overlap the other writer.
const WORKER = `
import { createRequire } from 'node:module';
const [bundle, path, name, count] = process.argv.slice(2);
const { updateAwsFile, profileSection } = createRequire(import.meta.url)(bundle);
for (let i = 1; i <= Number(count); i += 1) {
  const value = name + '-' + i;
  let rounds = 0;
  await updateAwsFile(path, (doc) => {
    rounds += 1;
    doc.set(profileSection('credentials', name), { aws_access_key_id: value, aws_secret_access_key: 'secret-' + value });
  });
  process.stdout.write(JSON.stringify({ value, at: Date.now(), rounds }) + '\\n');
  await new Promise((done) => setTimeout(done, Math.random() * 200));
}
`;

// What the AWS CLI's writer does, faster: read, change one line, truncate and rewrite in place, with
// the pause between truncation and write that the CLI shows (readers see an empty file meanwhile).
const REWRITER = `
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
const [path, profile, stop] = process.argv.slice(2);
for (let round = 0; !existsSync(stop); round += 1) {
  const start = Date.now();
  const value = 'R-' + round;
  const lines = readFileSync(path, 'utf8').split('\\n');
  const header = lines.indexOf('[' + profile + ']');
  const line = lines.findIndex((text, index) => index > header && text.startsWith('aws_access_key_id'));
  lines[line] = 'aws_access_key_id = ' + value;
  const fd = openSync(path, 'w');
  const until = performance.now() + 0.5;
  while (performance.now() < until);
  writeSync(fd, lines.join('\\n'));
  closeSync(fd);
  process.stdout.write(JSON.stringify({ profile, value, start, end: Date.now() }) + '\\n');
  await new Promise((done) => setTimeout(done, 40 + Math.random() * 80));
}
`;

interface Span {
  readonly start: number;
  readonly end: number;
}
type ForeignWrite = Span & { readonly profile: string; readonly value: string };

let folder: string;
let bundle: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rolecall-race-'));
  bundle = join(folder, 'awsfiles.cjs');
  // There is no build of the project here: bundle the module (with proper-lockfile) for child processes.
  await build({ entryPoints: [resolve('src/core/awsfiles/index.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, logLevel: 'silent' });
  await writeFile(join(folder, 'worker.mjs'), WORKER);
  await writeFile(join(folder, 'rewriter.mjs'), REWRITER);
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Whether every line in `wanted` appears in `lines`, in order. */
function inOrder(lines: readonly string[], wanted: readonly string[]): boolean {
  let position = 0;
  for (const line of lines) if (line === wanted[position]) position += 1;
  return position === wanted.length;
}

/** Run the Rolecall writers against `other` (which runs until told the writers are done) and check. */
async function share(name: string, other: (env: NodeJS.ProcessEnv, writersDone: Promise<unknown>) => Promise<ForeignWrite[]>): Promise<void> {
  const path = join(folder, `${name}-credentials`);
  await writeFile(path, SEED, { mode: 0o600 });
  const env = { PATH: '/usr/bin:/bin', HOME: folder, AWS_SHARED_CREDENTIALS_FILE: path, AWS_CONFIG_FILE: join(folder, 'config'), AWS_EC2_METADATA_DISABLED: 'true' };
  const writers = Promise.all(WRITERS.map((writer) => run(process.execPath, [join(folder, 'worker.mjs'), bundle, path, writer, String(UPDATES)], env)));
  const foreign = other(env, writers);

  // Read the file all along, as any tool might.
  const samples: (Span & { text: string })[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const start = Date.now();
      const text = await readFile(path, 'utf8');
      samples.push({ start, end: Date.now(), text });
      await new Promise((done) => setTimeout(done, 2));
    }
  })();
  const results = await writers;
  const foreignWrites = await foreign;
  sampling = false;
  await sampler;

  for (const result of results) expect(result.code, result.stderr).toBe(0);
  const final = await readFile(path, 'utf8');
  const doc = IniDocument.parse(Buffer.from(final));

  // 1. Every line of the user's that nobody was asked to change is still there, in order.
  expect(inOrder(final.split('\n'), KEPT_LINES)).toBe(true);

  // 2. No stale copy was written back: each foreign profile holds the value the other program set last.
  for (const profile of FOREIGN) {
    const last = foreignWrites.filter((write) => write.profile === profile).at(-1);
    if (last !== undefined) expect(doc.get(exactSection(profile), 'aws_access_key_id'), profile).toBe(last.value);
  }

  // 3. Each Rolecall profile holds its last value, unless a foreign rewrite that spanned a newer write
  //    put back what it had read before it (that program's read-modify-write, outside Rolecall's reach).
  let undone = 0;
  let restarts = 0;
  results.forEach((result, index) => {
    const writer = WRITERS[index] ?? '';
    const writes = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { value: string; at: number; rounds: number });
    expect(writes).toHaveLength(UPDATES);
    restarts += writes.reduce((sum, write) => sum + write.rounds - 1, 0);
    const found = doc.get(exactSection(writer), 'aws_access_key_id');
    expect(doc.get(exactSection(writer), 'aws_secret_access_key')).toBe(`secret-${found}`);
    const position = writes.findIndex((write) => write.value === found);
    expect(position, `${writer} holds ${found}`).toBeGreaterThanOrEqual(0);
    for (const lost of writes.slice(position + 1)) {
      const explained = foreignWrites.some((write) => write.start <= lost.at && write.end >= lost.at - 100);
      expect(explained, `${writer}: ${lost.value} lost with no foreign rewrite around it`).toBe(true);
      undone += 1;
    }
  });

  // 4. Whenever the other program was not rewriting, the file was whole.
  let torn = 0;
  for (const sample of samples) {
    if (inOrder(sample.text.split('\n'), KEPT_LINES)) continue;
    const duringRewrite = foreignWrites.some((write) => sample.start <= write.end && sample.end >= write.start);
    expect(duringRewrite, `torn file read while nobody rewrote it: ${JSON.stringify(sample.text.slice(0, 80))}`).toBe(true);
    torn += 1;
  }

  // 5. Nothing left behind: no temp files, no lock.
  expect((await readdir(folder)).filter((entry) => entry.includes(`${name}-credentials`))).toEqual([`${name}-credentials`]);

  console.log(`${name}: ${WRITERS.length}×${UPDATES} Rolecall updates (${restarts} started over), ${foreignWrites.length} foreign rewrites, ${samples.length} reads (${torn} torn, all mid-rewrite), ${undone} Rolecall values undone by the other program`);
}

test('Rolecall writers and the real AWS CLI share a credentials file without losing anything', async () => {
  await share('cli', async (env, writersDone) => {
    let writing = true;
    void writersDone.then(() => (writing = false));
    const writes: ForeignWrite[] = [];
    for (let round = 0; writing || round < 4; round += 1) {
      const profile = FOREIGN[round % FOREIGN.length] ?? 'foreign0';
      const value = `F-${round}`;
      const start = Date.now();
      const result = await run('/usr/bin/aws', ['configure', 'set', 'aws_access_key_id', value, '--profile', profile], env);
      expect(result.code, result.stderr).toBe(0);
      writes.push({ profile, value, start, end: Date.now() });
    }
    return writes;
  });
}, 60_000);

test('Rolecall writers and a fast in-place rewriter share a credentials file without losing anything', async () => {
  await share('fast', async (env, writersDone) => {
    const stop = join(folder, 'fast-stop');
    const rewriter = run(process.execPath, [join(folder, 'rewriter.mjs'), env.AWS_SHARED_CREDENTIALS_FILE ?? '', 'foreign1', stop], env);
    await writersDone;
    await writeFile(stop, '');
    const result = await rewriter;
    await rm(stop);
    expect(result.code, result.stderr).toBe(0);
    return result.stdout.trim().split('\n').map((line) => JSON.parse(line) as ForeignWrite);
  });
}, 60_000);
