// Statistics of one stored series over a window, AIPerf's fields for its type: gauges are
// summarized from their samples (exact percentiles); counters and histograms from their
// reset-corrected running totals, the reference being the last point before the window (as
// AIPerf), so a delta is never negative.
import { percentile } from "../metrics/compute_statistics.ts";
import type { StoredSeries } from "./_series_store.ts";
import type { SeriesStats } from "./types.ts";

const PERCENTILES = [1, 5, 10, 25, 50, 75, 90, 95, 99];

/** The indices of the window's points and the reference point before them. */
export interface Window {
  readonly from: number;
  readonly to: number;
  /** The last point before the window, or the first in it. */
  readonly reference: number;
}

/** The points of `s` in [start, end], or undefined when there is none. */
export function windowOf(s: StoredSeries, start: number, end: number): Window | undefined {
  let from = 0;
  while (from < s.times.length && s.times[from]! < start) from++;
  let to = from - 1;
  while (to + 1 < s.times.length && s.times[to + 1]! <= end) to++;
  if (to < from) return undefined;
  return { from, to, reference: from > 0 ? from - 1 : from };
}

/** Gauge (and unknown) statistics: avg, min, max, std (sample), p1 ... p99. */
export function gaugeStats(s: StoredSeries, w: Window): SeriesStats | undefined {
  const values = s.values.slice(w.from, w.to + 1).filter((v) => Number.isFinite(v));
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  let sum = 0;
  for (const v of sorted) sum += v;
  const avg = sum / n;
  let squares = 0;
  for (const v of sorted) squares += (v - avg) ** 2;
  const stats: Record<string, number> = {
    avg,
    min: sorted[0]!,
    max: sorted[n - 1]!,
    std: n > 1 ? Math.sqrt(squares / (n - 1)) : 0,
  };
  for (const p of PERCENTILES) stats[`p${p}`] = percentile(sorted, p);
  return stats;
}

/** Counter statistics: total, rate, and the point-to-point rates' avg, min, max, std. */
export function counterStats(s: StoredSeries, w: Window): SeriesStats {
  const total = s.values[w.to]! - s.values[w.reference]!;
  const seconds = (s.times[w.to]! - s.times[w.reference]!) / 1000;
  const stats: Record<string, number> = { total, rate: seconds > 0 ? total / seconds : 0 };
  const rates: number[] = [];
  for (let i = Math.max(w.from, w.reference + 1); i <= w.to; i++) {
    const dt = (s.times[i]! - s.times[i - 1]!) / 1000;
    if (dt > 0) rates.push((s.values[i]! - s.values[i - 1]!) / dt);
  }
  if (rates.length > 0) {
    const avg = rates.reduce((a, b) => a + b, 0) / rates.length;
    stats.rate_avg = avg;
    stats.rate_min = Math.min(...rates);
    stats.rate_max = Math.max(...rates);
    stats.rate_std = Math.sqrt(rates.reduce((a, r) => a + (r - avg) ** 2, 0) / rates.length);
  }
  return stats;
}

/** Histogram statistics (count, sum, avg, rates, p1 ... p99 estimates) and the bucket deltas. */
export function histogramStats(
  s: StoredSeries,
  w: Window,
): { stats: SeriesStats; buckets: Record<string, number> } {
  const first = w.reference;
  const count = s.values[w.to]! - s.values[first]!;
  const sum = s.sums![w.to]! - s.sums![first]!;
  const deltas = Array.from(s.buckets![w.to]!, (c, i) => c - s.buckets![first]![i]!);
  const buckets: Record<string, number> = {};
  s.bounds!.forEach((b, i) => buckets[b === Infinity ? "+Inf" : String(b)] = deltas[i]!);
  if (count <= 0) return { stats: { count: 0 }, buckets };
  const seconds = (s.times[w.to]! - s.times[first]!) / 1000;
  const stats: Record<string, number> = {
    count,
    sum,
    avg: sum / count,
    count_rate: seconds > 0 ? count / seconds : 0,
    sum_rate: seconds > 0 ? sum / seconds : 0,
  };
  for (const p of PERCENTILES) stats[`p${p}_estimate`] = estimate(s.bounds!, deltas, p / 100);
  return { stats, buckets };
}

/**
 * The q-quantile of cumulative bucket counts, interpolated linearly inside the bucket it falls
 * in, as Prometheus's `histogram_quantile` (the first bucket starts at 0 when its bound is
 * positive; a quantile in the `+Inf` bucket is the highest finite bound).
 */
export function estimate(bounds: readonly number[], cumulative: ArrayLike<number>, q: number) {
  const total = cumulative[cumulative.length - 1]!;
  const rank = q * total;
  let i = 0;
  while (i < bounds.length - 1 && cumulative[i]! < rank) i++;
  const upper = bounds[i]!;
  if (upper === Infinity) return bounds.length > 1 ? bounds[bounds.length - 2]! : 0;
  const lower = i === 0 ? (upper > 0 ? 0 : upper) : bounds[i - 1]!;
  const below = i === 0 ? 0 : cumulative[i - 1]!;
  const inBucket = cumulative[i]! - below;
  if (inBucket <= 0) return upper;
  return lower + (upper - lower) * ((rank - below) / inBucket);
}
