import type { Metrics, RequestRecord, TimeWindow } from "../types.ts";
import { computeStatistics } from "./compute_statistics.ts";

// The per-request metrics a window summarises (numbers only; lists like inter_chunk_latency
// are left out).
function windowMetrics(records: readonly RequestRecord[]): Metrics {
  const values = new Map<string, { unit: string; list: number[] }>();
  for (const r of records) {
    if (r.error !== undefined) continue;
    for (const [name, m] of Object.entries(r.metrics)) {
      if (typeof m.value !== "number") continue;
      const entry = values.get(name) ?? { unit: m.unit, list: [] };
      entry.list.push(m.value);
      values.set(name, entry);
    }
  }
  const out: Record<string, ReturnType<typeof computeStatistics>> = {};
  for (const [name, { unit, list }] of values) {
    out[name] = computeStatistics(list, unit, [50, 90, 99]);
  }
  return out as Metrics;
}

function window(records: readonly RequestRecord[], start: number, end: number): TimeWindow {
  const ok = records.filter((r) => r.error === undefined).length;
  const seconds = Math.max(end - start, 1e-9) / 1000;
  return {
    start_ms: start,
    end_ms: end,
    request_count: ok,
    error_request_count: records.length - ok,
    request_throughput: ok / seconds,
    metrics: windowMetrics(records),
  };
}

/**
 * Cuts a phase's requests into time slices of `sliceMs` by their start (AIPerf's
 * `--slice-duration`), each with its counts, request throughput and the statistics (avg, min,
 * max, p50, p90, p99, std) of every per-request metric.
 *
 * @param records The phase's requests (`start_ms`, `end_ms` from the phase start).
 * @param sliceMs The slice duration in milliseconds.
 * @returns One window per slice, in time order (empty slices included, with no metrics).
 *
 * @example
 * ```ts
 * import { timeSlices } from "./time_windows.ts";
 *
 * const r = (start: number) => ({ phase: "profiling" as const, index: 0, start_ms: start,
 *   end_ms: start + 5, conversation_index: 0, turn_index: 0, chunks_ms: [],
 *   tokens: { output: 1, reasoning: 0, output_source: "usage" as const,
 *     reasoning_source: "none" as const, input_source: "none" as const },
 *   metrics: { request_latency: { value: 5, unit: "ms" } } });
 * const slices = timeSlices([r(0), r(400), r(1200)], 1000);
 * if (slices.length !== 2 || slices[0]?.request_count !== 2) throw new Error("wrong");
 * ```
 */
export function timeSlices(records: readonly RequestRecord[], sliceMs: number): TimeWindow[] {
  if (records.length === 0) return [];
  const last = Math.max(...records.map((r) => r.start_ms));
  const count = Math.floor(last / sliceMs) + 1;
  const buckets: RequestRecord[][] = Array.from({ length: count }, () => []);
  for (const r of records) buckets[Math.floor(r.start_ms / sliceMs)]!.push(r);
  return buckets.map((b, i) => window(b, i * sliceMs, (i + 1) * sliceMs));
}

/**
 * The steady state of a phase: its requests that started after the first request completed
 * (before that, the client was still filling its concurrency or rate: ramp-up) and completed
 * before the last request started (after that, nothing new was issued: drain).
 *
 * @param records The phase's requests.
 * @returns The window, with how many requests ramp-up and drain left out; `undefined` when no
 * request is in it.
 */
export function steadyState(
  records: readonly RequestRecord[],
): (TimeWindow & { readonly left_out: number }) | undefined {
  if (records.length === 0) return undefined;
  const start = Math.min(...records.map((r) => r.end_ms));
  const end = Math.max(...records.map((r) => r.start_ms));
  const kept = records.filter((r) => r.start_ms >= start && r.end_ms <= end);
  if (kept.length === 0 || end <= start) return undefined;
  return { ...window(kept, start, end), left_out: records.length - kept.length };
}
