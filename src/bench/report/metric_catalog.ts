/**
 * AIPerf's names for the metrics the benchmark reports: display order, headers and short
 * headers, and the order of statistics. Every report reads a metrics map through this module,
 * so a metric it does not know still appears (after the known ones, under its own name).
 *
 * @module
 */

/** A metric's display names, as AIPerf prints them. */
export interface MetricInfo {
  /** The header, e.g. `Time to First Token`. */
  readonly header: string;
  /** The short header, e.g. `TTFT`. */
  readonly short: string;
}

// Display order: per-request latencies, per-request sizes, then aggregates and counts.
const CATALOG: ReadonlyArray<readonly [string, string, string]> = [
  ["time_to_first_token", "Time to First Token", "TTFT"],
  ["time_to_second_token", "Time to Second Token", "TTST"],
  ["time_to_first_output_token", "Time to First Output Token", "TTFO"],
  ["request_latency", "Request Latency", "Req Latency"],
  ["inter_token_latency", "Inter Token Latency", "ITL"],
  ["inter_chunk_latency", "Inter Chunk Latency", "ICL"],
  ["output_token_throughput_per_user", "Output Token Throughput Per User", "Output TPS/User"],
  ["output_token_throughput_per_request", "Output Token Throughput Per Request", "Output TPS/Req"],
  ["output_sequence_length", "Output Sequence Length", "OSL"],
  ["output_token_count", "Output Token Count", "Output Tokens"],
  ["reasoning_token_count", "Reasoning Token Count", "Reasoning Tokens"],
  ["input_sequence_length", "Input Sequence Length", "ISL"],
  ["error_isl", "Error Input Sequence Length", "Error ISL"],
  ["output_token_throughput", "Output Token Throughput", "Output TPS"],
  ["total_token_throughput", "Total Token Throughput", "Total TPS"],
  ["request_throughput", "Request Throughput", "Req/sec"],
  ["goodput", "Goodput", "Goodput"],
  ["good_request_count", "Good Request Count", "Good Requests"],
  ["request_count", "Request Count", "Requests"],
  ["error_request_count", "Error Request Count", "Error Count"],
  ["benchmark_duration", "Benchmark Duration", "Duration"],
  ["total_output_tokens", "Total Output Tokens", "Output Tokens"],
  ["total_reasoning_tokens", "Total Reasoning Tokens", "Reasoning Tokens"],
  ["total_osl", "Total Output Sequence Length", "Total OSL"],
  ["total_isl", "Total Input Sequence Length", "Total ISL"],
  ["total_error_isl", "Total Error Input Sequence Length", "Total Error ISL"],
];

const INFO: ReadonlyMap<string, MetricInfo> = new Map(
  CATALOG.map(([name, header, short]) => [name, { header, short }]),
);
const RANK: ReadonlyMap<string, number> = new Map(CATALOG.map(([name], i) => [name, i]));

// Run totals AIPerf writes to its files but leaves out of its console table.
const FILE_ONLY: ReadonlySet<string> = new Set([
  "error_isl",
  "total_output_tokens",
  "total_reasoning_tokens",
  "total_osl",
  "total_isl",
  "total_error_isl",
]);

/**
 * Whether AIPerf prints `name` in its console table (the run totals it only writes to files
 * are left out).
 *
 * @example
 * ```ts
 * import { isConsoleMetric } from "./metric_catalog.ts";
 *
 * if (isConsoleMetric("total_osl") || !isConsoleMetric("request_latency")) throw new Error();
 * ```
 */
export function isConsoleMetric(name: string): boolean {
  return !FILE_ONLY.has(name);
}

/** AIPerf's statistics, in the column order of its CSV export. */
export const STAT_KEYS = [
  "avg",
  "min",
  "max",
  "p1",
  "p5",
  "p10",
  "p25",
  "p50",
  "p75",
  "p90",
  "p95",
  "p99",
  "std",
] as const;

/**
 * The display names of `name`: AIPerf's when it is one of its metrics, otherwise derived from
 * the snake_case name.
 *
 * @param name A metric name such as `time_to_first_token`.
 * @returns Its header and short header.
 *
 * @example
 * ```ts
 * import { metricInfo } from "./metric_catalog.ts";
 *
 * if (metricInfo("inter_token_latency").short !== "ITL") throw new Error("wrong");
 * if (metricInfo("kv_cache_hits").header !== "Kv Cache Hits") throw new Error("wrong");
 * ```
 */
export function metricInfo(name: string): MetricInfo {
  const known = INFO.get(name);
  if (known !== undefined) return known;
  const header = name.split("_").filter((w) => w !== "")
    .map((w) => w[0]!.toUpperCase() + w.slice(1)).join(" ");
  return { header, short: header };
}

/**
 * Sorts metric names into display order: AIPerf's metrics first in its order, any others after
 * them in the order given.
 *
 * @param names Metric names, e.g. the keys of a metrics map.
 * @returns A new array.
 *
 * @example
 * ```ts
 * import { orderMetrics } from "./metric_catalog.ts";
 *
 * const order = orderMetrics(["custom", "request_throughput", "time_to_first_token"]);
 * if (order.join() !== "time_to_first_token,request_throughput,custom") throw new Error("wrong");
 * ```
 */
export function orderMetrics(names: Iterable<string>): string[] {
  const all = [...names];
  return all.map((name, i) => ({ name, rank: RANK.get(name) ?? CATALOG.length + i }))
    .sort((a, b) => a.rank - b.rank).map((x) => x.name);
}

/**
 * The statistic keys a metric has, in AIPerf's order first, then any others (except `unit`,
 * `resolution` and non-numeric fields) in their own order.
 *
 * @param stats One metric's statistics object.
 * @returns The keys whose values are numbers.
 *
 * @example
 * ```ts
 * import { statKeys } from "./metric_catalog.ts";
 *
 * const keys = statKeys({ unit: "ms", p50: 2, avg: 1, count: 9 });
 * if (keys.join() !== "avg,p50,count") throw new Error(keys.join());
 * ```
 */
export function statKeys(stats: Readonly<Record<string, unknown>>): string[] {
  // `resolution` says how the values were kept, not a statistic of them.
  const numeric = (key: string) => typeof stats[key] === "number" && key !== "resolution";
  const known: readonly string[] = STAT_KEYS;
  return [
    ...known.filter(numeric),
    ...Object.keys(stats).filter((key) => !known.includes(key) && numeric(key)),
  ];
}
