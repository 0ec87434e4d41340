import { csvLine, csvNumber } from "./_csv.ts";
import { metricInfo, STAT_KEYS } from "./metric_catalog.ts";
import type { StatsView } from "./run_view.ts";

/**
 * Renders metrics as AIPerf's `profile_export_aiperf.csv` does, so spreadsheets built on it
 * read ours: first the metrics with percentiles under `Metric,avg,min,max,p1,p5,p10,p25,p50,
 * p75,p90,p95,p99,std` (a statistic a metric lacks is an empty cell), then a blank line and
 * the single-value metrics under `Metric,Value`. Rows are sorted by metric name, each named by
 * its header and unit (`Time to First Token (ms)`; no unit for counts of requests). Integers
 * print as integers, other numbers with two decimals.
 *
 * @param metrics Metric name to statistics (a `unit` and numbers).
 * @returns The CSV text, ending with a newline.
 *
 * @example
 * ```ts
 * import { profileCsv } from "./profile_csv.ts";
 *
 * const csv = profileCsv({
 *   time_to_first_token: { unit: "ms", avg: 20.5, min: 20, max: 21, p50: 20.25 },
 *   request_count: { unit: "requests", avg: 100 },
 * });
 * const lines = csv.split("\n");
 * if (lines[1] !== "Time to First Token (ms),20.50,20,21,,,,,20.25,,,,,") throw new Error(csv);
 * if (lines[3] !== "Metric,Value" || lines[4] !== "Request Count,100") throw new Error(csv);
 * ```
 */
export function profileCsv(metrics: Readonly<Record<string, object>>): string {
  const names = Object.keys(metrics).sort();
  const hasPercentiles = (stats: StatsView) =>
    Object.keys(stats).some((k) => /^p\d+$/.test(k) && typeof stats[k] === "number");
  const stat = (name: string) => metrics[name] as StatsView;
  const request = names.filter((n) => hasPercentiles(stat(n)));
  const system = names.filter((n) => !hasPercentiles(stat(n)));
  const lines: string[] = [];
  if (request.length > 0) {
    lines.push(["Metric", ...STAT_KEYS].join(","));
    for (const name of request) {
      const stats = stat(name);
      lines.push(csvLine([label(name, stats), ...STAT_KEYS.map((k) => csvNumber(stats[k]))]));
    }
    if (system.length > 0) lines.push("");
  }
  if (system.length > 0) {
    lines.push("Metric,Value");
    for (const name of system) {
      const stats = stat(name);
      lines.push(csvLine([label(name, stats), csvNumber(stats.avg)]));
    }
  }
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}

function label(name: string, stats: StatsView): string {
  const { header } = metricInfo(name);
  const unit = typeof stats.unit === "string" ? stats.unit : "";
  return unit === "" || ["count", "requests"].includes(unit.toLowerCase())
    ? header
    : `${header} (${unit})`;
}
