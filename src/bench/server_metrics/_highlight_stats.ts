// A known metric's headline statistics over all its series (every endpoint and label set), so
// that a metric split by label (vLLM's request_success by finish reason, one series per engine or
// GPU) is not read from whichever series happens to come first.
import { estimate } from "./_series_stats.ts";
import type { MetricSummary, SeriesStats } from "./types.ts";

const PERCENTILES = [1, 5, 10, 25, 50, 75, 90, 95, 99];

/**
 * Counters: `total` and `rate` summed (each series counts its own events). Histograms: the
 * series' bucket deltas added bound by bound, then count, sum, avg and the percentile estimates
 * of the whole. Gauges: `avg` the mean of the series' averages, `min`/`max` the lowest/highest of
 * any series (as the sweep's server columns). One series: its own statistics, unchanged.
 */
export function highlightStats(metric: MetricSummary): SeriesStats {
  const series = metric.series;
  if (series.length === 1) return series[0]!.stats;
  const values = (key: string) =>
    series.map((s) => s.stats[key]).filter((v): v is number => Number.isFinite(v));
  const sum = (key: string) => values(key).reduce((a, b) => a + b, 0);
  if (metric.type === "counter") return { total: sum("total"), rate: sum("rate") };
  if (metric.type === "histogram") return mergedHistogram(metric);
  const avgs = values("avg");
  const out: Record<string, number> = {};
  if (avgs.length > 0) out.avg = avgs.reduce((a, b) => a + b, 0) / avgs.length;
  if (values("min").length > 0) out.min = Math.min(...values("min"));
  if (values("max").length > 0) out.max = Math.max(...values("max"));
  return out;
}

function mergedHistogram(metric: MetricSummary): SeriesStats {
  const byBound = new Map<number, number>();
  let count = 0;
  let sum = 0;
  for (const s of metric.series) {
    count += s.stats.count ?? 0;
    sum += s.stats.sum ?? 0;
    for (const [le, n] of Object.entries(s.buckets ?? {})) {
      const bound = le === "+Inf" ? Infinity : Number(le);
      byBound.set(bound, (byBound.get(bound) ?? 0) + n);
    }
  }
  if (count <= 0) return { count: 0 };
  const bounds = [...byBound.keys()].sort((a, b) => a - b);
  // Series with different bounds: a bound missing from one series is not known to hold its
  // count, so the merge is exact only on shared bounds; keep the bounds every series has.
  const shared = bounds.filter((b) =>
    metric.series.every((s) => s.buckets?.[b === Infinity ? "+Inf" : String(b)] !== undefined)
  );
  const out: Record<string, number> = { count, sum, avg: sum / count };
  if (shared.length === 0) return out;
  const cumulative = shared.map((b) => byBound.get(b)!);
  for (const p of PERCENTILES) out[`p${p}_estimate`] = estimate(shared, cumulative, p / 100);
  return out;
}
