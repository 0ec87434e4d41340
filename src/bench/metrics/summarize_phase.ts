import type { ClientLateness, PhaseName, PhaseSummary, RequestRecord } from "../types.ts";
import type { Slo } from "./parse_goodput.ts";
import { PhaseTally } from "./phase_tally.ts";

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
  /** Why the bench stopped the phase early, if it did. */
  readonly stopped?: string;
  /** The client's lateness; zeros when not measured. */
  readonly lateness?: ClientLateness;
  /** The goodput SLOs (`--goodput`), if any. */
  readonly goodput?: readonly Slo[];
  /** The percentiles to report (`--metric-percentiles`). */
  readonly percentiles?: readonly number[];
}

/**
 * Aggregates a phase's records into its summary, with AIPerf's metric names and definitions:
 * statistics of every per-request metric over the successful requests (`inter_chunk_latency`
 * over every chunk gap of every request), and the aggregates: `request_throughput`,
 * `output_token_throughput` and `total_token_throughput` (tokens over the phase duration),
 * `goodput` (requests/s meeting every SLO), `request_count` (successful requests),
 * `error_request_count`, `benchmark_duration`, and AIPerf's run totals `total_output_tokens`
 * (output tokens without reasoning), `total_reasoning_tokens`, `total_osl` (both), `total_isl`,
 * and over failed requests `error_isl` (statistics) and `total_error_isl`. Failed requests are
 * grouped by kind and status.
 * When some records are later turns of conversations, `metrics_by_turn` holds the statistics of
 * the main per-request metrics for each turn index.
 *
 * @param records The phase's completed requests, failed ones included.
 * @param facts Duration, start, interruption, SLOs.
 * @returns The summary hooks and exporters receive.
 *
 * @example
 * ```ts
 * import { summarizePhase } from "./summarize_phase.ts";
 *
 * const summary = summarizePhase([
 *   { phase: "profiling", index: 0, start_ms: 0, conversation_index: 0, turn_index: 0,
 *     end_ms: 100, chunks_ms: [],
 *     tokens: { output: 10, reasoning: 0, output_source: "usage", reasoning_source: "usage",
 *       input_source: "none" },
 *     metrics: { request_latency: { value: 100, unit: "ms" },
 *       output_sequence_length: { value: 10, unit: "tokens" } } },
 * ], { phase: "profiling", startedAt: "", durationMs: 1000, cancelledCount: 0, interrupted: false });
 * if (summary.metrics.request_throughput?.avg !== 1) throw new Error("wrong");
 * ```
 */
export function summarizePhase(records: readonly RequestRecord[], facts: PhaseFacts): PhaseSummary {
  const tally = new PhaseTally(facts.goodput);
  for (const r of records) tally.add(r);
  return tally.summary(facts);
}
