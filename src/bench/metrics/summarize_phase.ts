import type {
  ClientLateness,
  ErrorSummaryEntry,
  Metrics,
  MetricStatistics,
  PhaseName,
  PhaseSummary,
  RequestRecord,
} from "../types.ts";
import { computeStatistics, DEFAULT_PERCENTILES } from "./compute_statistics.ts";
import type { Slo } from "./parse_goodput.ts";
import { StreamCheckTally } from "./_stream_checks.ts";

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

// Per-request metrics summarized, in AIPerf's table order.
const RECORD_METRICS = [
  "time_to_first_token",
  "time_to_second_token",
  "time_to_first_output_token",
  "request_latency",
  "inter_token_latency",
  "inter_chunk_latency",
  "output_token_throughput_per_user",
  "output_sequence_length",
  "output_token_count",
  "reasoning_token_count",
  "input_sequence_length",
] as const;

// Per-request metrics that are also reported per turn index, for conversations.
const PER_TURN_METRICS = [
  "time_to_first_token",
  "time_to_first_output_token",
  "request_latency",
  "inter_token_latency",
  "output_sequence_length",
  "input_sequence_length",
] as const;

const NO_LATENESS: ClientLateness = {
  event_loop_delay_ms: { p50: 0, p90: 0, p99: 0, max: 0 },
  send_delay_ms: { p50: 0, p90: 0, p99: 0, max: 0 },
};

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
  const values: MetricValues = new Map();
  const errors = new Map<string, { entry: ErrorSummaryEntry["error_details"]; count: number }>();
  let failed = 0;
  let good = 0;
  const totals = { output: 0, reasoning: 0, errorIsl: 0 };
  const errorIsl: number[] = [];
  let outputTokens = 0;
  let inputTokens = 0;
  let inputKnown = true;
  const checks = new StreamCheckTally();
  for (const r of records) {
    if (r.error !== undefined) {
      failed++;
      const isl = r.metrics.error_isl?.value;
      if (typeof isl === "number") {
        errorIsl.push(isl);
        totals.errorIsl += isl;
      }
      const kind = r.error_kind ?? "client";
      const key = `${kind}\u0000${r.status ?? ""}`;
      const seen = errors.get(key);
      if (seen) seen.count++;
      else {
        errors.set(key, {
          entry: { code: r.status ?? null, type: kind, message: r.error },
          count: 1,
        });
      }
      continue;
    }
    collect(values, r);
    totals.output += r.tokens.output;
    totals.reasoning += r.tokens.reasoning;
    checks.add(r);
    outputTokens += r.tokens.output + r.tokens.reasoning;
    if (r.tokens.input === undefined) inputKnown = false;
    else inputTokens += r.tokens.input;
    if (facts.goodput !== undefined && meets(r, facts.goodput)) good++;
  }
  const success = records.length - failed;
  const seconds = facts.durationMs / 1000;
  const rate = (n: number) => seconds > 0 ? n / seconds : 0;
  const metrics: Record<string, MetricStatistics> = {};
  const percentiles = facts.percentiles ?? DEFAULT_PERCENTILES;
  const ordered = [
    ...RECORD_METRICS,
    ...[...values.keys()].filter((k) => !RECORD_METRICS.includes(k as never)),
  ];
  for (const name of ordered) {
    const slot = values.get(name);
    if (slot === undefined) continue;
    const stats = computeStatistics(slot.list, slot.unit, percentiles);
    if (stats !== undefined) metrics[name] = stats;
  }
  const byTurn = metricsByTurn(records, percentiles);
  metrics.output_token_throughput = { unit: "tokens/sec", avg: rate(outputTokens) };
  if (inputKnown && success > 0) {
    metrics.total_token_throughput = { unit: "tokens/sec", avg: rate(outputTokens + inputTokens) };
  }
  metrics.request_throughput = { unit: "requests/sec", avg: rate(success) };
  if (facts.goodput !== undefined) {
    metrics.goodput = { unit: "requests/sec", avg: rate(good) };
    metrics.good_request_count = { unit: "requests", avg: good };
  }
  metrics.request_count = { unit: "requests", avg: success };
  metrics.error_request_count = { unit: "requests", avg: failed };
  metrics.benchmark_duration = { unit: "sec", avg: seconds };
  // AIPerf's run totals (files only; its console leaves them out).
  const errorStats = computeStatistics(errorIsl, "tokens", percentiles);
  if (errorStats !== undefined) metrics.error_isl = errorStats;
  metrics.total_output_tokens = { unit: "tokens", avg: totals.output };
  metrics.total_reasoning_tokens = { unit: "tokens", avg: totals.reasoning };
  metrics.total_osl = { unit: "tokens", avg: outputTokens };
  if (inputKnown && success > 0) metrics.total_isl = { unit: "tokens", avg: inputTokens };
  if (errorIsl.length > 0) metrics.total_error_isl = { unit: "tokens", avg: totals.errorIsl };
  return {
    phase: facts.phase,
    request_count: success,
    error_request_count: failed,
    cancelled_request_count: facts.cancelledCount,
    duration_ms: facts.durationMs,
    started_at: facts.startedAt,
    interrupted: facts.interrupted,
    ...(facts.stopped === undefined ? {} : { stopped: facts.stopped }),
    metrics,
    ...(byTurn === undefined ? {} : { metrics_by_turn: byTurn }),
    error_summary: [...errors.values()]
      .sort((a, b) => b.count - a.count)
      .map(({ entry, count }) => ({ error_details: entry, count })),
    client_lateness: facts.lateness ?? NO_LATENESS,
    ...checks.result(),
  };
}

type MetricValues = Map<string, { unit: string; list: number[] }>;

// Adds a successful record's metric values to `values`.
function collect(values: MetricValues, r: RequestRecord, only?: readonly string[]): void {
  for (const [name, metric] of Object.entries(r.metrics)) {
    if (only !== undefined && !only.includes(name)) continue;
    let slot = values.get(name);
    if (slot === undefined) values.set(name, slot = { unit: metric.unit, list: [] });
    if (typeof metric.value === "number") slot.list.push(metric.value);
    else for (const v of metric.value) slot.list.push(v);
  }
}

// The per-turn statistics, when any record is a later turn of a conversation.
function metricsByTurn(
  records: readonly RequestRecord[],
  percentiles: readonly number[],
): Record<string, Metrics> | undefined {
  if (!records.some((r) => r.turn_index > 0)) return undefined;
  const turns = new Map<number, MetricValues>();
  for (const r of records) {
    if (r.error !== undefined) continue;
    let values = turns.get(r.turn_index);
    if (values === undefined) turns.set(r.turn_index, values = new Map());
    collect(values, r, PER_TURN_METRICS);
  }
  const byTurn: Record<string, Metrics> = {};
  for (const turn of [...turns.keys()].sort((a, b) => a - b)) {
    const values = turns.get(turn)!;
    const metrics: Record<string, MetricStatistics> = {};
    for (const name of PER_TURN_METRICS) {
      const slot = values.get(name);
      const stats = slot && computeStatistics(slot.list, slot.unit, percentiles);
      if (stats) metrics[name] = stats;
    }
    byTurn[String(turn)] = metrics;
  }
  return byTurn;
}

function meets(record: RequestRecord, slos: readonly Slo[]): boolean {
  for (const slo of slos) {
    const value = record.metrics[slo.metric]?.value;
    if (typeof value !== "number") return false;
    if (slo.atLeast ? value < slo.limit : value > slo.limit) return false;
  }
  return true;
}
