// The long fuzz run: every target of tests/fuzz with many more cases than `npm test` tries, counting
// every violation instead of stopping at the first. Prints the cases tried and failures per target
// (goal: 0) and reports them as figures for docs/benchmarks.md. ROLECALL_FUZZ_SCALE multiplies the
// case counts (default 1; 0.1 for a quick look).
import 'reflect-metadata';
import { openAgentTarget } from '../tests/fuzz/agent-targets';
import type { AnyFuzzTarget, FuzzReport } from '../tests/fuzz/harness';
import { iniTargets } from '../tests/fuzz/ini-targets';
import { openPkiFileTarget, pkiTargets } from '../tests/fuzz/pki-targets';
import { openSandboxTarget } from '../tests/fuzz/sandbox-targets';
import { openImportTarget, textTargets } from '../tests/fuzz/text-targets';
import { reportFigure } from './report';
import { table } from './stats';

const scale = Number(process.env.ROLECALL_FUZZ_SCALE ?? 1);
/** In-process parsers answer in well under a millisecond; targets with files, sockets or HTTP take a few. */
const FAST_RUNS = 20_000;
const SLOW_RUNS = 3_000;

interface Opened {
  readonly target: AnyFuzzTarget;
  close(): Promise<void>;
}

const reports: FuzzReport[] = [];
const runs = (base: number) => Math.max(1, Math.round(base * scale));

async function run(target: AnyFuzzTarget, numRuns: number): Promise<void> {
  const report = await target.run({ numRuns, countAll: true });
  reports.push(report);
  console.log(`fuzz: ${report.target}: ${report.cases} cases, ${report.failures} failures (${(report.milliseconds / 1000).toFixed(1)} s)`);
  if (report.firstFailure !== undefined) console.log(`  first failure: ${report.firstFailure}`);
}

async function runOpened(open: () => Promise<Opened>, numRuns: number): Promise<void> {
  const opened = await open();
  try {
    await run(opened.target, numRuns);
  } finally {
    await opened.close();
  }
}

for (const target of [...pkiTargets(), ...textTargets(), ...iniTargets()]) await run(target, runs(FAST_RUNS));
await runOpened(openPkiFileTarget, runs(SLOW_RUNS));
await runOpened(openImportTarget, runs(SLOW_RUNS));
await runOpened(openAgentTarget, runs(SLOW_RUNS));
await runOpened(openSandboxTarget, runs(SLOW_RUNS));

console.log(table(
  ['target', 'cases', 'failures', 'cases/s'],
  reports.map((report) => [report.target, report.cases.toLocaleString('en-US'), String(report.failures), Math.round(report.cases / (report.milliseconds / 1000)).toLocaleString('en-US')]),
));
const cases = reports.reduce((sum, report) => sum + report.cases, 0);
const failures = reports.reduce((sum, report) => sum + report.failures, 0);
console.log(`fuzz: ${cases} cases, ${failures} failures`);
for (const report of reports) {
  reportFigure({ name: `fuzz: ${report.target}`, value: report.failures, unit: `failures in ${report.cases.toLocaleString('en-US')} cases`, goal: '0', holds: report.failures === 0 });
}
reportFigure({ name: 'fuzz: all targets', value: failures, unit: `failures in ${cases.toLocaleString('en-US')} cases`, goal: '0', holds: failures === 0 });
if (failures > 0) process.exitCode = 1;
