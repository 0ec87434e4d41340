// The search's decisions, apart from running probes: given the probes so far, the next value
// to try, or the answer. Bracketing doubles from the lower bound until a probe fails (or the
// upper bound passes); bisection then halves the bracket until it is within the precision.

/** One probe's outcome, as the decision sees it. */
export interface ProbeOutcome {
  /** The value probed (a request rate or a concurrency). */
  readonly value: number;
  /** Whether the probe met the target. */
  readonly passed: boolean;
}

/** The search's bounds and stopping rules. */
export interface SearchRules {
  /** Lowest value searched. */
  readonly low: number;
  /** Highest value searched. */
  readonly high: number;
  /** Whole numbers only (a concurrency). */
  readonly integer: boolean;
  /** Stop when the bracket is narrower than this share of its lower end (0.1: 10 %). */
  readonly precision: number;
  /** Stop after this many probes. */
  readonly maxProbes: number;
}

/** What to do next. */
export type Decision =
  | { readonly next: number; readonly why: string }
  | { readonly done: true; readonly why: string; readonly lo?: number; readonly hi?: number };

function passing(history: readonly ProbeOutcome[]): number | undefined {
  const values = history.filter((p) => p.passed).map((p) => p.value);
  return values.length === 0 ? undefined : Math.max(...values);
}

function failing(history: readonly ProbeOutcome[]): number | undefined {
  const values = history.filter((p) => !p.passed).map((p) => p.value);
  return values.length === 0 ? undefined : Math.min(...values);
}

/** The next probe, or the answer, from the probes so far. */
export function nextProbe(history: readonly ProbeOutcome[], rules: SearchRules): Decision {
  if (history.length === 0) return { next: rules.low, why: "start at the lower bound" };
  const lo = passing(history);
  const hi = failing(history);
  if (lo === undefined) {
    return { done: true, why: `the lower bound ${rules.low} already misses the target` };
  }
  if (hi === undefined) {
    if (lo >= rules.high) {
      return { done: true, why: `the upper bound ${rules.high} still meets the target`, lo };
    }
    if (history.length >= rules.maxProbes) {
      return { done: true, why: `${rules.maxProbes} probes (--search-max-iterations)`, lo };
    }
    const next = Math.min(rules.high, rules.integer ? lo * 2 : lo * 2);
    return { next, why: `bracketing: ${lo} met the target, doubling` };
  }
  if (hi <= lo) {
    // Noise: a lower value failed after a higher one passed. The highest passing value below
    // the lowest failure is the answer's floor.
    const below = history.filter((p) => p.passed && p.value < hi).map((p) => p.value);
    const floor = below.length === 0 ? undefined : Math.max(...below);
    return {
      done: true,
      why: `inconsistent probes (${hi} missed the target, ${lo} met it): noisy near the limit`,
      ...(floor === undefined ? {} : { lo: floor }),
      hi,
    };
  }
  const narrow = rules.integer ? hi - lo <= 1 : (hi - lo) / lo <= rules.precision;
  if (narrow) return { done: true, why: "the bracket is within the precision", lo, hi };
  if (history.length >= rules.maxProbes) {
    return { done: true, why: `${rules.maxProbes} probes (--search-max-iterations)`, lo, hi };
  }
  const mid = rules.integer ? Math.floor((lo + hi) / 2) : (lo + hi) / 2;
  return { next: mid, why: `bisecting [${lo}, ${hi}]` };
}
