import type { BenchmarkResult } from "../types.ts";

/**
 * AIPerf's `server_metrics_export.json` for a run: `schema_version`, `summary` (endpoints
 * configured and successful, times, per-endpoint fetch figures) and `metrics` (each metric's
 * type, description, unit and one series per endpoint + label set with its `stats`, histograms
 * with their bucket deltas), over the profiling phase, plus `input_config`.
 *
 * @param result The run.
 * @returns The document, or undefined when the profiling phase has no server metrics.
 *
 * @example
 * ```ts
 * import { serverMetricsJson } from "./server_metrics_json.ts";
 *
 * const none = serverMetricsJson({ phases: {}, benchmark: {} } as never);
 * if (none !== undefined) throw new Error("nothing collected, nothing written");
 * ```
 */
export function serverMetricsJson(result: BenchmarkResult): Record<string, unknown> | undefined {
  const server = result.phases.profiling?.server_metrics;
  if (server === undefined) return undefined;
  const { url, timing_strategy, timing_config, streaming } = result.benchmark;
  return {
    schema_version: "1.0",
    aiperf_version: null,
    benchmark_id: null,
    summary: server.summary,
    metrics: server.metrics,
    input_config: { endpoint: { urls: [url], streaming }, timing_strategy, timing_config },
  };
}
