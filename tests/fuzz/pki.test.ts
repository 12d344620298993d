// Short fuzz of every PKI parser (the long run is `npm run bench fuzz`).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AnyFuzzTarget } from './harness';
import { openPkiFileTarget, pkiTargets } from './pki-targets';

const RUNS = Number(process.env.ROLECALL_FUZZ_RUNS ?? 150);

describe('fuzzing the PKI parsers: no crash, no hang, only typed errors', () => {
  test.each(pkiTargets().map((target) => [target.name, target] as const))('%s', async (_name, target) => {
    const report = await target.run({ numRuns: RUNS });
    expect(report.cases).toBeGreaterThanOrEqual(RUNS);
  });

  describe('from files on disk', () => {
    let opened: { target: AnyFuzzTarget; close(): Promise<void> };
    beforeAll(async () => {
      opened = await openPkiFileTarget();
    });
    afterAll(() => opened.close());

    test('loadCredentialFiles answers every file, folder and missing path with a typed error or credentials', async () => {
      await opened.target.run({ numRuns: Math.ceil(RUNS / 3) });
    });
  });
});
