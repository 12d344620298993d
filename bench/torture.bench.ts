// Crash torture, long form (issue 8's goal: 1,000 rounds, 0 violations): a real agent SIGKILLed while it
// refreshes short-lived sessions into the AWS files and `/usr/bin/aws configure set` edits other sections
// (tests/torture/crash-torture.ts has the round and its checks). Rounds: BENCH_TORTURE_ROUNDS; the
// default (20) keeps `npm run bench` short. The 1,000 rounds of the goal (about an hour on 2 cores):
//   BENCH_TORTURE_ROUNDS=1000 npm run bench torture
import { awsCliPresent, startTortureWorld, type RoundResult } from '../tests/torture/crash-torture';
import { inPrivateKeyring } from './private-keyring';
import { reportFigure } from './report';
import { ms, percentile, table } from './stats';

inPrivateKeyring();
const ROUNDS = Number(process.env.BENCH_TORTURE_ROUNDS ?? '20');
if (!(await awsCliPresent())) throw new Error('the crash torture needs Debian\'s /usr/bin/aws (apt-get install awscli)');

const world = await startTortureWorld({ root: process.env.ROLECALL_ROOT ?? '.' });
const results: RoundResult[] = [];
const started = performance.now();
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    const result = await world.runRound(round);
    results.push(result);
    for (const violation of result.violations) console.log(`  ✗ ${violation}`);
    if ((round + 1) % 50 === 0 || round + 1 === ROUNDS) {
      const kills = results.filter((r) => r.killDuringWrite).length;
      const violations = results.reduce((sum, r) => sum + r.violations.length, 0);
      console.log(`  ${round + 1}/${ROUNDS} rounds, ${kills} kills during a write, ${violations} violations, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
  }
} finally {
  const leftovers = await world.leftoverTempFiles();
  const scan = await world.scanSecrets();
  for (const finding of scan.findings) console.log(`  ✗ secret found in ${finding.path}: ${finding.what}`);
  const mints = world.sandbox.requests.count('CreateSession', 201);
  await world.close();
  const kills = results.filter((r) => r.killDuringWrite).length;
  const violations = results.reduce((sum, r) => sum + r.violations.length, 0);
  const lost = results.reduce((sum, r) => sum + r.lostActivations, 0);
  const restarts = results.map((r) => r.restartMs);
  const recoveries = results.map((r) => r.recoveredMs);
  const slow = results.filter((r) => r.notServingAtRestart > 0).length;
  console.log(table(
    ['rounds', 'kills during a write', 'violations', 'activations lost', 'restart to status p50 / p95', 'rounds not all served at restart', 'all served again p50 / max', 'temp files left', 'sessions minted'],
    [[results.length, kills, violations, lost, `${ms(percentile(restarts, 50))} / ${ms(percentile(restarts, 95))}`, slow, `${ms(percentile(recoveries, 50))} / ${ms(Math.max(...recoveries))}`, leftovers, mints]],
  ));
  reportFigure({ name: 'crash torture: rounds', value: results.length, goal: '1,000', holds: results.length >= 1000 });
  reportFigure({ name: 'crash torture: kills during a write', value: kills });
  reportFigure({ name: 'crash torture: violations (files, sections, activations)', value: violations, goal: '0', holds: violations === 0 });
  reportFigure({ name: 'crash torture: activations lost across restarts', value: lost, goal: '0', holds: lost === 0 });
  reportFigure({ name: 'crash torture: rounds where some profile was not served at the first status after restart', value: slow });
  reportFigure({ name: 'crash torture: restart until every profile is served again, max', value: Math.max(...recoveries), unit: 'ms' });
  reportFigure({ name: 'crash torture: temp files left by killed agents', value: leftovers });
  reportFigure({ name: `crash torture: secrets found in the world's files (${scan.files} files, ${scan.secrets} secrets)`, value: scan.findings.length, goal: '0', holds: scan.findings.length === 0 });
}
