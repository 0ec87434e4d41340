import type { Metrics, RequestRecord, TimeWindow } from "../types.ts";
import { NumberColumn } from "./number_column.ts";

// A window's requests as it takes them one at a time: its counts and, of the successful ones,
// each per-request metric's numbers in a compact column, 8 bytes a value (lists like
// inter_chunk_latency are left out). The record itself is not kept.
class WindowTally {
  ok = 0;
  failed = 0;
  readonly #block: number;
  readonly #values = new Map<string, { unit: string; column: NumberColumn }>();

  // Values per block of each column: large for the steady state (most of a run), small for a
  // slice (many slices of few requests each).
  constructor(block: number) {
    this.#block = block;
  }

  add(r: RequestRecord): void {
    if (r.error !== undefined) {
      this.failed++;
      return;
    }
    this.ok++;
    for (const [name, m] of Object.entries(r.metrics)) {
      if (typeof m.value !== "number") continue;
      let entry = this.#values.get(name);
      if (entry === undefined) {
        this.#values.set(name, entry = { unit: m.unit, column: new NumberColumn(this.#block) });
      }
      entry.column.push(m.value);
    }
  }

  window(start: number, end: number): TimeWindow {
    const seconds = Math.max(end - start, 1e-9) / 1000;
    const metrics: Record<string, ReturnType<typeof NumberColumn.statistics>> = {};
    for (const [name, { unit, column }] of this.#values) {
      metrics[name] = NumberColumn.statistics([column], unit, [50, 90, 99]);
    }
    return {
      start_ms: start,
      end_ms: end,
      request_count: this.ok,
      error_request_count: this.failed,
      request_throughput: this.ok / seconds,
      metrics: metrics as Metrics,
    };
  }
}

/**
 * The steady state and, with `sliceMs`, the time slices of a phase (see {@linkcode steadyState}
 * and {@linkcode timeSlices}), from its records read twice, one at a time (first for the
 * bounds, then for the windows): no record is held, only the numbers of the windows.
 *
 * @param read Gives the phase's records afresh at each call (e.g. read from `records.jsonl`).
 * @param sliceMs The slice duration in milliseconds; no slices when absent.
 * @param bounds The records' count, earliest end and latest start, when the caller already has
 * them (then the records are read once).
 * @returns The steady state (when a request is in it) and the slices.
 *
 * @example
 * ```ts
 * import { timeWindows } from "./time_windows.ts";
 *
 * const r = (start: number) => ({ phase: "profiling" as const, index: 0, start_ms: start,
 *   end_ms: start + 500, conversation_index: 0, turn_index: 0, chunks_ms: [],
 *   tokens: { output: 1, reasoning: 0, output_source: "usage" as const,
 *     reasoning_source: "none" as const, input_source: "none" as const },
 *   metrics: { request_latency: { value: 500, unit: "ms" } } });
 * const records = [0, 100, 600, 700, 1300].map(r);
 * const { steady_state, time_slices } = timeWindows(() => records, 1000);
 * if (steady_state?.request_count !== 2 || time_slices?.slices.length !== 2) {
 *   throw new Error("wrong");
 * }
 * ```
 */
export function timeWindows(
  read: () => Iterable<RequestRecord>,
  sliceMs?: number,
  bounds?: WindowBounds,
): {
  steady_state?: TimeWindow & { readonly left_out: number };
  time_slices?: { readonly slice_ms: number; readonly slices: TimeWindow[] };
} {
  const { count, firstEnd, lastStart } = bounds ?? windowBounds(read());
  if (count === 0) {
    return sliceMs === undefined ? {} : { time_slices: { slice_ms: sliceMs, slices: [] } };
  }
  const steady = new WindowTally(16_384);
  const slices = sliceMs === undefined
    ? []
    : Array.from({ length: Math.floor(lastStart / sliceMs) + 1 }, () => new WindowTally(256));
  for (const r of read()) {
    if (r.start_ms >= firstEnd && r.end_ms <= lastStart) steady.add(r);
    // (A record the first pass did not see, were the file to grow between them, is left out.)
    if (sliceMs !== undefined) slices[Math.floor(r.start_ms / sliceMs)]?.add(r);
  }
  const kept = steady.ok + steady.failed;
  return {
    ...(kept === 0 || lastStart <= firstEnd
      ? {}
      : { steady_state: { ...steady.window(firstEnd, lastStart), left_out: count - kept } }),
    ...(sliceMs === undefined ? {} : {
      time_slices: {
        slice_ms: sliceMs,
        slices: slices.map((t, i) => t.window(i * sliceMs, (i + 1) * sliceMs)),
      },
    }),
  };
}

/** What the windows are cut by: how many records, the earliest end and the latest start. */
export interface WindowBounds {
  /** The records (failed ones included). */
  readonly count: number;
  /** The earliest `end_ms` (Infinity when none). */
  readonly firstEnd: number;
  /** The latest `start_ms` (-Infinity when none). */
  readonly lastStart: number;
}

/**
 * The bounds of {@linkcode timeWindows} from the records, read once.
 *
 * @param records The phase's records.
 * @returns Their count, earliest end and latest start.
 */
export function windowBounds(records: Iterable<RequestRecord>): WindowBounds {
  let count = 0;
  let firstEnd = Infinity;
  let lastStart = -Infinity;
  for (const r of records) {
    count++;
    if (r.end_ms < firstEnd) firstEnd = r.end_ms;
    if (r.start_ms > lastStart) lastStart = r.start_ms;
  }
  return { count, firstEnd, lastStart };
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
  return timeWindows(() => records, sliceMs).time_slices?.slices ?? [];
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
  return timeWindows(() => records).steady_state;
}
