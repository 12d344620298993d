// Wall time of `rolecall credential-process` (drop-in flags) against the local sandbox: p50/p95 of 50
// runs, beside `node -e 0` (the floor any Node CLI pays) and the sandbox's own handling time.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startSandbox } from '../src/sandbox/server';
import { readFileSync } from 'node:fs';
import { reportFigure } from './report';
import { ms, percentile, table } from './stats';

const root = process.env.ROLECALL_ROOT ?? '.';
const pki = (name: string) => join(root, 'tests', 'fixtures', 'pki', name);
const RUNS = 50;

const sandbox = await startSandbox({
  trustAnchors: [{ id: '0b1e5a3c-0000-4000-8000-000000000001', caPem: readFileSync(pki('root-ca.cert.pem'), 'utf8') }],
  profiles: [{ id: '0b1e5a3c-0000-4000-8000-000000000002', roleArns: ['arn:aws:iam::123456789012:role/Bench'] }],
});
const anchor = sandbox.config.trustAnchors[0]?.arn ?? '';
const profile = sandbox.config.profiles[0]?.arn ?? '';

// Asynchronous spawns: the sandbox runs in this process and must keep answering.
function runOnce(command: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${command} failed: ${stderr}`))));
  });
}

async function time(command: string, args: readonly string[]): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) samples.push(await runOnce(command, args));
  return samples;
}

const cli = join(root, 'bin', 'rolecall.mjs');
const common = ['--endpoint', sandbox.url, '--trust-anchor-arn', anchor, '--profile-arn', profile, '--role-arn', 'arn:aws:iam::123456789012:role/Bench', '--intermediates', pki('intermediate-ca.cert.pem')];
const rows: (string | number)[][] = [];
const floor = await time(process.execPath, ['-e', '0']);
rows.push(['node -e 0', ms(percentile(floor, 50)), ms(percentile(floor, 95))]);
reportFigure({ name: 'node -e 0 p50 (same run)', value: percentile(floor, 50), unit: 'ms' });
for (const [label, cert, key] of [
  ['credential-process, EC P-256 key', 'leaf-ec-p256.cert.pem', 'leaf-ec-p256.key.pkcs8.pem'],
  ['credential-process, RSA-2048 key', 'leaf-rsa2048.cert.pem', 'leaf-rsa2048.key.pkcs8.pem'],
] as const) {
  const samples = await time(process.execPath, [cli, 'credential-process', '--certificate', pki(cert), '--private-key', pki(key), ...common]);
  rows.push([label, ms(percentile(samples, 50)), ms(percentile(samples, 95))]);
  reportFigure({ name: `drop-in ${label} p50`, value: percentile(samples, 50), unit: 'ms' });
}
const p12 = await time(process.execPath, [cli, 'credential-process', '--certificate', pki('leaf-rsa2048.p12'), '--pkcs8-password', 'rolecall-test', ...common]);
rows.push(['credential-process, PKCS#12 (modern)', ms(percentile(p12, 50)), ms(percentile(p12, 95))]);
reportFigure({ name: 'drop-in credential-process, PKCS#12 (modern) p50', value: percentile(p12, 50), unit: 'ms' });
await sandbox.stop();
console.log(`${RUNS} runs each, sequential; the sandbox answers in well under 1 ms on loopback.`);
console.log(table(['command', 'p50', 'p95'], rows));
