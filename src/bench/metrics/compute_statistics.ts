import type { MetricStatistics } from "../types.ts";

/**
 * Computes avg, min, max, p50, p90, p99 and std (population) of `values`. Percentiles
 * interpolate linearly between the closest ranks, as numpy's default does.
 *
 * @param values The samples; not modified.
 * @param unit The unit to report.
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
): MetricStatistics | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const avg = sum / n;
  let squares = 0;
  for (const v of sorted) squares += (v - avg) ** 2;
  return {
    unit,
    avg,
    min: sorted[0]!,
    max: sorted[n - 1]!,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    std: Math.sqrt(squares / n),
    count: n,
  };
}

function percentile(sorted: Float64Array, p: number): number {
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = sorted[low]!;
  const b = sorted[high]!;
  return a + (b - a) * (rank - low);
}
