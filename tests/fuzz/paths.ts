// The checkout's root, both under vitest and inside the bench's bundle (where import.meta.url is the
// bundle's temp file): scripts/test.mjs and scripts/bench.mjs each name it in the environment.
import { fileURLToPath } from 'node:url';

export function repoRoot(): string {
  return process.env.ROLECALL_ROOT ?? process.env.ROLECALL_TEST_ROOT ?? fileURLToPath(new URL('../../', import.meta.url));
}
