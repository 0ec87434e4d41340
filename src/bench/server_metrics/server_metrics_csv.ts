import type { BenchmarkResult } from "../types.ts";
import type { MetricSummary, MetricType, SeriesSummary } from "./types.ts";

const STATS: Record<MetricType, readonly string[]> = {
  gauge: ["avg", "min", "max", "std", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99"],
  unknown: [
    "avg",
    "min",
    "max",
    "std",
    "p1",
    "p5",
    "p10",
    "p25",
    "p50",
    "p75",
    "p90",
    "p95",
    "p99",
  ],
  counter: ["total", "rate", "rate_avg", "rate_min", "rate_max", "rate_std"],
  histogram: [
    "count",
    "count_rate",
    "sum",
    "sum_rate",
    "avg",
    ...[1, 5, 10, 25, 50, 75, 90, 95, 99].map((p) => `p${p}_estimate`),
  ],
};

interface Row {
  readonly name: string;
  readonly metric: MetricSummary;
  readonly series: SeriesSummary;
}

/**
 * AIPerf's `server_metrics_export.csv` for a run (profiling phase): comment lines, then one
 * section per type (gauge, counter, histogram, unknown), separated by a blank line, each with
 * its header `Endpoint,Type,Metric,Unit,<stats>,<label columns>,Description` (histograms add
 * `buckets` as `le=count;...`), and `_info` metrics last, one row per label
 * (`Endpoint,Metric,Key,Value,Description`). Endpoints are shown as `host:port`.
 *
 * @param result The run.
 * @returns The CSV text, or undefined when the profiling phase has no server metrics.
 *
 * @example
 * ```ts
 * import { serverMetricsCsv } from "./server_metrics_csv.ts";
 *
 * const csv = serverMetricsCsv({ phases: { profiling: { server_metrics: { metrics: {
 *   "vllm:num_requests_running": { type: "gauge", description: "Running", series: [
 *     { endpoint_url: "http://localhost:8000/metrics", labels: { model_name: "m" },
 *       stats: { avg: 2, min: 1, max: 3 } }] } } } } } } as never);
 * if (!csv!.includes("localhost:8000,gauge,vllm:num_requests_running,,2,1,3,")) {
 *   throw new Error(csv);
 * }
 * ```
 */
export function serverMetricsCsv(result: BenchmarkResult): string | undefined {
  const server = result.phases.profiling?.server_metrics;
  if (server === undefined) return undefined;
  const lines = ["# AIPerf Server Metrics Export (CSV)", "# schema_version: 1.0", "#"];
  const info: Row[] = [];
  const sections: string[][] = [];
  for (const type of ["gauge", "counter", "histogram", "unknown"] as const) {
    const rows: Row[] = [];
    for (const [name, metric] of Object.entries(server.metrics)) {
      if (metric.type !== type) continue;
      for (const series of metric.series) {
        (name.endsWith("_info") ? info : rows).push({ name, metric, series });
      }
    }
    if (rows.length > 0) sections.push(section(type, rows));
  }
  if (info.length > 0) {
    const out = [line(["Endpoint", "Metric", "Key", "Value", "Description"])];
    for (const { name, metric, series } of info) {
      for (const [key, value] of Object.entries(series.labels ?? {}).sort()) {
        out.push(line([display(series.endpoint_url), name, key, value, metric.description]));
      }
    }
    sections.push(out);
  }
  return [...lines, sections.map((s) => s.join("\n")).join("\n\n")].join("\n") + "\n";
}

function section(type: MetricType, rows: readonly Row[]): string[] {
  const stats = STATS[type];
  const labels = [...new Set(rows.flatMap((r) => Object.keys(r.series.labels ?? {})))].sort();
  const header = ["Endpoint", "Type", "Metric", "Unit", ...stats, ...labels, "Description"];
  if (type === "histogram") header.push("buckets");
  const out = [line(header)];
  for (const { name, metric, series } of rows) {
    const cells = [display(series.endpoint_url), type, name, metric.unit ?? ""];
    for (const stat of stats) cells.push(number(series.stats[stat]));
    for (const label of labels) cells.push(series.labels?.[label] ?? "");
    cells.push(metric.description);
    if (type === "histogram") {
      cells.push(
        Object.entries(series.buckets ?? {}).map(([le, c]) => `${le}=${number(c)}`).join(";"),
      );
    }
    out.push(line(cells));
  }
  return out;
}

// AIPerf shows an endpoint as host:port (its path too when it is not /metrics).
function display(url: string): string {
  try {
    const u = new URL(url);
    return u.host + (u.pathname === "/metrics" ? "" : u.pathname);
  } catch {
    return url;
  }
}

// Integers as integers, other numbers with 4 decimals (AIPerf's CSV).
function number(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "";
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}

function line(cells: readonly string[]): string {
  return cells.map((c) => /[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c).join(",");
}
