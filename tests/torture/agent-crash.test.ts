// The short crash torture in npm test: ten rounds of SIGKILLing a real agent while it writes and the
// AWS CLI edits other sections (tests/torture/crash-torture.ts). bench/torture.bench.ts runs 1,000.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, PROJECT_ROOT } from '../helpers/cli';
import { awsCliPresent, startTortureWorld, type RoundResult, type TortureWorld } from './crash-torture';

const ROUNDS = 10;

describe.runIf(await awsCliPresent())('an agent killed while it writes, with the AWS CLI editing the same files', () => {
  let world: TortureWorld;
  beforeAll(async () => {
    assertCliBuilt();
    world = await startTortureWorld({ root: PROJECT_ROOT });
  });
  afterAll(async () => {
    await world?.close();
  });

  it(`keeps every foreign line, every Rolecall section whole and every activation across ${ROUNDS} kills`, async () => {
    const results: RoundResult[] = [];
    for (let round = 0; round < ROUNDS; round += 1) results.push(await world.runRound(round));
    const violations = results.flatMap((result) => result.violations);
    expect(violations).toEqual([]);
    // The aimed rounds wait for a write to begin: at least one kill must have interrupted one.
    expect(results.some((result) => result.killDuringWrite)).toBe(true);
  }, 120_000);

  it('leaves no key or session secret in the killed agents\' logs, data or temp files', async () => {
    const scan = await world.scanSecrets();
    expect(scan.files).toBeGreaterThan(3);
    expect(scan.findings).toEqual([]);
  });
});
