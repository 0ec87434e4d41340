// The console's metrics table, drawn like AIPerf's and fitted to the terminal.

import { isConsoleMetric, metricInfo, orderMetrics } from "../report/metric_catalog.ts";
import type { Metrics } from "../types.ts";
import { boxTable, type NarrowStep } from "./_box_table.ts";

// AIPerf's console columns.
const COLUMNS = ["avg", "min", "max", "p99", "p90", "p50", "std"] as const;

// When the table is too wide: std goes, then names longer than 36 characters shorten to
// AIPerf's short headers (Output TPS/User), then min, p90 and max go; only then do all names
// shorten (TTFT), so a usual table keeps its readable names and avg, p99, p50.
const NARROW: readonly NarrowStep[] = [
  { drop: 7 },
  { shortenLongerThan: 36 },
  { drop: 2 },
  { drop: 5 },
  { drop: 3 },
  { shortenLongerThan: 0 },
];

/** Renders metrics as a table at most `width` columns wide, AIPerf's metrics first in its order. */
export function metricsTable(title: string, metrics: Metrics, width = 100): string {
  const names = orderMetrics(Object.keys(metrics).filter(isConsoleMetric));
  const unit = (name: string) => ` (${metrics[name]!.unit})`;
  const rows = names.map((name) => {
    const stats = metrics[name]! as unknown as Readonly<Record<string, unknown>>;
    return [
      metricInfo(name).header + unit(name),
      ...COLUMNS.map((key) => cell(stats, String(stats.unit), key)),
    ];
  });
  const short = names.map((name) => metricInfo(name).short + unit(name));
  const columns = ["Metric", ...COLUMNS].map((header) => ({ header }));
  return boxTable(title, columns, rows, width, NARROW, short);
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
