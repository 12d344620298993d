#!/usr/bin/env node
// Bundles the CLI into dist/cli so `rolecall` starts fast: one file for the hot path, with each command
// split into its own chunk and loaded only when used. keytar and pkcs11js (optional) stay external (native addons).
import { build } from 'esbuild';
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'dist', 'cli');
// Built beside the target and swapped in, so a `rolecall` started during a rebuild finds a whole bundle.
const outdir = `${target}.building-${process.pid}`;
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: { main: join(root, 'src/cli/main.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  external: ['keytar', 'pkcs11js'],
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies (node-forge, the AWS SDK) call require(); give ESM chunks one.
  banner: { js: "import { createRequire as __rolecallCreateRequire } from 'node:module'; const require = __rolecallCreateRequire(import.meta.url);" },
  define: { ROLECALL_VERSION: JSON.stringify(version) },
});

const previous = `${target}.previous-${process.pid}`;
try {
  renameSync(target, previous);
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}
renameSync(outdir, target);
rmSync(previous, { recursive: true, force: true });
