// The scraped series of one endpoint, bounded: each series keeps at most `maxPoints` points
// (then every other point is dropped, halving the resolution of what is already kept) and an
// endpoint at most `maxSeries` series. Counters and histograms are kept as running totals
// corrected for resets: when a counter goes down (the server restarted), what it had counted is
// carried over, so a delta is never negative and dropping points never loses a reset.
import type { MetricFamily, MetricType } from "./types.ts";

/** One endpoint + metric + label set over time. */
export interface StoredSeries {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Epoch milliseconds of each point. */
  times: number[];
  /** Gauge/unknown: the value; counter: the reset-corrected running total; histogram: count. */
  values: number[];
  /** Histogram: reset-corrected sum per point. */
  sums?: number[];
  /** Histogram: upper bounds (Infinity last). */
  bounds?: number[];
  /** Histogram: reset-corrected cumulative count per bound, per point. */
  buckets?: Float64Array[];
  // Reset correction: the last raw reading and what earlier lives of the counter added.
  lastRaw: number | undefined;
  offset: number;
  lastRawSum?: number;
  offsetSum: number;
  lastRawBuckets?: readonly number[];
  offsetBuckets: Float64Array | undefined;
  resets: number;
}

/** The series of one endpoint. */
export class SeriesStore {
  readonly series = new Map<string, StoredSeries>();
  readonly #maxPoints: number;
  readonly #maxSeries: number;
  /** Series left out because the endpoint has more than `maxSeries`. */
  dropped = 0;
  /** Counter and histogram resets seen. */
  resets = 0;
  /** The time of the scrape before this one. */
  #previous: number | undefined;

  constructor(maxPoints: number, maxSeries: number) {
    this.#maxPoints = Math.max(16, maxPoints);
    this.#maxSeries = maxSeries;
  }

  /** Adds one scrape's families at `time` (epoch ms). */
  add(time: number, families: readonly MetricFamily[]): void {
    const previous = this.#previous;
    this.#previous = time;
    for (const family of families) {
      for (const sample of family.samples) {
        const key = family.name + JSON.stringify(sample.labels);
        let s = this.series.get(key);
        if (s === undefined) {
          if (this.series.size >= this.#maxSeries) {
            this.dropped++;
            continue;
          }
          s = {
            name: family.name,
            type: family.type,
            help: family.help,
            labels: sample.labels,
            times: [],
            values: [],
            lastRaw: undefined,
            offset: 0,
            offsetBuckets: undefined,
            offsetSum: 0,
            resets: 0,
          };
          this.series.set(key, s);
          // A counter or histogram that appears after an earlier scrape was at 0 then (vLLM
          // publishes a finish reason's counter at its first request): that increase counts.
          if (previous !== undefined && family.type !== "gauge" && family.type !== "unknown") {
            s.times.push(previous);
            s.values.push(0);
            s.lastRaw = 0;
            if (family.type === "histogram" && sample.buckets !== undefined) {
              s.sums = [0];
              s.buckets = [new Float64Array(sample.buckets.length)];
              s.bounds = sample.buckets.map((b) => b.le);
              s.lastRawSum = 0;
              s.lastRawBuckets = sample.buckets.map(() => 0);
            }
          }
        }
        if (family.type === "histogram") {
          if (sample.buckets === undefined || sample.count === undefined) continue;
          this.#histogram(s, sample.buckets, sample.count, sample.sum ?? 0);
        } else {
          const value = sample.value!;
          if (family.type === "counter") {
            if (s.lastRaw !== undefined && value < s.lastRaw) {
              s.offset += s.lastRaw;
              s.resets++;
              this.resets++;
            }
            s.lastRaw = value;
            s.values.push(value + s.offset);
          } else {
            s.values.push(value);
          }
        }
        s.times.push(time);
        if (s.times.length > this.#maxPoints) halve(s);
      }
    }
  }

  #histogram(
    s: StoredSeries,
    buckets: readonly { le: number; count: number }[],
    count: number,
    sum: number,
  ): void {
    const bounds = buckets.map((b) => b.le);
    const raw = buckets.map((b) => b.count);
    if (s.bounds !== undefined && !sameBounds(s.bounds, bounds)) {
      // New bucket layout: a new life of the series (the earlier points are not comparable).
      s.times = [];
      s.values = [];
      s.sums = [];
      s.buckets = [];
      s.lastRaw = undefined;
      s.offset = 0;
      s.offsetSum = 0;
      s.offsetBuckets = undefined;
    }
    s.bounds = bounds;
    s.sums ??= [];
    s.buckets ??= [];
    s.offsetBuckets ??= new Float64Array(bounds.length);
    const went = s.lastRaw !== undefined && (count < s.lastRaw ||
      raw.some((c, i) => c < (s.lastRawBuckets?.[i] ?? 0)));
    if (went) {
      s.offset += s.lastRaw!;
      s.offsetSum += s.lastRawSum ?? 0;
      s.lastRawBuckets?.forEach((c, i) => s.offsetBuckets![i]! += c);
      s.resets++;
      this.resets++;
    }
    s.lastRaw = count;
    s.lastRawSum = sum;
    s.lastRawBuckets = raw;
    s.values.push(count + s.offset);
    s.sums.push(sum + s.offsetSum);
    s.buckets.push(Float64Array.from(raw, (c, i) => c + s.offsetBuckets![i]!));
  }
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

// Every other point, the last one always kept.
function halve(s: StoredSeries): void {
  const keep = (_: unknown, i: number, all: { length: number }) =>
    i % 2 === 0 || i === all.length - 1;
  s.times = s.times.filter(keep);
  s.values = s.values.filter(keep);
  if (s.sums !== undefined) s.sums = s.sums.filter(keep);
  if (s.buckets !== undefined) s.buckets = s.buckets.filter(keep);
}
