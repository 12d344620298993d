#!/usr/bin/env node
// `npm run bench [name…]`: bundles each bench/*.bench.ts with esbuild and runs it with node; each
// prints its own table and reports its key figures (bench/report.ts) as JSON lines to the file named by
// ROLECALL_BENCH_REPORT. Afterwards docs/benchmarks.md is rewritten: one row per figure with its goal and
// whether it holds here. Running only some benches keeps the other benches' rows from the last full run
// (the raw figures ride along in the document, in a comment), each marked with the run it came from.
// Builds the CLI first, since several benchmarks time the real command.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const documentPath = join(root, 'docs', 'benchmarks.md');
const FIGURES_MARK = '<!-- figures (kept for partial runs; edit the benches, not this) ';
const wanted = process.argv.slice(2);
const benches = readdirSync(join(root, 'bench'))
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.includes(name)));

function machine() {
  const cores = cpus();
  return {
    cores: cores.length,
    cpu: cores[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  };
}

function readFigures(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line)];
      } catch {
        return [];
      }
    });
}

/** The runs recorded in the current document, keyed by bench name. */
function previousRuns() {
  if (!existsSync(documentPath)) return new Map();
  const text = readFileSync(documentPath, 'utf8');
  const start = text.indexOf(FIGURES_MARK);
  if (start < 0) return new Map();
  const end = text.indexOf(' -->', start);
  try {
    return new Map(Object.entries(JSON.parse(text.slice(start + FIGURES_MARK.length, end))));
  } catch {
    return new Map();
  }
}

function formatValue(figure) {
  const value = typeof figure.value === 'number' && !Number.isInteger(figure.value) ? figure.value.toFixed(2) : String(figure.value);
  return figure.unit ? `${value} ${figure.unit}` : value;
}

function cell(text) {
  return String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function describeMachine(m) {
  return `${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB memory, Node ${m.node}, ${m.platform}, ${m.date}`;
}

function writeDocument(runs) {
  const names = [...runs.keys()].sort();
  const machines = [...new Set(names.map((name) => describeMachine(runs.get(name).machine)))];
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (scripts/bench.mjs) from the figures each `bench/*.bench.ts` reports; do not edit by hand.',
    'Goals are issue 8\'s. "holds" is judged on the machine the figure was measured on:',
    '',
    ...machines.map((m) => `- ${m}`),
    '',
    '| bench | figure | value | goal | holds |',
    '|---|---|---|---|---|',
  ];
  for (const name of names) {
    const run = runs.get(name);
    const stamp = machines.length > 1 ? ` (${run.machine.date})` : '';
    for (const figure of run.figures) {
      const holds = figure.holds === undefined ? '' : figure.holds ? 'yes' : '**no**';
      lines.push(`| ${cell(name + stamp)} | ${cell(figure.name)} | ${cell(formatValue(figure))} | ${cell(figure.goal ?? '')} | ${holds} |`);
    }
  }
  lines.push('', `${FIGURES_MARK}${JSON.stringify(Object.fromEntries(runs))} -->`, '');
  writeFileSync(documentPath, lines.join('\n'));
}

spawnSync('npm', ['run', '--silent', 'build:cli'], { cwd: root, stdio: 'inherit' });
// Inside the project, so the bundles' external packages (keytar, a native addon) resolve from node_modules.
const cacheDir = join(root, 'node_modules', '.cache');
mkdirSync(cacheDir, { recursive: true });
const outdir = mkdtempSync(join(cacheDir, 'rolecall-bench-'));
const allBenches = new Set(readdirSync(join(root, 'bench')).filter((file) => file.endsWith('.bench.ts')).map((file) => file.replace('.bench.ts', '')));
const fresh = new Map();
try {
  for (const file of benches) {
    const name = file.replace('.bench.ts', '');
    const outfile = join(outdir, file.replace(/\.ts$/, '.mjs'));
    const reportFile = join(outdir, `${name}.figures.jsonl`);
    console.log(`\n## ${name}`);
    const built = await build({
      entryPoints: [join(root, 'bench', file)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['keytar', 'pkcs11js', 'playwright-core', '@playwright/test', 'chromium-bidi'],
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
      define: { 'import.meta.dirname': JSON.stringify(join(root, 'bench')) },
      logLevel: 'warning',
    }).then(
      () => true,
      () => false,
    );
    // A bench that does not build (someone's half-done edit) is a failed row, not the end of the run.
    if (!built) {
      process.exitCode = 1;
      fresh.set(name, { machine: machine(), figures: [{ name: 'bench run', value: 'did not build', goal: 'builds and exits 0', holds: false }] });
      continue;
    }
    const result = spawnSync(process.execPath, [outfile], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ROLECALL_ROOT: root, ROLECALL_BENCH_REPORT: reportFile, ROLECALL_BENCH_NAME: name },
    });
    const figures = readFigures(reportFile).map(({ bench: _bench, ...figure }) => figure);
    if (result.status !== 0) {
      process.exitCode = 1;
      figures.push({ name: 'bench run', value: result.signal ?? `exit code ${result.status}`, goal: 'exit code 0', holds: false });
    }
    fresh.set(name, { machine: machine(), figures });
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
// Read the document only now: another bench run may have rewritten it meanwhile. Rows of benches that
// no longer exist are dropped.
writeDocument(new Map([...[...previousRuns()].filter(([name]) => allBenches.has(name)), ...fresh]));
console.log(`\nWrote ${documentPath.slice(root.length + 1)}.`);
