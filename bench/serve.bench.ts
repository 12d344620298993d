// `rolecall serve` under load: the real agent's container-credentials endpoint (started by the real
// `rolecall serve NAME`, its printed URI and token) driven by autocannon at a fixed 1,000 requests per
// second for BENCH_SERVE_SECONDS (default 10) after a 2 s warm-up, each request with the token header.
// Goal (issue 8): p99 ≤ 5 ms, 0 errors.
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { createAgentWorld } from './agent-world';
import { inPrivateKeyring } from './private-keyring';
import { reportFigure } from './report';
import { ms, table } from './stats';

inPrivateKeyring();
const RATE = 1000;
const SECONDS = Number(process.env.BENCH_SERVE_SECONDS ?? '10');
const NAME = 'served';

const world = await createAgentWorld();
try {
  world.spawnAgent();
  const client = await world.connect();
  await world.addProfiles(client, [NAME]);
  await client.call('sessions.activate', { name: NAME });
  await client.close();

  const serve = spawn(process.execPath, [world.cli, 'serve', NAME, '--shell', 'bash'], { env: world.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exports = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    // The exports (stdout) and "Serving until Ctrl-C" (stderr) come through separate pipes: wait for both.
    const check = () => {
      if (stderr.includes('Serving until') && stdout.includes('AWS_CONTAINER_AUTHORIZATION_TOKEN=')) resolve(stdout);
    };
    serve.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      check();
    });
    serve.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      check();
    });
    serve.once('exit', (code) => reject(new Error(`rolecall serve exited with ${code}: ${stderr}`)));
  });
  const exported = (name: string) => new RegExp(`${name}='([^']+)'`).exec(exports)?.[1] ?? '';
  const url = exported('AWS_CONTAINER_CREDENTIALS_FULL_URI');
  const token = exported('AWS_CONTAINER_AUTHORIZATION_TOKEN');
  if (!url || !token) throw new Error('rolecall serve printed no URI or token');

  const load = (duration: number) => autocannon({ url, connections: 10, overallRate: RATE, duration, headers: { authorization: token } });
  await load(2);
  const result = await load(SECONDS);
  serve.kill('SIGINT');
  await new Promise((resolve) => serve.once('exit', resolve));

  const failures = result.errors + result.timeouts + result.non2xx;
  const rate = result.requests.total / SECONDS;
  console.log(`${SECONDS} s at ${RATE} req/s over 10 connections (autocannon, corrected for coordinated omission), after a 2 s warm-up.`);
  console.log(table(
    ['requests', 'rate', 'p50', 'p97.5', 'p99', 'max', 'errors', 'timeouts', 'non-2xx'],
    [[result.requests.total, `${rate.toFixed(0)}/s`, ms(result.latency.p50), ms(result.latency.p97_5), ms(result.latency.p99), ms(result.latency.max), result.errors, result.timeouts, result.non2xx]],
  ));
  reportFigure({ name: `serve at ${RATE} req/s: achieved rate`, value: Math.round(rate), unit: 'req/s', goal: `≥ ${RATE * 0.98}`, holds: rate >= RATE * 0.98 });
  reportFigure({ name: `serve at ${RATE} req/s: p50 latency`, value: result.latency.p50, unit: 'ms' });
  reportFigure({ name: `serve at ${RATE} req/s: p99 latency`, value: result.latency.p99, unit: 'ms', goal: '≤ 5 ms', holds: result.latency.p99 <= 5 });
  reportFigure({ name: `serve at ${RATE} req/s: errors, timeouts and non-2xx`, value: failures, goal: '0', holds: failures === 0 });
} finally {
  await world.close();
}
