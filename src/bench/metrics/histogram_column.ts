// A column of numbers kept as exact counts per step of a fixed resolution: the memory does not
// grow with the number of values, only with how many distinct steps they span. The run keeps
// every inter-chunk gap this way (a 32-chunk reply has 31 of them: 248 bytes as 8-byte values).
// Count, sum, min, max, mean and std come from the values themselves; only the percentiles are
// read from the counts, so each is within half a step of the exact one (and equal to it when
// every value is a whole number of steps).

import type { MetricStatistics } from "../types.ts";

/**
 * Steps per unit at which a run counts the values of a list metric (the inter-chunk gaps, in
 * ms): 1000, so their percentiles are exact to the microsecond (within 0.5 µs).
 */
export const LIST_STEPS_PER_UNIT = 1000;

// Steps per page of counts (a page is 4 KB); pages are made as values reach them.
const PAGE = 512;

/**
 * Numbers counted at a fixed resolution (`1 / stepsPerUnit` of their unit): exact count, sum,
 * min, max, mean and std, and percentiles within half a step of the exact ones, in memory that
 * does not grow with the number of values.
 *
 * @example
 * ```ts
 * import { HistogramColumn } from "./histogram_column.ts";
 *
 * const column = new HistogramColumn(1000);
 * for (const v of [4, 1, 3, 2]) column.push(v);
 * const stats = HistogramColumn.statistics([column], "ms", [50]);
 * if (stats?.p50 !== 2.5 || stats.max !== 4 || stats.resolution !== 0.001) throw new Error("wrong");
 * ```
 */
export class HistogramColumn {
  readonly #perUnit: number;
  readonly #pages = new Map<number, Float64Array>();
  #length = 0;
  #sum = 0;
  #min = Infinity;
  #max = -Infinity;
  // Welford's running mean and sum of squared deviations (for the std without the values).
  #mean = 0;
  #m2 = 0;

  /**
   * @param stepsPerUnit Steps per unit of the values: 1000 keeps milliseconds to the microsecond.
   * @throws {RangeError} When `stepsPerUnit` is not a positive integer.
   */
  constructor(stepsPerUnit: number) {
    if (!Number.isInteger(stepsPerUnit) || stepsPerUnit <= 0) {
      throw new RangeError(`Steps per unit must be a positive integer: got ${stepsPerUnit}`);
    }
    this.#perUnit = stepsPerUnit;
  }

  /** How many values. */
  get length(): number {
    return this.#length;
  }

  /** The step the percentiles are exact to, in the values' unit. */
  get resolution(): number {
    return 1 / this.#perUnit;
  }

  /**
   * Counts `value`.
   *
   * @throws {RangeError} When `value` is not finite or too large to count in steps.
   */
  push(value: number): void {
    const step = Math.round(value * this.#perUnit);
    if (!Number.isSafeInteger(step)) {
      throw new RangeError(`Cannot count ${value} at a resolution of ${this.resolution}`);
    }
    const page = Math.floor(step / PAGE);
    let counts = this.#pages.get(page);
    if (counts === undefined) this.#pages.set(page, counts = new Float64Array(PAGE));
    counts[step - page * PAGE]!++;
    this.#length++;
    this.#sum += value;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    const delta = value - this.#mean;
    this.#mean += delta / this.#length;
    this.#m2 += delta * (value - this.#mean);
  }

  /**
   * avg, min, max, the percentiles (linear interpolation between closest ranks, as numpy, each
   * rank's value read as its step, so within half a step of the exact percentile; the lowest and
   * highest ranks are the exact min and max), the population std, the count and the
   * `resolution` of the values of `columns` together.
   *
   * @param columns The columns, read as one; all of the same resolution.
   * @param unit The unit to report.
   * @param percentiles Which percentiles (`p<n>` keys).
   * @returns The statistics, or `undefined` when there are no values.
   * @throws {RangeError} When the columns have different resolutions.
   */
  static statistics(
    columns: readonly HistogramColumn[],
    unit: string,
    percentiles: readonly number[],
  ): MetricStatistics | undefined {
    const filled = columns.filter((c) => c.#length > 0);
    const first = filled[0];
    if (first === undefined) return undefined;
    const perUnit = first.#perUnit;
    if (filled.some((c) => c.#perUnit !== perUnit)) {
      throw new RangeError("Cannot read columns of different resolutions as one");
    }
    let n = 0;
    let sum = 0;
    let mean = 0;
    let m2 = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const c of filled) {
      // Chan et al.'s pairwise combination of running means and squared deviations.
      const total = n + c.#length;
      const delta = c.#mean - mean;
      m2 += c.#m2 + delta * delta * n * c.#length / total;
      mean += delta * c.#length / total;
      n = total;
      sum += c.#sum;
      min = Math.min(min, c.#min);
      max = Math.max(max, c.#max);
    }
    const ranks = percentiles.flatMap((p) => {
      const rank = (p / 100) * (n - 1);
      return [Math.floor(rank), Math.ceil(rank)];
    });
    const values = rankValues(filled.map((c) => c.#pages), ranks, perUnit, n, min, max);
    const stats: Record<string, number | string> = { unit, avg: sum / n, min, max };
    for (const p of percentiles) {
      const rank = (p / 100) * (n - 1);
      const a = values.get(Math.floor(rank))!;
      const b = values.get(Math.ceil(rank))!;
      stats[`p${p}`] = a + (b - a) * (rank - Math.floor(rank));
    }
    stats.std = Math.sqrt(Math.max(0, m2) / n);
    stats.count = n;
    stats.resolution = 1 / perUnit;
    return stats as unknown as MetricStatistics;
  }
}

// The value of each wanted rank (from 0): one walk over the pages in order, the counts of the
// columns added page by page. The first and last ranks are the exact min and max; a step's
// value is kept inside [min, max] (a value rounds to a step up to half a step away).
function rankValues(
  columns: readonly Map<number, Float64Array>[],
  ranks: readonly number[],
  perUnit: number,
  n: number,
  min: number,
  max: number,
): Map<number, number> {
  const wanted = [...new Set(ranks)].sort((a, b) => a - b);
  const values = new Map<number, number>();
  const pages = [...new Set(columns.flatMap((c) => [...c.keys()]))].sort((a, b) => a - b);
  let below = 0;
  let next = 0;
  for (const page of pages) {
    for (let i = 0; i < PAGE && next < wanted.length; i++) {
      let count = 0;
      for (const c of columns) count += c.get(page)?.[i] ?? 0;
      if (count === 0) continue;
      below += count;
      const value = Math.min(max, Math.max(min, (page * PAGE + i) / perUnit));
      while (next < wanted.length && wanted[next]! < below) values.set(wanted[next++]!, value);
    }
  }
  if (wanted.includes(0)) values.set(0, min);
  if (wanted.includes(n - 1)) values.set(n - 1, max);
  return values;
}
