// Short fuzz of the AWS files' line model under delivery edits (the long run is `npm run bench fuzz`).
import { expect, test } from 'vitest';
import { iniTargets } from './ini-targets';

const RUNS = Number(process.env.ROLECALL_FUZZ_RUNS ?? 300);

test.each(iniTargets().map((target) => [target.name, target] as const))('%s: never throws and keeps every byte it does not own', async (_name, target) => {
  const report = await target.run({ numRuns: RUNS });
  expect(report.cases).toBeGreaterThanOrEqual(RUNS);
});
