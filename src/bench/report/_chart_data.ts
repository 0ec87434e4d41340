// Turns measurements into chart series: histograms on shared bins, time buckets, Pareto fronts.

import type { RequestColumns } from "./request_columns.ts";

/** Histogram counts of several samples on the same bins. */
export interface Histogram {
  /** Left edge of each bin. */
  readonly edges: number[];
  /** Counts per sample, aligned with `edges`. */
  readonly counts: number[][];
  /** True when values above the 99.5th percentile were folded into the last bin. */
  readonly clipped: boolean;
}

/**
 * Bins every sample on one set of equal-width bins between the smallest value and the largest
 * (or the 99.5th percentile, when the largest is far out: the rest then falls in the last bin).
 */
export function histogram(samples: readonly (readonly number[])[], maxBins = 40): Histogram {
  const all = samples.flat().filter(Number.isFinite).sort((a, b) => a - b);
  if (all.length === 0) return { edges: [], counts: samples.map(() => []), clipped: false };
  const min = all[0]!;
  const max = all[all.length - 1]!;
  const p995 = all[Math.min(all.length - 1, Math.floor(all.length * 0.995))]!;
  const clipped = max - min > 0 && p995 - min < (max - min) / 3;
  const top = clipped ? p995 : max;
  const bins = Math.max(1, Math.min(maxBins, Math.ceil(Math.sqrt(all.length) * 1.5)));
  const width = top > min ? niceStep((top - min) / bins) : 1;
  const start = Math.floor(min / width) * width;
  const n = Math.max(1, Math.floor((top - start) / width) + 1);
  const edges = Array.from({ length: n }, (_, i) => round(start + i * width));
  const counts = samples.map((sample) => {
    const c = new Array<number>(n).fill(0);
    for (const v of sample) {
      if (!Number.isFinite(v)) continue;
      c[Math.min(n - 1, Math.max(0, Math.floor((v - start) / width)))]!++;
    }
    return c;
  });
  return { edges, counts, clipped };
}

/** The smallest 1, 2 or 5 times a power of ten that is at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return round(m * power);
  return round(10 * power);
}

// Rounds away binary noise (0.1 + 0.2) so bin edges print cleanly.
function round(x: number): number {
  return Number(x.toPrecision(12));
}

/**
 * Indices of the points on the Pareto front when `x` is better higher and `y` better lower:
 * no other point has an `x` at least as high and a `y` at least as low (and one strictly).
 */
export function paretoFront(points: readonly { x: number; y: number }[]): number[] {
  const front: number[] = [];
  points.forEach((p, i) => {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) return;
    const dominated = points.some((q, j) =>
      j !== i && q.x >= p.x && q.y <= p.y && (q.x > p.x || q.y < p.y)
    );
    if (!dominated) front.push(i);
  });
  return front;
}

/** Every `step`-th element so at most `max` remain (all of them when there are fewer). */
export function thin<T>(items: readonly T[], max: number): readonly T[] {
  if (items.length <= max) return items;
  const step = items.length / max;
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * step)]!);
}

/** Completions, output tokens and errors per time bucket and phase. */
export interface TimeBuckets {
  /** Each bucket's start, in seconds. */
  readonly x: number[];
  /** The buckets' width, in seconds. */
  readonly widthS: number;
  /** Requests per second, per phase and bucket (null: outside the phase). */
  readonly requests: (number | null)[][];
  /** Output tokens per second, per phase and bucket. */
  readonly tokens: (number | null)[][];
  /** Failed requests, per phase and bucket. */
  readonly errors: (number | null)[][];
}

/**
 * Buckets completions by their end time (ms from the phase start). Rates are per second of the
 * bucket; a phase's last bucket is divided by the part of it the phase lasted (up to its last
 * completion), not its full width, or a phase ending early in a bucket would read low.
 */
export function timeBuckets(
  requests: RequestColumns,
  phases: readonly string[],
): TimeBuckets {
  const { length, endMs, startMs } = requests;
  // Loops, not Math.max(...list): a spread of 500,000 values overflows the call stack.
  let end = 0;
  for (let i = 0; i < length; i++) end = Math.max(end, endMs[i]!);
  // A bucket spans several request latencies, or closed-loop load aliases into 0, max, 0, ...
  const latencies = new Float64Array(length);
  for (let i = 0; i < length; i++) latencies[i] = endMs[i]! - startMs[i]!;
  latencies.sort();
  const median = length === 0 ? 0 : latencies[Math.floor(length / 2)]!;
  const widthMs = Math.max(10, niceStep(Math.max(end / 50, 3 * median)));
  const n = Math.max(1, Math.ceil(end / widthMs) + 1);
  const zero = () => phases.map(() => new Array<number | null>(n).fill(null));
  const requestsPer = zero();
  const tokensPer = zero();
  const errorsPer = zero();
  const seconds = widthMs / 1000;
  // Each request's row: the index of its phase in `phases` (-1: not drawn).
  const rowOf = requests.phaseNames.map((name) => phases.indexOf(name));
  // Each phase's first and last completion.
  const firstEnd = phases.map(() => Infinity);
  const lastEnd = phases.map(() => -Infinity);
  for (let r = 0; r < length; r++) {
    const p = rowOf[requests.phase[r]!]!;
    if (p < 0) continue;
    const at = endMs[r]!;
    firstEnd[p] = Math.min(firstEnd[p]!, at);
    lastEnd[p] = Math.max(lastEnd[p]!, at);
    const i = Math.min(n - 1, Math.floor(at / widthMs));
    const add = (rows: (number | null)[][], v: number) => rows[p]![i] = (rows[p]![i] ?? 0) + v;
    if (requests.error[r] !== -1) {
      add(errorsPer, 1);
      add(requestsPer, 0);
      add(tokensPer, 0);
    } else {
      const tokens = requests.outputTokens[r]!;
      add(requestsPer, 1 / seconds);
      add(tokensPer, (Number.isNaN(tokens) ? 0 : tokens) / seconds);
      add(errorsPer, 0);
    }
  }
  // Buckets inside a phase's span count as 0, outside it as no data (a gap).
  for (const p of phases.keys()) {
    if (lastEnd[p] === -Infinity) continue;
    const first = Math.floor(firstEnd[p]! / widthMs);
    const last = Math.floor(lastEnd[p]! / widthMs);
    for (let i = first; i <= Math.min(last, n - 1); i++) {
      for (const rows of [requestsPer, tokensPer, errorsPer]) rows[p]![i] ??= 0;
    }
  }
  // A phase's last bucket lasted until its last completion: rates over that real width.
  for (const p of phases.keys()) {
    const phaseEnd = lastEnd[p]!;
    if (phaseEnd === -Infinity) continue;
    const last = Math.min(n - 1, Math.floor(phaseEnd / widthMs));
    const realMs = phaseEnd - last * widthMs;
    if (realMs <= 0 || realMs >= widthMs) continue;
    for (const rows of [requestsPer, tokensPer]) {
      const value = rows[p]![last];
      if (value !== null && value !== undefined) rows[p]![last] = value * widthMs / realMs;
    }
  }
  return {
    x: Array.from({ length: n }, (_, i) => (i * widthMs) / 1000),
    widthS: seconds,
    requests: requestsPer,
    tokens: tokensPer,
    errors: errorsPer,
  };
}
