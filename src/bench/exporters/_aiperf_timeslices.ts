// AIPerf's time-slice files (`--slice-duration`), built from our result's time slices as pure
// functions: profile_export_aiperf_timeslices.json ({timeslices: [{timeslice_index, <metric>:
// {unit, avg, min, max, p50, ...}}], input_config}) and profile_export_aiperf_timeslices.csv
// (AIPerf's tidy rows: Timeslice,Metric,Unit,Stat,Value).

import { metricInfo, orderMetrics, STAT_KEYS as STATS } from "../report/metric_catalog.ts";
import type { BenchmarkResult, MetricStatistics, TimeWindow } from "../types.ts";

// One slice's metrics: the per-request statistics, then its counts and throughput as AIPerf's
// aggregate metrics ({unit, avg}).
function sliceMetrics(window: TimeWindow): Record<string, Partial<MetricStatistics>> {
  const metrics: Record<string, Partial<MetricStatistics>> = {};
  for (const name of orderMetrics(Object.keys(window.metrics))) {
    const stats = window.metrics[name]!;
    const kept: Record<string, unknown> = { unit: stats.unit };
    for (const key of STATS) {
      const value = (stats as unknown as Record<string, unknown>)[key];
      if (typeof value === "number") kept[key] = value;
    }
    metrics[name] = kept as Partial<MetricStatistics>;
  }
  metrics.request_count = { unit: "requests", avg: window.request_count };
  if (window.error_request_count > 0) {
    metrics.error_request_count = { unit: "requests", avg: window.error_request_count };
  }
  metrics.request_throughput = { unit: "requests/sec", avg: window.request_throughput };
  return metrics;
}

/**
 * `profile_export_aiperf_timeslices.json`, or undefined when the run has no time slices.
 *
 * @param result The run.
 * @returns The file's text.
 */
export function aiperfTimeslicesJson(result: BenchmarkResult): string | undefined {
  const slices = result.time_slices?.slices;
  if (slices === undefined) return undefined;
  const timeslices = slices.map((window, i) => ({ timeslice_index: i, ...sliceMetrics(window) }));
  return JSON.stringify({ timeslices, input_config: result.input_config ?? {} }, null, 2) + "\n";
}

/**
 * `profile_export_aiperf_timeslices.csv`: one row per slice, metric and statistic, the value
 * with two decimals, or undefined when the run has no time slices.
 *
 * @param result The run.
 * @returns The file's text.
 */
export function aiperfTimeslicesCsv(result: BenchmarkResult): string | undefined {
  const slices = result.time_slices?.slices;
  if (slices === undefined) return undefined;
  const rows = ["Timeslice,Metric,Unit,Stat,Value"];
  slices.forEach((window, i) => {
    for (const [name, stats] of Object.entries(sliceMetrics(window))) {
      for (const key of STATS) {
        const value = stats[key];
        if (typeof value !== "number") continue;
        rows.push(
          [i, csvField(metricInfo(name).header), stats.unit, key, value.toFixed(2)].join(","),
        );
      }
    }
  });
  return rows.join("\n") + "\n";
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
