#!/usr/bin/env node
// The `rolecall` command: runs the bundled CLI (built by `npm run build:cli`, also on `npm ci`).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.mjs');
if (!existsSync(bundle)) {
  process.stderr.write('rolecall: the CLI is not built yet. Run `npm run build:cli` in the Rolecall folder.\n');
  process.exit(1);
}
await import(pathToFileURL(bundle).href);
