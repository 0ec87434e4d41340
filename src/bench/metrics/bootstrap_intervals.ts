// Percentile-bootstrap confidence intervals of a run's per-request statistics. A resample is
// drawn as counts over the sorted values (how often each value is drawn), so one pass over the
// counts gives the resample's mean, std and every percentile at once: no sort per resample.

import { randomSource } from "../_random.ts";
import type { ConfidenceIntervals, Metrics, RequestRecord } from "../types.ts";

/** Most resamples per metric. */
const RESAMPLES = 1000;
/** Draws (values x resamples x metrics) a run's intervals may take: about 0.3 s. */
const BUDGET = 10_000_000;
/** Fewest resamples per metric (a larger run takes more than the budget). */
const MIN_RESAMPLES = 100;
/** Above this many values a metric gets no interval (the work grows with values x resamples). */
const MAX_VALUES = 50_000;

/** How {@linkcode bootstrapIntervals} draws. */
export interface BootstrapOptions {
  /** Confidence level (0.95). */
  readonly level: number;
  /** Seed of the resampling (`--random-seed`, else 0): the same records give the same intervals. */
  readonly seed: number;
}

// Where a metric's percentiles lie in any resample of n values (numpy's linear interpolation
// between closest ranks: the values at ranks floor(h) and floor(h) + 1, h = (n - 1) q): the
// ranks in increasing order with the slot each fills, and each percentile's weight.
interface RankPlan {
  readonly ranks: Uint32Array;
  readonly slots: Uint32Array;
  readonly fractions: readonly number[];
}

function rankPlan(n: number, quantiles: readonly number[]): RankPlan {
  const wanted: [number, number][] = [];
  quantiles.forEach((q, k) => {
    const h = Math.floor((n - 1) * q);
    wanted.push([h, 2 * k], [Math.min(n - 1, h + 1), 2 * k + 1]);
  });
  wanted.sort((a, b) => a[0] - b[0]);
  return {
    ranks: Uint32Array.from(wanted, (w) => w[0]),
    slots: Uint32Array.from(wanted, (w) => w[1]),
    fractions: quantiles.map((q) => (n - 1) * q - Math.floor((n - 1) * q)),
  };
}

// One resample, given as counts over the sorted values: its mean and population std into
// `moments`, the values at the plan's ranks into `at`.
function resampleStats(
  sorted: Float64Array,
  counts: Uint32Array,
  plan: RankPlan,
  moments: Float64Array,
  at: Float64Array,
): void {
  const n = sorted.length;
  let sum = 0;
  let squares = 0;
  let seen = 0;
  let next = 0;
  for (let i = 0; i < n; i++) {
    const c = counts[i]!;
    if (c === 0) continue;
    const v = sorted[i]!;
    sum += c * v;
    squares += c * v * v;
    seen += c;
    // Every wanted rank below the count seen so far holds this value.
    while (next < plan.ranks.length && plan.ranks[next]! < seen) at[plan.slots[next++]!] = v;
  }
  const mean = sum / n;
  moments[0] = mean;
  moments[1] = Math.sqrt(Math.max(0, squares / n - mean * mean));
}

// The interval's ends: the (1 - level) / 2 and (1 + level) / 2 quantiles of the resampled values.
function ends(values: Float64Array, level: number): [number, number] {
  values.sort();
  const pick = (q: number) => {
    const h = (values.length - 1) * q;
    const low = values[Math.floor(h)]!;
    return low +
      (h - Math.floor(h)) * (values[Math.min(values.length - 1, Math.floor(h) + 1)]! - low);
  };
  return [pick((1 - level) / 2), pick((1 + level) / 2)];
}

/**
 * Confidence intervals of the statistics a run reports for each per-request metric (`avg`,
 * `std` and each percentile of `metrics`), by the percentile bootstrap over the run's successful
 * requests: the requests are drawn again with replacement, as many as there were, the
 * statistics computed on each such resample, and the interval is the middle `level` share of
 * them. Seeded: the same records and seed give the same intervals. Up to 1,000 resamples per
 * metric, fewer when requests x resamples x metrics would pass 10 million (at least 100); a
 * metric of more than 50,000 requests gets none (`skipped` names it).
 *
 * @param records The profiling phase's requests.
 * @param metrics The statistics reported (which statistics, and which metrics are per-request).
 * @param options Level and seed.
 * @returns The intervals, or `undefined` when no metric has values.
 *
 * @example
 * ```ts
 * import { bootstrapIntervals } from "./bootstrap_intervals.ts";
 *
 * const r = (v: number) => ({ phase: "profiling" as const, index: 0, start_ms: 0, end_ms: v,
 *   conversation_index: 0, turn_index: 0, chunks_ms: [],
 *   tokens: { output: 1, reasoning: 0, output_source: "usage" as const,
 *     reasoning_source: "none" as const, input_source: "none" as const },
 *   metrics: { request_latency: { value: v, unit: "ms" } } });
 * const records = Array.from({ length: 200 }, (_, i) => r(100 + (i % 20)));
 * const ci = bootstrapIntervals(records, {
 *   request_latency: { unit: "ms", avg: 109.5, p50: 109.5, count: 200 },
 * }, { level: 0.95, seed: 0 });
 * const [low, high] = ci!.metrics.request_latency!.avg!;
 * if (!(low < 109.5 && 109.5 < high && high - low < 2)) throw new Error(`${low} ${high}`);
 * ```
 */
export function bootstrapIntervals(
  records: readonly RequestRecord[],
  metrics: Metrics,
  options: BootstrapOptions,
): ConfidenceIntervals | undefined {
  const values = new Map<string, number[]>();
  for (const r of records) {
    if (r.error !== undefined) continue;
    for (const [name, m] of Object.entries(r.metrics)) {
      if (typeof m.value !== "number" || metrics[name]?.count === undefined) continue;
      let list = values.get(name);
      if (list === undefined) values.set(name, list = []);
      list.push(m.value);
    }
  }
  return bootstrapColumns(
    new Map([...values].map(([name, list]) => [name, { length: list.length, values: () => list }])),
    metrics,
    options,
  );
}

/** One metric's values for {@linkcode bootstrapColumns}: how many, and all of them when asked. */
export interface ValueColumn {
  /** How many values. */
  readonly length: number;
  /** The values, in any order (asked for only when `length` is at most 50,000). */
  values(): ArrayLike<number>;
}

/**
 * {@linkcode bootstrapIntervals} from each metric's values as kept by the phase (its
 * successful requests' values, in the order of their first appearance), instead of the records:
 * the same intervals for the same values. A metric of more than 50,000 values is never read.
 *
 * @param columns Each per-request metric's values over the successful requests, in the order
 * the metrics first appeared in the records.
 * @param metrics The statistics reported (a metric without `count` gets no interval).
 * @param options Level and seed.
 * @returns The intervals, or `undefined` when no metric has values.
 *
 * @example
 * ```ts
 * import { bootstrapColumns } from "./bootstrap_intervals.ts";
 *
 * const latency = Array.from({ length: 200 }, (_, i) => 100 + (i % 20));
 * const ci = bootstrapColumns(
 *   new Map([["request_latency", { length: latency.length, values: () => latency }]]),
 *   { request_latency: { unit: "ms", avg: 109.5, p50: 109.5, count: 200 } },
 *   { level: 0.95, seed: 0 },
 * );
 * const [low, high] = ci!.metrics.request_latency!.avg!;
 * if (!(low < 109.5 && 109.5 < high)) throw new Error(`${low} ${high}`);
 * ```
 */
export function bootstrapColumns(
  columns: ReadonlyMap<string, ValueColumn>,
  metrics: Metrics,
  options: BootstrapOptions,
): ConfidenceIntervals | undefined {
  const values = new Map(
    [...columns].filter(([name, column]) =>
      column.length > 0 && metrics[name]?.count !== undefined
    ),
  );
  if (values.size === 0) return undefined;
  const random = randomSource(options.seed);
  const out: Record<string, Record<string, readonly [number, number]>> = {};
  const skipped: string[] = [];
  let fewest = RESAMPLES;
  for (const [name, column] of values) {
    const n = column.length;
    if (n > MAX_VALUES) {
      skipped.push(name);
      continue;
    }
    const stats = metrics[name]!;
    const percentileKeys = Object.keys(stats).filter((k) => /^p\d+(\.\d+)?$/.test(k));
    const quantiles = percentileKeys.map((k) => Number(k.slice(1)) / 100);
    const resamples = Math.min(
      RESAMPLES,
      Math.max(MIN_RESAMPLES, Math.floor(BUDGET / (n * values.size))),
    );
    fewest = Math.min(fewest, resamples);
    const sorted = Float64Array.from(column.values()).sort();
    const plan = rankPlan(n, quantiles);
    const counts = new Uint32Array(n);
    const moments = new Float64Array(2);
    const at = new Float64Array(2 * quantiles.length);
    const means = new Float64Array(resamples);
    const stds = new Float64Array(resamples);
    const percentiles = quantiles.map(() => new Float64Array(resamples));
    for (let b = 0; b < resamples; b++) {
      counts.fill(0);
      for (let j = 0; j < n; j++) counts[Math.floor(random() * n)]!++;
      resampleStats(sorted, counts, plan, moments, at);
      means[b] = moments[0]!;
      stds[b] = moments[1]!;
      plan.fractions.forEach((f, k) => {
        percentiles[k]![b] = at[2 * k]! + f * (at[2 * k + 1]! - at[2 * k]!);
      });
    }
    const intervals: Record<string, readonly [number, number]> = {
      avg: ends(means, options.level),
      std: ends(stds, options.level),
    };
    percentileKeys.forEach((key, k) => intervals[key] = ends(percentiles[k]!, options.level));
    out[name] = intervals;
  }
  return {
    method: "percentile bootstrap over the successful profiling requests",
    level: options.level,
    resamples: fewest,
    seed: options.seed,
    metrics: out,
    ...(skipped.length === 0 ? {} : {
      skipped: `more than 50,000 requests: ${skipped.join(", ")}`,
    }),
  };
}
