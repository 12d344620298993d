// Which fault a Roles Anywhere request meets: the "next n" counters first (exact, for tests about one
// failure), then per-request probabilities drawn from a seeded generator, so a long run with random
// faults is the same run every time it is started with the same seed and the same requests.

/** Faults that end a request before it is served. */
export type RefusalFault = 'drop' | 'throttle' | 'fail';
/** Faults that change how a served answer looks or arrives. */
export type AnswerFault = 'expiring' | 'drip' | 'oversized';
export type FaultKind = RefusalFault | AnswerFault;

/** Probability in [0, 1] of each fault per Roles Anywhere request; absent means never. */
export type FaultRates = Partial<Readonly<Record<FaultKind, number>>>;

/** The counters a fault is taken from before any probability is drawn. */
export interface FaultCounters {
  dropNext: number;
  throttleNext: number;
  failNext: number;
  expiringNext: number;
  dripNext: number;
  oversizedNext: number;
}

const COUNTER: Readonly<Record<FaultKind, keyof FaultCounters>> = {
  drop: 'dropNext',
  throttle: 'throttleNext',
  fail: 'failNext',
  expiring: 'expiringNext',
  drip: 'dripNext',
  oversized: 'oversizedNext',
};
const REFUSALS: readonly RefusalFault[] = ['drop', 'throttle', 'fail'];
const ANSWER_FAULTS: readonly AnswerFault[] = ['expiring', 'drip', 'oversized'];
const ALL: readonly FaultKind[] = [...REFUSALS, ...ANSWER_FAULTS];

/** What one request meets: a refusal, or the answer faults its dice rolled (counters are checked later). */
export interface FaultDraw {
  readonly refusal: RefusalFault | undefined;
  readonly rolled: ReadonlySet<AnswerFault>;
}

export class FaultPicker {
  #seed: number;
  #random: () => number;

  constructor(seed: number) {
    this.#seed = seed;
    this.#random = mulberry32(seed);
  }

  /**
   * Draws the faults for one request. Every kind draws one number whatever the counters say, so the
   * sequence of random faults does not shift when a test also uses a counter. A changed seed starts
   * its sequence from the beginning.
   */
  draw(counters: FaultCounters, rates: FaultRates, seed: number): FaultDraw {
    if (seed !== this.#seed) {
      this.#seed = seed;
      this.#random = mulberry32(seed);
    }
    const rolled = new Set<FaultKind>();
    for (const kind of ALL) if (this.#random() < (rates[kind] ?? 0)) rolled.add(kind);
    const answerFaults = new Set(ANSWER_FAULTS.filter((kind) => rolled.has(kind)));
    for (const kind of REFUSALS) {
      if (counters[COUNTER[kind]] > 0) {
        counters[COUNTER[kind]]--;
        return { refusal: kind, rolled: answerFaults };
      }
    }
    return { refusal: REFUSALS.find((kind) => rolled.has(kind)), rolled: answerFaults };
  }
}

/**
 * Whether a served answer meets `kind`: its counter is spent only here, when the answer is really
 * being made, so a request refused or rejected by the service's checks leaves it for the next one.
 */
export function takeAnswerFault(kind: AnswerFault, counters: FaultCounters, draw: FaultDraw | undefined): boolean {
  if (counters[COUNTER[kind]] > 0) {
    counters[COUNTER[kind]]--;
    return true;
  }
  return draw?.rolled.has(kind) ?? false;
}

/** A small, well-mixed 32-bit generator: enough for fault dice, and the same on every platform. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
