// The figures protocol every benchmark shares: a figure is printed as a line for the reader and, when
// `npm run bench` asks for it (env ROLECALL_BENCH_REPORT), appended as one JSON line to that file, from
// which scripts/bench.mjs writes docs/benchmarks.md. Appending whole lines lets benches run one after
// another (or a bench run on its own) without coordinating.
import { appendFileSync } from 'node:fs';

export interface Figure {
  readonly name: string;
  readonly value: number | string;
  readonly unit?: string;
  /** The goal in words, e.g. "≤ 10 ms" or "0". */
  readonly goal?: string;
  /** Whether the value meets the goal on this machine; absent when there is no goal. */
  readonly holds?: boolean;
}

function formatValue(figure: Figure): string {
  const value = typeof figure.value === 'number' && !Number.isInteger(figure.value) ? figure.value.toFixed(2) : String(figure.value);
  return figure.unit === undefined ? value : `${value} ${figure.unit}`;
}

export function reportFigure(figure: Figure): void {
  const verdict = figure.holds === undefined ? '' : figure.holds ? '  ✓ holds' : '  ✗ MISSES';
  const goal = figure.goal === undefined ? '' : `  (goal ${figure.goal})`;
  console.log(`figure: ${figure.name} = ${formatValue(figure)}${goal}${verdict}`);
  const file = process.env.ROLECALL_BENCH_REPORT;
  if (file !== undefined && file !== '') appendFileSync(file, `${JSON.stringify({ ...figure, bench: process.env.ROLECALL_BENCH_NAME })}\n`);
}
