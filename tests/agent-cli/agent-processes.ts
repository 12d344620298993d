// Finds the agents a test's CLI started, by reading /proc (Linux): the background agent is detached
// and unref'd, so no handle to it exists in the test process.
import { readdir, readFile } from 'node:fs/promises';

/** Pids of live `rolecall agent` processes whose ROLECALL_HOME is `dataDir`. */
export async function agentPids(dataDir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const [cmdline, environ, stat] = await Promise.all([
        readFile(`/proc/${entry}/cmdline`, 'utf8'),
        readFile(`/proc/${entry}/environ`, 'utf8'),
        readFile(`/proc/${entry}/stat`, 'utf8'),
      ]);
      // A zombie has exited; only its exit status is left for its (gone) parent to collect.
      const zombie = stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
      const args = cmdline.split('\0');
      if (!zombie && args.includes('agent') && environ.split('\0').includes(`ROLECALL_HOME=${dataDir}`)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked, or belongs to someone else.
    }
  }
  return pids;
}

/** Polls until `check` holds or `timeoutMs` passes; returns its last answer. */
export async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (check(value) || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
