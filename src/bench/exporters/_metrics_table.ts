// The console's metrics table, drawn like AIPerf's and fitted to the terminal.

import { metricInfo, orderMetrics } from "../report/metric_catalog.ts";
import type { Metrics } from "../types.ts";
import { type BoxColumn, boxTable } from "./_box_table.ts";

// AIPerf's console columns; when the table is too wide, std goes first, then min, then the
// labels shorten (TTFT), then p90 and max go.
const COLUMNS: readonly (BoxColumn & { key: string })[] = [
  { header: "avg", key: "avg" },
  { header: "min", key: "min", drop: 2 },
  { header: "max", key: "max", drop: 12 },
  { header: "p99", key: "p99" },
  { header: "p90", key: "p90", drop: 11 },
  { header: "p50", key: "p50" },
  { header: "std", key: "std", drop: 1 },
];

/** Renders metrics as a table at most `width` columns wide, AIPerf's metrics first in its order. */
export function metricsTable(title: string, metrics: Metrics, width = 100): string {
  const names = orderMetrics(Object.keys(metrics));
  const unit = (name: string) => ` (${metrics[name]!.unit})`;
  const rows = names.map((name) => {
    const stats = metrics[name]! as unknown as Readonly<Record<string, unknown>>;
    return [
      metricInfo(name).header + unit(name),
      ...COLUMNS.map((c) => cell(stats, String(stats.unit), c.key)),
    ];
  });
  const short = names.map((name) => metricInfo(name).short + unit(name));
  return boxTable(title, [{ header: "Metric" }, ...COLUMNS], rows, width, short);
}

function cell(stats: Readonly<Record<string, unknown>>, unit: string, key: string): string {
  const value = stats[key];
  if (typeof value !== "number") return "N/A";
  const integer = unit === "requests" ||
    unit === "tokens" && key !== "avg" && key !== "std" && Number.isInteger(value);
  return value.toLocaleString("en-US", {
    minimumFractionDigits: integer ? 0 : 2,
    maximumFractionDigits: integer ? 0 : 2,
  });
}
