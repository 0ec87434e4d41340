/**
 * A search as its reports read it (and as `search.json` holds it).
 *
 * @module
 */

/** One probe: a full phase (warmup, then profiling) at one value. */
export interface SearchProbe {
  /** The value probed. */
  readonly value: number;
  /** Whether it met the target (good share at least the target, errors under the limit). */
  readonly passed: boolean;
  /** Successful requests. */
  readonly ok: number;
  /** Failed requests. */
  readonly errors: number;
  /** Requests that met every SLO. */
  readonly good: number;
  /** `good / (ok + errors)`. */
  readonly fraction: number;
  /** The 95 % interval of the good share (Wilson). */
  readonly fraction_interval: readonly [number, number];
  /** Why the search chose this value. */
  readonly why: string;
  /** The probe's profiling metrics. */
  readonly metrics: Readonly<Record<string, object>>;
  /** The probe's own exports, relative to the search's folder, if written. */
  readonly dir?: string;
}

/** A whole search. */
export interface SearchData {
  /** `request_rate` or `concurrency`. */
  readonly field: string;
  /** Share of requests that must meet the SLOs. */
  readonly target: number;
  /** The SLOs (`--goodput`). */
  readonly slos: readonly { readonly metric: string; readonly limit: number }[];
  /** Bounds and stopping rules. */
  readonly rules: Readonly<Record<string, number>>;
  /** The probes, in run order. */
  readonly probes: readonly SearchProbe[];
  /** The largest value that met the target, if any did. */
  readonly answer?: number;
  /** The smallest value above the answer that missed it, if any did. */
  readonly missed_at?: number;
  /** Why the search stopped. */
  readonly stopped: string;
  /** The answer and its uncertainty in words. */
  readonly summary: string;
  /** What was benchmarked (from the first probe's run). */
  readonly benchmark: Readonly<Record<string, unknown>>;
}
