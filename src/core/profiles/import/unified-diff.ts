// A unified diff of two texts, line by line (`diff -u` layout, without its "no newline" notes): what
// the import preview shows of the config file before anything is written.

type Edit = { readonly op: ' ' | '-' | '+'; readonly text: string };

export interface DiffOptions {
  readonly fromName: string;
  readonly toName: string;
  /** Unchanged lines shown around each change. */
  readonly context?: number;
}

/** Empty when the texts hold the same lines. CRLF and LF endings both split lines and are not shown. */
export function unifiedDiff(before: string, after: string, options: DiffOptions): string {
  const edits = diffLines(splitLines(before), splitLines(after));
  const hunks = hunksOf(edits, options.context ?? 3);
  if (hunks.length === 0) return '';
  return [`--- ${options.fromName}`, `+++ ${options.toName}`, ...hunks.flat()].join('\n') + '\n';
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Myers' O((N+M)D) shortest edit script: fast when, as here, few lines change in a long file. */
function diffLines(a: readonly string[], b: readonly string[]): Edit[] {
  const max = a.length + b.length;
  const offset = max + 1;
  const frontier = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  search: for (let d = 0; d <= max; d += 1) {
    trace.push(frontier.slice());
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (frontier[offset + k - 1] as number) < (frontier[offset + k + 1] as number));
      let x = down ? (frontier[offset + k + 1] as number) : (frontier[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < a.length && y < b.length && a[x] === b[y]) {
        x += 1;
        y += 1;
      }
      frontier[offset + k] = x;
      if (x >= a.length && y >= b.length) break search;
    }
  }
  // Walk back from the end through the frontiers each round saw.
  const edits: Edit[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d -= 1) {
    const seen = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (seen[offset + k - 1] as number) < (seen[offset + k + 1] as number));
    const previousK = down ? k + 1 : k - 1;
    const previousX = d === 0 ? 0 : (seen[offset + previousK] as number);
    const previousY = d === 0 ? 0 : previousX - previousK;
    while (x > previousX && y > previousY) {
      x -= 1;
      y -= 1;
      edits.push({ op: ' ', text: a[x] as string });
    }
    if (d > 0) {
      if (down) edits.push({ op: '+', text: b[previousY] as string });
      else edits.push({ op: '-', text: a[previousX] as string });
    }
    x = previousX;
    y = previousY;
  }
  return edits.reverse();
}

function hunksOf(edits: readonly Edit[], context: number): string[][] {
  const changed = edits.flatMap((edit, index) => (edit.op === ' ' ? [] : [index]));
  const hunks: string[][] = [];
  let cursor = 0;
  while (cursor < changed.length) {
    const first = changed[cursor] as number;
    let last = first;
    // Changes closer than twice the context share one hunk, as in diff -u.
    while (cursor + 1 < changed.length && (changed[cursor + 1] as number) - last <= 2 * context + 1) {
      cursor += 1;
      last = changed[cursor] as number;
    }
    cursor += 1;
    const start = Math.max(0, first - context);
    const end = Math.min(edits.length, last + context + 1);
    hunks.push(renderHunk(edits, start, end));
  }
  return hunks;
}

function renderHunk(edits: readonly Edit[], start: number, end: number): string[] {
  let oldLine = 0;
  let newLine = 0;
  for (const edit of edits.slice(0, start)) {
    if (edit.op !== '+') oldLine += 1;
    if (edit.op !== '-') newLine += 1;
  }
  const body = edits.slice(start, end);
  const oldCount = body.filter((edit) => edit.op !== '+').length;
  const newCount = body.filter((edit) => edit.op !== '-').length;
  // An empty range names the line before it, as diff -u does.
  const range = (line: number, count: number) => `${count === 0 ? line : line + 1},${count}`;
  return [`@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@`, ...body.map((edit) => `${edit.op}${edit.text}`)];
}
