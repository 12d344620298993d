// The rules every fuzz target checks, and one runner shared by the short runs in `npm test` and the
// long ones in bench/fuzz.bench.ts. A target names its input generator and one check per case; the
// check throws a FuzzViolation when the code under test crashed, hung or failed with anything but a
// RolecallError of a known code other than INTERNAL. No vitest import here: the bench bundles it.
import fc from 'fast-check';
import { ERRORS, RolecallError, type ErrorCode } from '../../src/shared/errors';

export class FuzzViolation extends Error {
  override readonly name = 'FuzzViolation';
}

export interface FuzzTarget<T> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<T>;
  /** Runs one case; throws (a FuzzViolation, or the escaped error) when the outcome breaks the rules. */
  readonly check: (input: T) => void | Promise<void>;
  /** Inputs the fuzz once found wrong, kept as regressions: they run first, every time. */
  readonly regressions?: readonly T[];
}

/** A target with its input type erased, so targets of different inputs share one list. */
export interface AnyFuzzTarget {
  readonly name: string;
  run(options: FuzzRunOptions): Promise<FuzzReport>;
}

export interface FuzzRunOptions {
  readonly numRuns: number;
  readonly seed?: number;
  /**
   * false (tests): stop at the first violation, shrink it and throw fast-check's report.
   * true (bench): run every case and count the violations.
   */
  readonly countAll?: boolean;
}

export interface FuzzReport {
  readonly target: string;
  readonly cases: number;
  readonly failures: number;
  /** The first violation, as text (never a secret: fuzz inputs are generated or test fixtures). */
  readonly firstFailure?: string;
  readonly milliseconds: number;
}

export function defineTarget<T>(target: FuzzTarget<T>): AnyFuzzTarget {
  return {
    name: target.name,
    async run({ numRuns, seed, countAll = false }) {
      const started = performance.now();
      const examples = (target.regressions ?? []).map((input): [T] => [input]);
      let cases = 0;
      let failures = 0;
      let firstFailure: string | undefined;
      const property = fc.asyncProperty(target.arbitrary, async (input) => {
        cases += 1;
        if (!countAll) return void (await target.check(input));
        try {
          await target.check(input);
        } catch (error) {
          failures += 1;
          firstFailure ??= `${describe(error)}\n  input: ${fc.stringify(input).slice(0, 2000)}`;
        }
      });
      await fc.assert(property, { numRuns, examples, ...(seed === undefined ? {} : { seed }) });
      return { target: target.name, cases, failures, milliseconds: performance.now() - started, ...(firstFailure === undefined ? {} : { firstFailure }) };
    },
  };
}

/** Codes a parser may answer with; anything else (INTERNAL, an unknown code) is a violation. */
export function codes(...list: ErrorCode[]): ReadonlySet<ErrorCode> {
  return new Set(list);
}

/** Throws a FuzzViolation unless `error` is a typed RolecallError with a known code (from `allowed`, when given). */
export function assertTypedError(error: unknown, allowed?: ReadonlySet<ErrorCode>): asserts error is RolecallError {
  if (!(error instanceof RolecallError)) throw new FuzzViolation(`untyped error: ${describe(error)}`, { cause: error });
  if (!Object.hasOwn(ERRORS, error.code) || error.code === 'INTERNAL') {
    throw new FuzzViolation(`error code ${error.code}: ${error.detail ?? ''}`, { cause: error });
  }
  if (allowed !== undefined && !allowed.has(error.code)) {
    throw new FuzzViolation(`unexpected code ${error.code} (${error.detail ?? ''}); expected one of ${[...allowed].join(', ')}`, { cause: error });
  }
}

/**
 * No case may take this long. Parsers answer in milliseconds, but a damaged key file can legitimately
 * ask for up to the 1,000,000 key derivation iterations pki accepts (several seconds in node-forge on a
 * loaded 2-core machine): the limit sits above that, far below a hang.
 */
export const CASE_TIME_LIMIT_MS = 10_000;

/**
 * Runs a synchronous action: it must return, or throw a typed error, within CASE_TIME_LIMIT_MS. A
 * synchronous hang cannot be interrupted, so a slow case is reported once it ends.
 */
export function expectTyped<R>(action: () => R, allowed?: ReadonlySet<ErrorCode>): { ok: true; value: R } | { ok: false; error: RolecallError } {
  const started = performance.now();
  let outcome: { ok: true; value: R } | { ok: false; error: RolecallError };
  try {
    outcome = { ok: true, value: action() };
  } catch (error) {
    assertTypedError(error, allowed);
    outcome = { ok: false, error };
  }
  checkDuration(started);
  return outcome;
}

/** For code that must answer every input without throwing (it reports problems as values). */
export function expectReturns<R>(action: () => R): R {
  const outcome = expectTyped(action, codes());
  if (!outcome.ok) throw new FuzzViolation(`threw ${outcome.error.code}`);
  return outcome.value;
}

/** expectTyped for promises, with a deadline that fails the case instead of waiting forever. */
export async function expectTypedAsync<R>(
  action: () => Promise<R>,
  allowed?: ReadonlySet<ErrorCode>,
  limitMs = CASE_TIME_LIMIT_MS,
): Promise<{ ok: true; value: R } | { ok: false; error: RolecallError }> {
  try {
    return { ok: true, value: await withDeadline(action(), limitMs) };
  } catch (error) {
    if (error instanceof FuzzViolation) throw error;
    assertTypedError(error, allowed);
    return { ok: false, error };
  }
}

export async function withDeadline<R>(promise: Promise<R>, limitMs: number, what = 'the case'): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new FuzzViolation(`${what} did not end within ${limitMs} ms`)), limitMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function checkDuration(started: number): void {
  const elapsed = performance.now() - started;
  if (elapsed > CASE_TIME_LIMIT_MS) throw new FuzzViolation(`the case took ${Math.round(elapsed)} ms (limit ${CASE_TIME_LIMIT_MS} ms)`);
}

function describe(error: unknown): string {
  if (error instanceof RolecallError) return `RolecallError ${error.code}: ${error.detail ?? ''}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Runs targets one after the other; what the tests and the bench both call. */
export async function runTargets(targets: readonly AnyFuzzTarget[], options: FuzzRunOptions): Promise<FuzzReport[]> {
  const reports: FuzzReport[] = [];
  for (const target of targets) reports.push(await target.run(options));
  return reports;
}
