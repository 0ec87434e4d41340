import { percentile } from "../metrics/compute_statistics.ts";
import { metricInfo } from "./metric_catalog.ts";
import type { RequestSamples } from "./request_samples.ts";

/** A statistic both runs have, as {@linkcode judgeNoise} reads it. */
export interface StatPair {
  /** The metric (`time_to_first_token`). */
  readonly metric: string;
  /** The statistic: `avg` or `p<N>`. */
  readonly stat: string;
  /** A's value. */
  readonly a: number;
  /** B's value. */
  readonly b: number;
  /** The unit (`ms`: a change under 1 ms is never marked, as timers jitter by that much). */
  readonly unit?: string;
}

/** B's change against A for one statistic, and whether it is larger than the noise. */
export interface NoiseVerdict extends StatPair {
  /** `(b - a) / a` in percent. */
  readonly percent?: number;
  /**
   * The range of the change in percent that both runs' intervals allow, when the runs have
   * records.
   */
  readonly interval?: readonly [number, number];
  /** Requests each run has for the metric. */
  readonly counts?: readonly [number, number];
  /**
   * `better` / `worse` (or `higher` / `lower` for sizes) when the interval excludes no change
   * and the change is at least `minChange`; `noise` when not; `unknown` without records.
   */
  readonly verdict: "better" | "worse" | "higher" | "lower" | "noise" | "unknown";
  /** The verdict in words: `TTFT p99 +11.7 %, within noise at 100 requests (-8.2 to +31.5 %)`. */
  readonly words: string;
}

/** How {@linkcode judgeNoise} decides. */
export interface NoiseOptions {
  /** Family-wise confidence over all statistics judged (Bonferroni); default 0.95. */
  readonly confidence?: number;
  /** A change smaller than this many percent is never marked; default 5. */
  readonly minChange?: number;
}

// Requests beyond a percentile needed to judge it.
const TAIL_REQUESTS = 5;

// Higher is better for throughputs and goodput; lower for latencies; neither for sizes.
function direction(metric: string): 1 | -1 | 0 {
  if (/throughput|goodput/.test(metric)) return 1;
  if (/latency|time_to|error/.test(metric)) return -1;
  return 0;
}

// The inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9).
function normalQuantile(p: number): number {
  const a = [
    -39.6968302866538,
    220.946098424521,
    -275.928510446969,
    138.357751867269,
    -30.6647980661472,
    2.50662827745924,
  ];
  const b = [
    -54.4760987982241,
    161.585836858041,
    -155.698979859887,
    66.8013118877197,
    -13.2806815528857,
  ];
  const c = [
    -0.00778489400243029,
    -0.322396458041136,
    -2.40075827716184,
    -2.54973253934373,
    4.37466414146497,
    2.93816398269878,
  ];
  const d = [0.00778469570904146, 0.32246712907004, 2.445134137143, 3.75440866190742];
  const tail = (q: number) =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

// The interval of one statistic of one run at normal quantile `z`: for a percentile, the
// order statistics around its rank (distribution-free: the count of values below a quantile is
// binomial); for the mean, the mean plus or minus z standard errors.
function interval(sorted: Float64Array, stat: string, z: number): [number, number] {
  const n = sorted.length;
  if (stat === "avg") {
    let sum = 0;
    for (const v of sorted) sum += v;
    const mean = sum / n;
    let squares = 0;
    for (const v of sorted) squares += (v - mean) ** 2;
    const se = n < 2 ? 0 : Math.sqrt(squares / (n - 1) / n);
    return [mean - z * se, mean + z * se];
  }
  const q = Number(stat.slice(1)) / 100;
  const spread = z * Math.sqrt(n * q * (1 - q));
  const low = Math.min(n - 1, Math.max(0, Math.floor(n * q - spread) - 1));
  const high = Math.min(n - 1, Math.max(0, Math.ceil(n * q + spread)));
  return [
    Math.min(sorted[low]!, percentile(sorted, q * 100)),
    Math.max(sorted[high]!, percentile(sorted, q * 100)),
  ];
}

function sign(x: number): string {
  return `${x >= 0 ? "+" : ""}${x.toFixed(1)}`;
}

/**
 * Tells change from noise for each statistic two runs share. Each run gets an interval for the
 * statistic from its own requests: for a percentile, distribution-free (the order statistics
 * around its rank: how many values fall below a quantile is binomial), for the mean, the mean
 * plus or minus its standard errors. The intervals are family-wise at `confidence` over every
 * statistic judged (Bonferroni), so comparing 40 statistics does not find 2 changes by chance.
 * A change is marked only when the two intervals do not overlap (every change they allow has
 * the same sign) and it is at least `minChange` percent.
 *
 * @param pairs The statistics to judge (e.g. from `metricDeltas`).
 * @param a A's per-request samples.
 * @param b B's per-request samples.
 * @param options Confidence, smallest change marked.
 * @returns One verdict per pair, in order.
 *
 * @example
 * ```ts
 * import { judgeNoise } from "./judge_noise.ts";
 *
 * const a = Array.from({ length: 100 }, (_, i) => 100 + (i % 10));
 * const b = a.map((v) => v * 1.2);
 * const [v] = judgeNoise([{ metric: "request_latency", stat: "avg", a: 104.5, b: 125.4 }],
 *   { request_latency: a }, { request_latency: b });
 * if (v?.verdict !== "worse") throw new Error(v?.words);
 * ```
 */
export function judgeNoise(
  pairs: readonly StatPair[],
  a: RequestSamples,
  b: RequestSamples,
  options: NoiseOptions = {},
): NoiseVerdict[] {
  const confidence = options.confidence ?? 0.95;
  const minChange = options.minChange ?? 5;
  const judged = pairs.filter((p) => a[p.metric]?.length && b[p.metric]?.length && p.a !== 0);
  // Two intervals per statistic judged share the family-wise error (Bonferroni), two-sided.
  const z = normalQuantile(1 - (1 - confidence) / (4 * Math.max(1, judged.length)));
  const cache = new Map<string, [Float64Array, Float64Array]>();
  return pairs.map((pair): NoiseVerdict => {
    const percent = pair.a === 0 ? undefined : ((pair.b - pair.a) / Math.abs(pair.a)) * 100;
    const [sa, sb] = [a[pair.metric], b[pair.metric]];
    const label = `${metricInfo(pair.metric).short} ${pair.stat} ${
      percent === undefined ? "–" : `${sign(percent)} %`
    }`;
    if (percent === undefined || !sa?.length || !sb?.length) {
      return {
        ...pair,
        ...(percent === undefined ? {} : { percent }),
        verdict: "unknown",
        words: `${label}, no per-request records to tell it from noise`,
      };
    }
    if (!cache.has(pair.metric)) {
      cache.set(pair.metric, [Float64Array.from(sa).sort(), Float64Array.from(sb).sort()]);
    }
    const [xa, xb] = cache.get(pair.metric)!;
    const [aLow, aHigh] = interval(xa, pair.stat, z);
    const [bLow, bHigh] = interval(xb, pair.stat, z);
    // The change is surely positive when B's interval lies above A's, surely negative when
    // below; otherwise the intervals overlap and no change is among the possible ones.
    const scale = Math.abs(pair.a) / 100;
    const interval2: [number, number] = [(bLow - aHigh) / scale, (bHigh - aLow) / scale];
    const counts: [number, number] = [sa.length, sb.length];
    // A tail percentile with fewer than 5 requests beyond it (p99 of 100) rests on one or two
    // requests: a single stall moves it, so it is never marked.
    const tail = pair.stat === "avg" ? 1 : 1 - Number(pair.stat.slice(1)) / 100;
    const needed = Math.ceil(TAIL_REQUESTS / tail);
    const judgeable = Math.min(sa.length, sb.length) >= needed;
    const marked = judgeable && (interval2[0] > 0 || interval2[1] < 0) &&
      Math.abs(percent) >= minChange && (pair.unit !== "ms" || Math.abs(pair.b - pair.a) >= 1);
    const dir = direction(pair.metric);
    const up = percent > 0;
    const verdict = !marked
      ? "noise"
      : dir === 0
      ? (up ? "higher" : "lower")
      : (up ? dir > 0 : dir < 0)
      ? "better"
      : "worse";
    const range = `${sign(interval2[0])} to ${sign(interval2[1])} %`;
    const at = counts[0] === counts[1]
      ? `${counts[0]} requests`
      : `${counts[0]} vs ${counts[1]} requests`;
    const words = verdict === "noise"
      ? `${label}, within noise at ${at} (${
        judgeable ? range : `${pair.stat} needs ${needed} requests to be told apart`
      })`
      : `${label}, ${verdict} (${range}, ${at})`;
    return { ...pair, percent, interval: interval2, counts, verdict, words };
  });
}
