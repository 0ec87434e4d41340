// The bodies of AIPerf's export files, built from our result as pure functions:
// profile_export_aiperf.json (metrics at the top level, then input_config, was_cancelled,
// error_summary, start_time, end_time, and telemetry_data with GPU telemetry),
// profile_export.jsonl (one {metadata, metrics, error} line per request) and inputs.json
// ({data: [{session_id, payloads}]}).

import { gpuTelemetrySummary } from "../server_metrics/gpu_telemetry_summary.ts";
import type { BenchmarkResult, MetricStatistics, RequestRecord } from "../types.ts";

/** The schema version of AIPerf's summary file whose layout this follows. */
const SCHEMA_VERSION = "1.1";

// AIPerf writes epoch nanoseconds as JSON integers, beyond a double's exact range: they are
// carried as marked strings through JSON.stringify and unquoted after.
const NS = "\u0000ns:";
const unquoteNs = (json: string) => json.replace(/"\\u0000ns:(\d+)"/g, "$1");

/** Epoch nanoseconds of an epoch-millisecond time, as a marked string for {@linkcode unquoteNs}. */
function ns(epochMs: number): string {
  const whole = Math.floor(epochMs);
  return NS + (BigInt(whole) * 1_000_000n + BigInt(Math.round((epochMs - whole) * 1e6)));
}

// Python's datetime.fromisoformat reads "+00:00" in every version; "Z" only from 3.11.
const isoTime = (epochMs: number) => new Date(epochMs).toISOString().replace("Z", "+00:00");

/** The profiling phase's wall-clock start, in epoch ms (the run's start without one). */
function phaseStart(result: BenchmarkResult): number {
  return Date.parse(result.phases.profiling?.started_at ?? result.benchmark.started_at);
}

/** `profile_export_aiperf.json`: AIPerf's summary layout. */
export function aiperfSummaryJson(result: BenchmarkResult): string {
  const summary: Record<string, unknown> = { schema_version: SCHEMA_VERSION };
  for (const [name, stats] of Object.entries(result.metrics)) summary[name] = withSum(stats);
  const start = phaseStart(result);
  const duration = result.phases.profiling?.duration_ms ?? 0;
  summary.input_config = result.input_config ?? {};
  summary.was_cancelled = result.interrupted;
  summary.error_summary = result.error_summary;
  summary.start_time = isoTime(start);
  summary.end_time = isoTime(start + duration);
  // AIPerf's aggregated GPU telemetry, when a DCGM exporter answered (--gpu-telemetry).
  const telemetry = gpuTelemetrySummary(result.phases.profiling?.server_metrics);
  if (telemetry !== undefined) summary.telemetry_data = telemetry;
  return JSON.stringify(summary, null, 2) + "\n";
}

// AIPerf's record metrics carry `sum` beside `count` (derived and aggregate ones carry neither);
// its layout has no `resolution` (ours says it in profile_export.json).
function withSum(stats: MetricStatistics): MetricStatistics & { sum?: number } {
  const { resolution: _, ...aiperf } = stats;
  return stats.count === undefined ? aiperf : { ...aiperf, sum: stats.avg * stats.count };
}

/**
 * `profile_export.jsonl`: one AIPerf record line per profiling request, produced in pieces as the
 * records are read (from the streamed `records.jsonl` when there is one): never one whole string.
 */
export function aiperfRecordsJsonl(result: BenchmarkResult): ReadableStream<string> {
  const start = phaseStart(result);
  const correlation = correlationIds();
  const records = (result.readRecords?.() ?? result.records)[Symbol.iterator]();
  return new ReadableStream<string>({
    pull(controller) {
      let text = "";
      for (let next = records.next(); !next.done; next = records.next()) {
        const r = next.value;
        const id = correlation(r.conversation_index);
        text += unquoteNs(JSON.stringify(aiperfRecord(r, start, id))) + "\n";
        if (text.length > 256 * 1024) break;
      }
      if (text === "") controller.close();
      else controller.enqueue(text);
    },
  });
}

// One x_correlation_id per conversation, with no map that grows with the run: a random UUID v4
// whose last 12 hex digits are the conversation's index (so still a UUID v4 in form, and the
// same for every turn of a conversation, different between conversations).
function correlationIds(): (conversation: number) => string {
  const base = crypto.randomUUID().slice(0, 24);
  return (conversation) => base + conversation.toString(16).padStart(12, "0");
}

function aiperfRecord(r: RequestRecord, phaseStartMs: number, correlationId: string) {
  const startMs = phaseStartMs + r.start_ms;
  // Cancelled by --request-cancellation-rate (those cancelled on interruption are in no record).
  const cancelled = r.error_kind === "cancelled";
  return {
    metadata: {
      session_num: r.conversation_index,
      x_request_id: crypto.randomUUID(),
      x_correlation_id: correlationId,
      conversation_id: r.session_id ?? `entry-${r.conversation_index}`,
      turn_index: r.turn_index,
      request_start_ns: ns(startMs),
      request_ack_ns: null,
      request_end_ns: ns(phaseStartMs + r.end_ms),
      worker_id: "worker_0",
      record_processor_id: "record_processor_0",
      benchmark_phase: r.phase,
      was_cancelled: cancelled,
      cancellation_time_ns: cancelled ? ns(phaseStartMs + r.end_ms) : null,
    },
    metrics: r.metrics,
    error: r.error === undefined
      ? null
      : cancelled
      ? { code: 499, type: "RequestCancellationError", message: r.error }
      : { code: r.status ?? null, type: r.error_kind ?? "client", message: r.error },
  };
}

/** `inputs.json`: the dataset as the request bodies sent. */
export function aiperfInputsJson(result: BenchmarkResult): string {
  return JSON.stringify({ data: result.inputs ?? [] }, null, 2) + "\n";
}
