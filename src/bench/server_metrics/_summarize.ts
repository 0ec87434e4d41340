// One phase of scraped series -> AIPerf's metrics layout, the known metrics first, their
// time line for the report, and what collecting cost.
import { percentile } from "../metrics/compute_statistics.ts";
import type { StoredSeries } from "./_series_store.ts";
import {
  counterStats,
  estimate,
  gaugeStats,
  histogramStats,
  type Window,
  windowOf,
} from "./_series_stats.ts";
import { highlightStats } from "./_highlight_stats.ts";
import { unitOf } from "./_unit.ts";
import { type KnownMetric, SERVER_METRIC_CATALOG } from "./server_metric_catalog.ts";
import type {
  CollectionCost,
  EndpointInfo,
  HighlightedMetric,
  MetricSummary,
  PhaseServerMetrics,
  SeriesSummary,
  TimelineSeries,
} from "./types.ts";

/** What the collector knows of one endpoint. */
export interface EndpointData {
  readonly url: string;
  readonly series: Iterable<StoredSeries>;
  /** Every fetch: epoch ms it started, ms it took (to parsed), whether it worked. */
  readonly fetches: readonly { time: number; ms: number; ok: boolean }[];
  readonly resets: number;
  readonly active: boolean;
}

/** Points drawn per series in the report at most. */
const TIMELINE_POINTS = 600;

/** Summarizes the window [start, end] (epoch ms). */
export function summarize(
  endpoints: readonly EndpointData[],
  start: number,
  end: number,
  thread: CollectionCost["thread"],
  warnings: readonly string[],
): PhaseServerMetrics {
  const metrics: Record<
    string,
    { type: MetricSummary["type"]; description: string; series: SeriesSummary[] }
  > = {};
  const timeline: TimelineSeries[] = [];
  const info: Record<string, EndpointInfo> = {};
  const costs: number[] = [];
  let scrapes = 0;
  let failed = 0;
  const known = new Map(SERVER_METRIC_CATALOG.map((m) => [m.name, m]));
  for (const endpoint of endpoints) {
    const fetches = endpoint.fetches.filter((f) => f.time >= start && f.time <= end);
    info[endpoint.url] = endpointInfo(fetches, endpoint.resets);
    scrapes += fetches.length;
    failed += fetches.filter((f) => !f.ok).length;
    for (const f of fetches) if (f.ok) costs.push(f.ms);
    for (const s of endpoint.series) {
      const w = windowOf(s, start, end);
      if (w === undefined) continue;
      const entry = seriesSummary(s, w, endpoint.url);
      if (entry === undefined) continue;
      (metrics[s.name] ??= { type: s.type, description: s.help, series: [] }).series.push(entry);
      const catalog = known.get(s.name);
      if (catalog !== undefined) timeline.push(timelineOf(s, w, catalog, endpoint.url, start));
    }
  }
  const ordered: Record<string, MetricSummary> = {};
  for (const name of Object.keys(metrics).sort()) {
    const m = metrics[name]!;
    const unit = unitOf(name);
    ordered[name] = { ...m, ...(unit === undefined ? {} : { unit }) };
  }
  const sorted = Float64Array.from(costs).sort();
  return {
    summary: {
      endpoints_configured: endpoints.map((e) => e.url),
      endpoints_successful: endpoints.filter((e) => e.fetches.some((f) => f.ok)).map((e) => e.url),
      start_time: new Date(start).toISOString(),
      end_time: new Date(end).toISOString(),
      endpoint_info: info,
    },
    highlights: highlights(ordered),
    metrics: ordered,
    timeline: timeline.sort((a, b) => rank(a.metric) - rank(b.metric)),
    collection: {
      scrapes,
      failed_scrapes: failed,
      ...(sorted.length === 0 ? {} : {
        scrape_ms: {
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          max: sorted[sorted.length - 1]!,
        },
      }),
      thread,
    },
    warnings,
  };
}

function rank(name: string): number {
  return SERVER_METRIC_CATALOG.findIndex((m) => m.name === name);
}

function seriesSummary(s: StoredSeries, w: Window, url: string): SeriesSummary | undefined {
  const labels = Object.keys(s.labels).length === 0 ? null : s.labels;
  if (s.type === "counter") return { endpoint_url: url, labels, stats: counterStats(s, w) };
  if (s.type === "histogram") {
    const { stats, buckets } = histogramStats(s, w);
    return { endpoint_url: url, labels, stats, buckets };
  }
  const stats = gaugeStats(s, w);
  return stats === undefined ? undefined : { endpoint_url: url, labels, stats };
}

function endpointInfo(
  fetches: readonly { time: number; ms: number; ok: boolean }[],
  resets: number,
): EndpointInfo {
  const ok = fetches.filter((f) => f.ok);
  const intervals = ok.slice(1).map((f, i) => f.time - ok[i]!.time);
  const sortedIntervals = Float64Array.from(intervals).sort();
  const first = ok[0];
  const last = ok[ok.length - 1];
  return {
    total_fetches: fetches.length,
    failed_fetches: fetches.length - ok.length,
    ...(first === undefined || last === undefined ? {} : {
      first_fetch_ns: first.time * 1e6,
      last_fetch_ns: last.time * 1e6,
      avg_fetch_latency_ms: ok.reduce((a, f) => a + f.ms, 0) / ok.length,
      duration_seconds: (last.time - first.time) / 1000,
      ...(intervals.length === 0 ? {} : {
        avg_update_interval_ms: intervals.reduce((a, b) => a + b, 0) / intervals.length,
      }),
      median_update_interval_ms: intervals.length < 2 ? null : percentile(sortedIntervals, 50),
    }),
    counter_resets: resets,
  };
}

// The known metrics present, in catalog order, each with its headline figure over all its
// series (summed, merged or averaged by type: _highlight_stats.ts).
function highlights(metrics: Readonly<Record<string, MetricSummary>>): HighlightedMetric[] {
  const out: HighlightedMetric[] = [];
  for (const known of SERVER_METRIC_CATALOG) {
    const metric = metrics[known.name];
    if (metric === undefined || metric.series.length === 0) continue;
    const stats = highlightStats(metric);
    const stat = metric.type === "counter"
      ? "rate"
      : metric.type === "histogram"
      ? "p50_estimate"
      : "avg";
    const raw = stats[stat] ?? (metric.type === "histogram" ? 0 : undefined);
    if (raw === undefined) continue;
    const value = known.unit === "ms" ? raw * 1000 : raw;
    out.push({
      metric: known.name,
      server: known.server,
      role: known.role,
      title: known.title,
      type: metric.type,
      unit: known.unit + (metric.type === "counter" ? "/s" : ""),
      value,
      stat,
      stats,
      series: metric.series.length,
    });
  }
  return out;
}

// The series over the phase, at most TIMELINE_POINTS points: gauges as read, counters as the
// rate over each interval, histograms as the interval's median estimate (in ms for seconds).
function timelineOf(
  s: StoredSeries,
  w: Window,
  known: KnownMetric,
  url: string,
  start: number,
): TimelineSeries {
  const step = Math.max(1, Math.ceil((w.to - w.from + 1) / TIMELINE_POINTS));
  const t: number[] = [];
  const values: (number | null)[] = [];
  const scale = known.unit === "ms" ? 1000 : 1;
  let previous = w.reference;
  for (let i = w.from; i <= w.to; i += step) {
    const at = Math.min(i + step - 1, w.to);
    t.push(s.times[at]! - start);
    if (s.type === "counter" || s.type === "histogram") {
      const dt = (s.times[at]! - s.times[previous]!) / 1000;
      const dc = s.values[at]! - s.values[previous]!;
      if (s.type === "counter") values.push(dt > 0 ? dc / dt : null);
      else {
        const cumulative = Array.from(s.buckets![at]!, (c, j) => c - s.buckets![previous]![j]!);
        values.push(dc > 0 ? estimate(s.bounds!, cumulative, 0.5) * scale : null);
      }
      previous = at;
    } else {
      const v = s.values[at]!;
      values.push(Number.isFinite(v) ? v : null);
    }
  }
  return {
    metric: s.name,
    role: known.role,
    title: known.title,
    unit: known.unit + (s.type === "counter" ? "/s" : ""),
    endpoint_url: url,
    labels: Object.keys(s.labels).length === 0 ? null : s.labels,
    t_ms: t,
    values,
  };
}
