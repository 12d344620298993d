// Run as a separate process by json-document.test.ts: adds 1 to the counter `times` times, each in its
// own locked update, to prove that updaters in different processes never lose each other's change.
import { z } from 'zod';
import { JsonDocument } from '../../../../src/core/store/json-document';

const [path, times] = process.argv.slice(2);
const doc = new JsonDocument({
  path: path!,
  schema: z.object({ counter: z.number().int(), writers: z.array(z.string()) }),
  defaultValue: () => ({ counter: 0, writers: [] as string[] }),
  lockTimeoutMs: 30_000,
});
for (let i = 0; i < Number(times); i += 1) {
  await doc.update((current) => ({ counter: current.counter + 1, writers: [...current.writers, `${process.pid}:${i}`] }));
}
