// A growable column of numbers in fixed-size Float64Array blocks: 8 bytes a value, and at most
// one block of slack (no doubling copies). Statistics are exact: each block is sorted in place
// when they are computed, and an order statistic is found across the sorted blocks without
// copying them into one array.

import type { MetricStatistics } from "../types.ts";

const BLOCK = 16_384;

/**
 * Numbers appended one at a time, 8 bytes each, with exact statistics at the end: what a phase
 * keeps of each request instead of the request's record.
 *
 * @example
 * ```ts
 * import { NumberColumn } from "./number_column.ts";
 *
 * const column = new NumberColumn();
 * for (const v of [4, 1, 3, 2]) column.push(v);
 * const stats = NumberColumn.statistics([column], "ms", [50]);
 * if (stats?.p50 !== 2.5 || stats.max !== 4 || stats.count !== 4) throw new Error("wrong");
 * ```
 */
export class NumberColumn {
  readonly #block: number;
  readonly #blocks: Float64Array[] = [];
  #length = 0;
  #sorted = false;

  /** @param blockSize Values per block (allocated a block at a time); default 16,384. */
  constructor(blockSize: number = BLOCK) {
    this.#block = blockSize;
  }

  /** How many values. */
  get length(): number {
    return this.#length;
  }

  /** Appends `value`. */
  push(value: number): void {
    const at = this.#length % this.#block;
    if (at === 0) this.#blocks.push(new Float64Array(this.#block));
    this.#blocks[this.#blocks.length - 1]![at] = value;
    this.#length++;
    this.#sorted = false;
  }

  /**
   * avg, min, max, the percentiles (linear interpolation between closest ranks, as numpy) and
   * the population std of the values of `columns` together, as `computeStatistics` gives them;
   * sorts the columns' blocks in place.
   *
   * @param columns The columns, read as one.
   * @param unit The unit to report.
   * @param percentiles Which percentiles (`p<n>` keys).
   * @returns The statistics, or `undefined` when there are no values.
   */
  static statistics(
    columns: readonly NumberColumn[],
    unit: string,
    percentiles: readonly number[],
  ): MetricStatistics | undefined {
    return columnStatistics(columns.flatMap((c) => c.#sortedBlocks()), unit, percentiles);
  }

  /**
   * The values of `columns` together, copied into one new array: in the order they were pushed,
   * or each block sorted once statistics were computed.
   *
   * @param columns The columns, read as one.
   * @returns Their values.
   */
  static concat(columns: readonly NumberColumn[]): Float64Array {
    const out = new Float64Array(columns.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const column of columns) {
      for (const view of column.#views()) {
        out.set(view, at);
        at += view.length;
      }
    }
    return out;
  }

  // The filled part of each block.
  #views(): Float64Array[] {
    return this.#blocks.map((block, i) =>
      i < this.#blocks.length - 1 ? block : block.subarray(0, this.#length - i * this.#block)
    );
  }

  // The filled part of each block, sorted in place.
  #sortedBlocks(): Float64Array[] {
    const views = this.#views();
    if (!this.#sorted) { for (const view of views) view.sort(); }
    this.#sorted = true;
    return views;
  }
}

function columnStatistics(
  sorted: readonly Float64Array[],
  unit: string,
  percentiles: readonly number[],
): MetricStatistics | undefined {
  const blocks = sorted.filter((b) => b.length > 0);
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const block of blocks) {
    n += block.length;
    for (const v of block) sum += v;
    if (block[0]! < min) min = block[0]!;
    if (block[block.length - 1]! > max) max = block[block.length - 1]!;
  }
  if (n === 0) return undefined;
  const avg = sum / n;
  let squares = 0;
  for (const block of blocks) for (const v of block) squares += (v - avg) ** 2;
  const stats: Record<string, number | string> = { unit, avg, min, max };
  for (const p of percentiles) {
    const rank = (p / 100) * (n - 1);
    const a = kth(blocks, Math.floor(rank), min, max);
    const b = kth(blocks, Math.ceil(rank), min, max);
    stats[`p${p}`] = a + (b - a) * (rank - Math.floor(rank));
  }
  stats.std = Math.sqrt(squares / n);
  stats.count = n;
  return stats as unknown as MetricStatistics;
}

// How many values of the sorted blocks are <= v.
function countAtMost(blocks: readonly Float64Array[], v: number): number {
  let count = 0;
  for (const block of blocks) {
    let lo = 0;
    let hi = block.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (block[mid]! <= v) lo = mid + 1;
      else hi = mid;
    }
    count += lo;
  }
  return count;
}

// The smallest value above `v` across the sorted blocks (Infinity when none).
function nextAbove(blocks: readonly Float64Array[], v: number): number {
  let best = Infinity;
  for (const block of blocks) {
    let lo = 0;
    let hi = block.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (block[mid]! <= v) lo = mid + 1;
      else hi = mid;
    }
    if (lo < block.length && block[lo]! < best) best = block[lo]!;
  }
  return best;
}

// The k-th smallest value (from 0) across sorted blocks, found by bisecting between values that
// are in the data: exact, with no copy.
function kth(blocks: readonly Float64Array[], k: number, min: number, max: number): number {
  if (countAtMost(blocks, min) > k) return min;
  // Invariant: count(<= lo) <= k < count(<= hi); the answer is in (lo, hi].
  let lo = min;
  let hi = max;
  for (;;) {
    const a = nextAbove(blocks, lo);
    if (a >= hi) return hi;
    if (countAtMost(blocks, a) > k) return a;
    lo = a;
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) continue;
    if (countAtMost(blocks, mid) > k) hi = mid;
    else lo = mid;
  }
}
