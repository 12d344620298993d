// Short fuzz of what users type and paste: ARNs, credential_process lines, import previews, CLI arguments.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AnyFuzzTarget } from './harness';
import { openImportTarget, textTargets } from './text-targets';

const RUNS = Number(process.env.ROLECALL_FUZZ_RUNS ?? 300);

describe('fuzzing typed input: no crash, no hang, only typed errors', () => {
  test.each(textTargets().map((target) => [target.name, target] as const))('%s', async (_name, target) => {
    const report = await target.run({ numRuns: RUNS });
    expect(report.cases).toBeGreaterThanOrEqual(RUNS);
  });

  describe('import preview from a config file on disk', () => {
    let opened: { target: AnyFuzzTarget; close(): Promise<void> };
    beforeAll(async () => {
      opened = await openImportTarget();
    });
    afterAll(() => opened.close());

    test('every config file previews to candidates with typed problems, or a typed error', async () => {
      await opened.target.run({ numRuns: Math.ceil(RUNS / 3) });
    });
  });
});
