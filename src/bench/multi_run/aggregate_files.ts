// The bodies of AIPerf's aggregate files of repeated runs, as pure functions:
// profile_export_aiperf_aggregate.json (schema_version, metadata, metrics) and
// profile_export_aiperf_aggregate.csv (the metrics table, a blank line, then the metadata).

import type { AggregateData } from "./aggregate_runs.ts";

/** `profile_export_aiperf_aggregate.json`. */
export function aggregateJson(data: AggregateData): string {
  return JSON.stringify(data, null, 2) + "\n";
}

// Python's f"{value:.{decimals}f}"; "" for a missing value.
function fixed(value: number | null, decimals = 2): string {
  return value === null ? "" : value.toFixed(decimals);
}

// Python's str() of a list of strings: ['run_0001', 'run_0002'].
function pythonList(values: readonly string[]): string {
  return `[${values.map((v) => `'${v}'`).join(", ")}]`;
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * `profile_export_aiperf_aggregate.csv`: AIPerf's layout, one row per statistic (`metric`,
 * `mean`, `std`, `min`, `max`, `cv`, `se`, `ci_low`, `ci_high`, `t_critical`, `unit`; two
 * decimals, four for cv, se and t_critical), a blank line, then `Aggregation Type`,
 * `Total Runs`, `Successful Runs`, `Confidence Level` and `Run Labels`.
 */
export function aggregateCsv(data: AggregateData): string {
  const rows: string[][] = [[
    "metric",
    "mean",
    "std",
    "min",
    "max",
    "cv",
    "se",
    "ci_low",
    "ci_high",
    "t_critical",
    "unit",
  ]];
  for (const [name, m] of Object.entries(data.metrics)) {
    rows.push([
      name,
      fixed(m.mean),
      fixed(m.std),
      fixed(m.min),
      fixed(m.max),
      fixed(m.cv, 4),
      fixed(m.se, 4),
      fixed(m.ci_low),
      fixed(m.ci_high),
      fixed(m.t_critical, 4),
      m.unit,
    ]);
  }
  const meta = data.metadata;
  rows.push(
    [],
    ["Aggregation Type", meta.aggregation_type],
    ["Total Runs", String(meta.num_profile_runs)],
    ["Successful Runs", String(meta.num_successful_runs)],
    ["Confidence Level", String(meta.confidence_level)],
    ["Run Labels", pythonList(meta.run_labels)],
    ...(meta.single_run ? [["Single Run", "True"]] : []),
  );
  // Lines end in \n as profile_export_aiperf.csv's do (Python's csv writer writes \r\n).
  return rows.map((row) => row.map(csvField).join(",") + "\n").join("");
}
