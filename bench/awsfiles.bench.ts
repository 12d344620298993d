// One profile's `file` delivery (deliverToCredentialsFile) into credentials files of 10, 100 and 1,000
// profiles, with Rolecall's section in the middle of the file:
//   - wall time when another program changed the file just before: the quiet period (the file must have
//     been still for 50 ms) applies;
//   - wall time of a refresh right after Rolecall's own write: no quiet period needed;
//   - CPU time of the whole delivery (process.cpuUsage: every thread of the process);
//   - CPU time of the pure edit and check, the part that blocks the event loop: parse, claim, write the
//     keys, serialise, and the foreign-line check, exactly as updateAwsFile runs them.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FILE_DELIVERY_KEYS,
  IniDocument,
  assertKeepsForeignLines,
  awsFilePaths,
  deliverToCredentialsFile,
  foreignCredentials,
  writeCredentialKeys,
  type AwsDelivery,
  type SessionCredentials,
} from '../src/core/awsfiles';
import { reportFigure } from './report';
import { ms, percentile, table } from './stats';

const SIZES = [10, 100, 1000];
const RUNS = 50;
const NAME = 'rolecall-dev';

// The shape of a real team file (about 156 bytes a profile), Rolecall's own section halfway down.
function credentialsFile(profiles: number): string {
  const sections = Array.from({ length: profiles - 1 }, (_, i) =>
    `# team profile ${i}\n[profile-${i}]\naws_access_key_id = AKIAEXAMPLE${String(i).padStart(9, '0')}\naws_secret_access_key = ${'s'.repeat(40)}\nregion = us-east-1\n`);
  const ours = `[${NAME}]\naws_access_key_id = ASIABENCH\naws_secret_access_key = ${'x'.repeat(40)}\naws_session_token = ${'t'.repeat(700)}\n`;
  sections.splice(Math.floor(sections.length / 2), 0, ours);
  return sections.join('\n');
}

const credentials = (i: number): SessionCredentials => ({
  accessKeyId: `ASIABENCH${String(i).padStart(11, '0')}`,
  secretAccessKey: 'x'.repeat(40),
  sessionToken: 't'.repeat(700),
});
const owned: AwsDelivery = { credentials: { keys: [...FILE_DELIVERY_KEYS], createdSection: true } };
const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

const rows: (string | number)[][] = [];
for (const size of SIZES) {
  const home = await mkdtemp(join(tmpdir(), 'rolecall-bench-aws-'));
  try {
    const paths = awsFilePaths({}, home);
    const original = credentialsFile(size);
    await mkdir(join(home, '.aws'), { mode: 0o700 });
    const afterChange: number[] = [];
    const refresh: number[] = [];
    const deliveryCpu: number[] = [];
    let run = 0;
    const deliver = async () => {
      run += 1;
      const cpu = process.cpuUsage();
      const started = performance.now();
      await deliverToCredentialsFile(paths, NAME, credentials(run), { owned });
      const wall = performance.now() - started;
      deliveryCpu.push(cpuMs(process.cpuUsage(cpu)));
      return wall;
    };
    for (let i = 0; i < RUNS; i += 1) {
      await writeFile(paths.credentials, original, { mode: 0o600 });
      afterChange.push(await deliver());
      refresh.push(await deliver());
    }
    const bytes = await readFile(paths.credentials);
    const editCpu: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const cpu = process.cpuUsage();
      const doc = IniDocument.parse(bytes);
      if (foreignCredentials(doc, 'credentials', NAME, owned.credentials).length > 0) throw new Error('the bench profile is not Rolecall\'s');
      writeCredentialKeys(doc, NAME, credentials(i), owned.credentials);
      assertKeepsForeignLines(bytes, doc.serialize(), doc.edits);
      editCpu.push(cpuMs(process.cpuUsage(cpu)));
    }
    const kib = `${(bytes.length / 1024).toFixed(0)} KiB`;
    if (size === 1000) {
      reportFigure({ name: 'refresh 1 profile in a 1,000-profile credentials file, wall p50', value: percentile(refresh, 50), unit: 'ms', goal: '≤ 10 ms', holds: percentile(refresh, 50) <= 10 });
      reportFigure({ name: 'refresh 1 profile in a 1,000-profile credentials file, CPU p50', value: percentile(deliveryCpu, 50), unit: 'ms' });
    }
    rows.push([
      `${size} profiles (${kib})`,
      `${ms(percentile(afterChange, 50))} / ${ms(percentile(afterChange, 95))}`,
      `${ms(percentile(refresh, 50))} / ${ms(percentile(refresh, 95))}`,
      `${ms(percentile(deliveryCpu, 50))} / ${ms(percentile(deliveryCpu, 95))}`,
      `${ms(percentile(editCpu, 50))} / ${ms(percentile(editCpu, 95))}`,
    ]);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
console.log(`${RUNS} deliveries each, sequential; figures are p50 / p95.`);
console.log(table(['credentials file', 'wall, file just changed', 'wall, refresh', 'CPU, delivery', 'CPU, edit + check'], rows));
