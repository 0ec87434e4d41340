import type { MetricStatistics, PhaseName, PhaseSummary, RequestRecord } from "../types.ts";
import { computeStatistics } from "./compute_statistics.ts";

/** What the phase runner knows besides its records. */
export interface PhaseFacts {
  /** The phase. */
  readonly phase: PhaseName;
  /** Wall-clock start, ISO 8601. */
  readonly startedAt: string;
  /** Milliseconds from the phase start to the last completion. */
  readonly durationMs: number;
  /** Requests abandoned on interruption. */
  readonly cancelledCount: number;
  /** True when Ctrl-C stopped the phase. */
  readonly interrupted: boolean;
}

/**
 * Aggregates a phase's records into its summary: per-request metrics (request latency, time to
 * first token, inter-token latency, output sequence length, per-request output token
 * throughput) over the successful requests, and the phase's request throughput, output token
 * throughput and counts.
 *
 * @param records The phase's completed requests, failed ones included.
 * @param facts Duration, start and interruption.
 * @returns The summary hooks and exporters receive.
 *
 * @example
 * ```ts
 * import { summarizePhase } from "./summarize_phase.ts";
 *
 * const summary = summarizePhase([
 *   { phase: "profiling", index: 0, start_ms: 0, conversation_index: 0, turn_index: 0,
 *     request_latency_ms: 100,
 *     output_sequence_length: 10, output_token_throughput: 100 },
 * ], { phase: "profiling", startedAt: "", durationMs: 1000, cancelledCount: 0, interrupted: false });
 * if (summary.metrics.request_throughput?.avg !== 1) throw new Error("wrong");
 * ```
 */
export function summarizePhase(records: readonly RequestRecord[], facts: PhaseFacts): PhaseSummary {
  const latency: number[] = [];
  const ttft: number[] = [];
  const itl: number[] = [];
  const osl: number[] = [];
  const isl: number[] = [];
  const perRequest: number[] = [];
  let errors = 0;
  let tokens = 0;
  for (const r of records) {
    if (r.error !== undefined) {
      errors++;
      continue;
    }
    latency.push(r.request_latency_ms);
    if (r.time_to_first_token_ms !== undefined) ttft.push(r.time_to_first_token_ms);
    if (r.inter_token_latency_ms !== undefined) itl.push(r.inter_token_latency_ms);
    osl.push(r.output_sequence_length);
    if (r.input_sequence_length !== undefined) isl.push(r.input_sequence_length);
    perRequest.push(r.output_token_throughput);
    tokens += r.output_sequence_length;
  }
  const success = records.length - errors;
  const seconds = facts.durationMs / 1000;
  const metrics: Record<string, MetricStatistics> = {};
  const put = (name: string, stats: MetricStatistics | undefined) => {
    if (stats !== undefined) metrics[name] = stats;
  };
  put("request_latency", computeStatistics(latency, "ms"));
  put("time_to_first_token", computeStatistics(ttft, "ms"));
  put("inter_token_latency", computeStatistics(itl, "ms"));
  put("output_sequence_length", computeStatistics(osl, "tokens"));
  put("input_sequence_length", computeStatistics(isl, "tokens"));
  put("output_token_throughput_per_request", computeStatistics(perRequest, "tokens/sec"));
  metrics.output_token_throughput = {
    unit: "tokens/sec",
    avg: seconds > 0 ? tokens / seconds : 0,
  };
  metrics.request_throughput = { unit: "requests/sec", avg: seconds > 0 ? success / seconds : 0 };
  metrics.request_count = { unit: "requests", avg: success };
  metrics.error_request_count = { unit: "requests", avg: errors };
  return {
    phase: facts.phase,
    request_count: records.length,
    success_count: success,
    error_count: errors,
    cancelled_count: facts.cancelledCount,
    duration_ms: facts.durationMs,
    started_at: facts.startedAt,
    interrupted: facts.interrupted,
    metrics,
  };
}
