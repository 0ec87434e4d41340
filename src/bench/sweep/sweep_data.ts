/**
 * A sweep as its reports read it (and as `sweep.json` holds it): one point per value of the
 * swept timing setting, each with its profiling metrics.
 *
 * @module
 */

/** One value of a sweep and what its profiling phase measured. */
export interface SweepPoint {
  /** The value of the swept setting (a concurrency, a request rate). */
  readonly value: number;
  /** Successful requests. */
  readonly ok: number;
  /** Failed requests. */
  readonly errors: number;
  /** Milliseconds the profiling phase took. */
  readonly duration_ms: number;
  /** The profiling metrics, by AIPerf's names. */
  readonly metrics: Readonly<Record<string, object>>;
  /** The directory of this value's own exports, relative to the sweep's, if written. */
  readonly dir?: string;
  /**
   * What the server's Prometheus metrics said during this value's profiling phase, by role
   * (`running`, `waiting`, `kv_cache`, `gpu_power`, ...); absent when nothing was scraped.
   */
  readonly server?: Readonly<Record<string, SweepServerFigure>>;
}

/** One kind of server series at one value of a sweep (see `SWEEP_SERVER_ROLES`). */
export interface SweepServerFigure {
  /** The metric it came from, e.g. `vllm:num_requests_running`. */
  readonly metric: string;
  /** The unit of the figures, e.g. `requests`, `ratio`, `W`, `ms`. */
  readonly unit: string;
  /**
   * The figures, e.g. `avg` and `max` for a gauge, `total` for a counter, `avg` for a histogram.
   * Several series (GPUs, engines): a gauge's `avg` is the mean of their averages and `max` the
   * highest of any one; a counter's `total` is their sum; a histogram's `avg` is over all of
   * their observations.
   */
  readonly stats: Readonly<Record<string, number>>;
  /** How many endpoint + label series it combines. */
  readonly series: number;
}

/** A whole sweep. */
export interface SweepData {
  /** The timing config field that was swept: `concurrency`, `max_concurrency`, `request_rate`. */
  readonly field: string;
  /** The values asked for, in order (points may stop short). */
  readonly values: readonly number[];
  /** The values that ran. */
  readonly points: readonly SweepPoint[];
  /** Why the sweep stopped before the last value, if it did. */
  readonly stopped?: string;
  /** What was benchmarked (endpoint, url, timing, dataset), from the first value's run. */
  readonly benchmark: Readonly<Record<string, unknown>>;
}

/** A metric's statistic at a point, when it is a number. */
export function pointStat(point: SweepPoint, metric: string, stat: string): number | undefined {
  const value = (point.metrics[metric] as Record<string, unknown> | undefined)?.[stat];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
