#!/usr/bin/env node
// `npm run bench [name…]`: bundles each bench/*.bench.ts with esbuild and runs it with node; each
// prints its own table. Builds the CLI first, since several benchmarks time the real command.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wanted = process.argv.slice(2);
const benches = readdirSync(join(root, 'bench'))
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.includes(name)));

spawnSync('npm', ['run', '--silent', 'build:cli'], { cwd: root, stdio: 'inherit' });
const outdir = mkdtempSync(join(tmpdir(), 'rolecall-bench-'));
try {
  for (const file of benches) {
    const outfile = join(outdir, file.replace(/\.ts$/, '.mjs'));
    await build({
      entryPoints: [join(root, 'bench', file)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['keytar', 'playwright-core', '@playwright/test', 'chromium-bidi'],
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
      define: { 'import.meta.dirname': JSON.stringify(join(root, 'bench')) },
      logLevel: 'warning',
    });
    console.log(`\n## ${file.replace('.bench.ts', '')}`);
    const result = spawnSync(process.execPath, [outfile], { cwd: root, stdio: 'inherit', env: { ...process.env, ROLECALL_ROOT: root } });
    if (result.status !== 0) process.exitCode = 1;
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
