// Turns measurements into chart series: histograms on shared bins, time buckets, Pareto fronts.

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
