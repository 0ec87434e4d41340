// A column of numbers kept as counts per step of a fixed resolution: the memory does not grow
// with the number of values, only with how many distinct steps they span. The run keeps every
// inter-chunk gap this way (a 32-chunk reply has 31 of them: 248 bytes as 8-byte values).
// Count, sum, min, max, mean and std come from the values themselves. The values are also
// appended to a temporary file (8 bytes each, on disk, written a block at a time); when the
// statistics are asked for, the counts say in which step each wanted rank falls and a pass over
// that file picks the exact values of those steps, so the percentiles are exact. A step holding
// more values than can be sorted in a small, fixed memory (when chunks arrive together, most gaps
// are under a microsecond) is split into buckets by more passes, never held whole. Without the
// file (no write permission, a write that failed) they are read from the counts, within half a
// step of the exact ones, and `resolution` says so.

import type { MetricStatistics } from "../types.ts";
import { SpillFile } from "./_spill_file.ts";

/**
 * Steps per unit at which a run counts the values of a list metric (the inter-chunk gaps, in
 * ms): 1000, so their percentiles are exact to the microsecond (within 0.5 µs).
 */
export const LIST_STEPS_PER_UNIT = 1000;

// Steps per page of counts (a page is 4 KB); pages are made as values reach them.
const PAGE = 512;

/**
 * Numbers counted at a fixed resolution (`1 / stepsPerUnit` of their unit), in memory that does
 * not grow with the number of values: exact count, sum, min, max, mean and std, and exact
 * percentiles read back from a temporary file of the values (within half a step of the exact
 * ones, with `resolution` set, when there is no such file).
 *
 * @example
 * ```ts
 * import { HistogramColumn } from "./histogram_column.ts";
 *
 * const column = new HistogramColumn(1000);
 * for (const v of [4, 1, 3, 2]) column.push(v);
 * const stats = HistogramColumn.statistics([column], "ms", [50]);
 * if (stats?.p50 !== 2.5 || stats.max !== 4) throw new Error("wrong");
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
  readonly #spill: SpillFile | undefined;

  /**
   * @param stepsPerUnit Steps per unit of the values: 1000 keeps milliseconds to the microsecond.
   * @param options `exact: false` keeps no file: percentiles within half a step. By default the
   *   values are also written to a temporary file (when writing is permitted), for exact ones.
   * @throws {RangeError} When `stepsPerUnit` is not a positive integer.
   */
  constructor(stepsPerUnit: number, options: { readonly exact?: boolean } = {}) {
    if (!Number.isInteger(stepsPerUnit) || stepsPerUnit <= 0) {
      throw new RangeError(`Steps per unit must be a positive integer: got ${stepsPerUnit}`);
    }
    this.#perUnit = stepsPerUnit;
    this.#spill = options.exact === false ? undefined : SpillFile.open();
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
    this.#spill?.push(value);
    this.#length++;
    this.#sum += value;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    const delta = value - this.#mean;
    this.#mean += delta / this.#length;
    this.#m2 += delta * (value - this.#mean);
  }

  /**
   * avg, min, max, the percentiles (linear interpolation between closest ranks, as numpy: each
   * rank's exact value, picked from the columns' files in the step the counts put it in; without
   * a file for every column, the rank's step, within half a step of it, and `resolution` set),
   * the population std and the count of the values of `columns` together.
   *
   * @param columns The columns, read as one; all of the same resolution.
   * @param unit The unit to report.
   * @param percentiles Which percentiles (`p<n>` keys).
   * @param options `collect`: the most values held in memory at once to pick one rank's exact
   *   value (default 65,536); a step holding more is split into buckets by further passes over
   *   the files until the rank's bucket holds no more.
   * @returns The statistics, or `undefined` when there are no values.
   * @throws {RangeError} When the columns have different resolutions.
   */
  static statistics(
    columns: readonly HistogramColumn[],
    unit: string,
    percentiles: readonly number[],
    options: { readonly collect?: number } = {},
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
    const places = rankSteps(filled.map((c) => c.#pages), ranks);
    const spills = filled.map((c) => c.#spill);
    const exact = spills.every((f) => f?.intact)
      ? exactValues(spills as SpillFile[], places, perUnit, options.collect ?? COLLECT)
      : undefined;
    const values = new Map<number, number>();
    for (const [rank, place] of places) {
      values.set(rank, exact?.get(rank) ?? Math.min(max, Math.max(min, place.step / perUnit)));
    }
    if (values.has(0)) values.set(0, min);
    if (values.has(n - 1)) values.set(n - 1, max);
    const stats: Record<string, number | string> = { unit, avg: sum / n, min, max };
    for (const p of percentiles) {
      const rank = (p / 100) * (n - 1);
      const a = values.get(Math.floor(rank))!;
      const b = values.get(Math.ceil(rank))!;
      stats[`p${p}`] = a + (b - a) * (rank - Math.floor(rank));
    }
    stats.std = Math.sqrt(Math.max(0, m2) / n);
    stats.count = n;
    if (exact === undefined) stats.resolution = 1 / perUnit;
    return stats as unknown as MetricStatistics;
  }
}

// Where each wanted rank (from 0) falls: its step, its rank among the values of that step, and
// how many values the step holds.
// One walk over the pages in order, the counts of the columns added page by page.
function rankSteps(
  columns: readonly Map<number, Float64Array>[],
  ranks: readonly number[],
): Map<number, { step: number; within: number; count: number }> {
  const wanted = [...new Set(ranks)].sort((a, b) => a - b);
  const places = new Map<number, { step: number; within: number; count: number }>();
  const pages = [...new Set(columns.flatMap((c) => [...c.keys()]))].sort((a, b) => a - b);
  let below = 0;
  let next = 0;
  for (const page of pages) {
    for (let i = 0; i < PAGE && next < wanted.length; i++) {
      let count = 0;
      for (const c of columns) count += c.get(page)?.[i] ?? 0;
      if (count === 0) continue;
      while (next < wanted.length && wanted[next]! < below + count) {
        const within = wanted[next]! - below;
        places.set(wanted[next++]!, { step: page * PAGE + i, within, count });
      }
      below += count;
    }
  }
  return places;
}

// Values held at once while picking the exact value of one rank; buckets a step is split into
// while there are more.
const COLLECT = 65_536;
const BUCKETS = 4096;
// Narrowings of one step before giving up on exactness (each is one pass over the files). The
// key space of one word (2^32) is split 4096 ways: a word is settled in at most 4 passes.
const MAX_LEVELS = 12;

// The order of doubles as integers: a value's two 32-bit words (high word first), the sign bit
// flipped for positive values and every bit for negative ones, compare as the values do (-0 just
// below 0). Buckets over these keys narrow a step whatever the values' magnitudes (0 beside
// 1e-300 beside 1e-7), where buckets over the values themselves would need a pass per few
// decades.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HIGH = LITTLE_ENDIAN ? 1 : 0;
const NEGATIVE = 0x80000000;

function keyOf(words: Uint32Array, i: number, word: 0 | 1): number {
  const high = words[2 * i + HIGH]!;
  if (word === 0) return (high & NEGATIVE ? ~high : high | NEGATIVE) >>> 0;
  const low = words[2 * i + 1 - HIGH]!;
  return (high & NEGATIVE ? ~low : low) >>> 0;
}

// One split of one word's keys: keys from `min`, `width` apart.
interface Level {
  readonly word: 0 | 1;
  readonly min: number;
  readonly width: number;
}

function bucketOf(key: number, level: Level): number {
  return Math.min(BUCKETS - 1, Math.max(0, Math.floor((key - level.min) / level.width)));
}

// One wanted rank's search: the values it may be among (those of `step` that fall, at every
// level, in the level's bucket), how many there are (`n`) and its rank among them (`within`).
interface Search {
  readonly rank: number;
  readonly step: number;
  n: number;
  within: number;
  readonly levels: { readonly level: Level; readonly bucket: number }[];
  // The split the next pass counts by.
  split: Level;
}

function among(words: Uint32Array, i: number, search: Search): boolean {
  for (const { level, bucket } of search.levels) {
    if (bucketOf(keyOf(words, i, level.word), level) !== bucket) return false;
  }
  return true;
}

// The exact value of each wanted rank, in memory that does not grow with the values: passes over
// the spilled values, each keeping only counts per bucket of the values a rank may be among, and
// narrowing to the bucket that holds it, until at most `collect` values are left; those are
// sorted. Buckets are monotone in the value, so a rank among a bucket's values is its rank among
// them. Undefined when a file cannot be read, or a step is not narrowed within MAX_LEVELS.
function exactValues(
  spills: readonly SpillFile[],
  places: ReadonlyMap<number, { step: number; within: number; count: number }>,
  perUnit: number,
  collect: number,
): Map<number, number> | undefined {
  const out = new Map<number, number>();
  const whole: Level = { word: 0, min: 0, width: 2 ** 32 / BUCKETS };
  let pending: Search[] = [...places].map(([rank, { step, within, count }]) => ({
    rank,
    step,
    n: count,
    within,
    levels: [],
    split: whole,
  }));
  for (let pass = 0; pending.length > 0; pass++) {
    if (pass > MAX_LEVELS) return undefined;
    const byStep = new Map<number, Search[]>();
    for (const search of pending) {
      const same = byStep.get(search.step);
      if (same === undefined) byStep.set(search.step, [search]);
      else same.push(search);
    }
    const kept = new Map<Search, { values: Float64Array; used: number }>();
    const counted = new Map<
      Search,
      { counts: Float64Array; min: Float64Array; max: Float64Array; value: Float64Array }
    >();
    for (const search of pending) {
      if (search.n <= collect) kept.set(search, { values: new Float64Array(search.n), used: 0 });
      else {
        counted.set(search, {
          counts: new Float64Array(BUCKETS),
          min: new Float64Array(BUCKETS).fill(Infinity),
          max: new Float64Array(BUCKETS).fill(-Infinity),
          value: new Float64Array(BUCKETS),
        });
      }
    }
    try {
      for (const spill of spills) {
        for (const block of spill.blocks()) {
          const words = new Uint32Array(block.buffer, block.byteOffset, block.length * 2);
          for (let i = 0; i < block.length; i++) {
            const v = block[i]!;
            const searches = byStep.get(Math.round(v * perUnit));
            if (searches === undefined) continue;
            for (const search of searches) {
              if (!among(words, i, search)) continue;
              const keep = kept.get(search);
              if (keep !== undefined) {
                if (keep.used < keep.values.length) keep.values[keep.used++] = v;
                continue;
              }
              const count = counted.get(search)!;
              const key = keyOf(words, i, search.split.word);
              const b = bucketOf(key, search.split);
              count.counts[b]!++;
              if (key < count.min[b]!) count.min[b] = key;
              if (key > count.max[b]!) count.max[b] = key;
              count.value[b] = v;
            }
          }
        }
      }
    } catch {
      return undefined;
    }
    const next: Search[] = [];
    for (const [search, { values, used }] of kept) {
      if (used !== values.length) return undefined; // the file and the counts disagree
      values.sort();
      out.set(search.rank, values[search.within]!);
    }
    for (const [search, { counts, min, max, value }] of counted) {
      let below = 0;
      let b = 0;
      while (b < BUCKETS - 1 && search.within >= below + counts[b]!) below += counts[b++]!;
      if (search.within >= below + counts[b]!) return undefined;
      const word = search.split.word;
      if (min[b] === max[b] && word === 1) {
        out.set(search.rank, value[b]!); // both words alike: every value left is this one
        continue;
      }
      search.levels.push({ level: search.split, bucket: b });
      search.n = counts[b]!;
      search.within -= below;
      // One high word left: its low words next; else the bucket's keys, split again.
      search.split = min[b] === max[b]
        ? { word: 1, min: 0, width: 2 ** 32 / BUCKETS }
        : { word, min: min[b]!, width: Math.ceil((max[b]! - min[b]! + 1) / BUCKETS) };
      next.push(search);
    }
    pending = next;
  }
  return out;
}
