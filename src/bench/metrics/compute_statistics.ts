import type { MetricStatistics } from "../types.ts";

/** The percentiles reported by default: AIPerf's p1, p5, p10, p25, p50, p75, p90, p95, p99. */
export const DEFAULT_PERCENTILES: readonly number[] = [1, 5, 10, 25, 50, 75, 90, 95, 99];

/**
 * Computes avg, min, max, the chosen percentiles and std (population) of `values`.
 * Percentiles interpolate linearly between the closest ranks, as numpy's default does.
 *
 * @param values The samples; not modified.
 * @param unit The unit to report.
 * @param percentiles Which percentiles (`p<n>` keys), default {@linkcode DEFAULT_PERCENTILES}.
 * @returns The statistics, or `undefined` when there are no values.
 *
 * @example
 * ```ts
 * import { computeStatistics } from "./compute_statistics.ts";
 *
 * const stats = computeStatistics([1, 2, 3, 4], "ms");
 * if (stats?.avg !== 2.5 || stats.p50 !== 2.5 || stats.max !== 4) throw new Error("wrong");
 * ```
 */
export function computeStatistics(
  values: readonly number[],
  unit: string,
  percentiles: readonly number[] = DEFAULT_PERCENTILES,
): MetricStatistics | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const avg = sum / n;
  let squares = 0;
  for (const v of sorted) squares += (v - avg) ** 2;
  const stats: Record<string, number | string> = {
    unit,
    avg,
    min: sorted[0]!,
    max: sorted[n - 1]!,
  };
  for (const p of percentiles) stats[`p${p}`] = percentile(sorted, p);
  stats.std = Math.sqrt(squares / n);
  stats.count = n;
  return stats as unknown as MetricStatistics;
}

/** The `p`-th percentile of ascending `sorted` values (linear interpolation). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = sorted[low]!;
  const b = sorted[high]!;
  return a + (b - a) * (rank - low);
}
