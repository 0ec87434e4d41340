// The console table, drawn like AIPerf's (rich's heavy-head box).

import type { Metrics, MetricStatistics } from "../types.ts";

const LABELS: Readonly<Record<string, string>> = {
  time_to_first_token: "Time to First Token",
  time_to_second_token: "Time to Second Token",
  time_to_first_output_token: "Time to First Output Token",
  request_latency: "Request Latency",
  inter_token_latency: "Inter Token Latency",
  inter_chunk_latency: "Inter Chunk Latency",
  output_token_throughput_per_user: "Output Token Throughput Per User",
  output_sequence_length: "Output Sequence Length",
  output_token_count: "Output Token Count",
  reasoning_token_count: "Reasoning Token Count",
  input_sequence_length: "Input Sequence Length",
  output_token_throughput: "Output Token Throughput",
  total_token_throughput: "Total Token Throughput",
  request_throughput: "Request Throughput",
  goodput: "Goodput",
  good_request_count: "Good Request Count",
  request_count: "Request Count",
  error_request_count: "Error Request Count",
  benchmark_duration: "Benchmark Duration",
};

const COLUMNS = ["avg", "min", "max", "p99", "p90", "p50", "std"] as const;

/** Renders metrics as a table, known metrics first in AIPerf's order. */
export function metricsTable(title: string, metrics: Metrics): string {
  const names = [
    ...Object.keys(LABELS).filter((name) => name in metrics),
    ...Object.keys(metrics).filter((name) => !(name in LABELS)),
  ];
  const rows = names.map((name) => {
    const stats = metrics[name]!;
    const label = `${LABELS[name] ?? name} (${stats.unit})`;
    return [label, ...COLUMNS.map((column) => cell(stats, column))];
  });
  const header = ["Metric", ...COLUMNS];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (l: string, m: string, r: string, fill: string) =>
    l + widths.map((w) => fill.repeat(w + 2)).join(m) + r;
  const row = (cells: readonly string[], edge: string) =>
    edge + cells.map((c, i) => " " + c.padStart(widths[i]!) + " ").join(edge) + edge;
  const width = line("", "", "", "").length + widths.length + 1;
  const out = [
    title.padStart(Math.floor((width + title.length) / 2)),
    line("┏", "┳", "┓", "━"),
    row(header, "┃"),
    line("┡", "╇", "┩", "━"),
    ...rows.map((r) => row(r, "│")),
    line("└", "┴", "┘", "─"),
  ];
  return out.join("\n") + "\n";
}

function cell(stats: MetricStatistics, column: (typeof COLUMNS)[number]): string {
  const value = stats[column];
  if (value === undefined) return "N/A";
  const integer = stats.unit === "requests" || stats.unit === "tokens" && column !== "avg" &&
      column !== "std" && Number.isInteger(value);
  return value.toLocaleString("en-US", {
    minimumFractionDigits: integer ? 0 : 2,
    maximumFractionDigits: integer ? 0 : 2,
  });
}
