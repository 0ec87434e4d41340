/**
 * A tolerant view of one benchmark run, built from a result in memory or from the files a run
 * wrote (`profile_export.json`, `records.jsonl`). Reports read runs only through this view, so
 * they keep working when fields are added, renamed to AIPerf's names or missing: a metric is
 * whatever the `metrics` map holds, and each request field is looked up under the names it has
 * had (`time_to_first_token_ms`, `time_to_first_token`, `metrics.time_to_first_token.value`).
 *
 * @module
 */
import { type RequestColumns, RequestColumnsBuilder } from "./request_columns.ts";

/** One metric's statistics: a unit and numbers (`avg`, `p50`, ...). */
export type StatsView = Readonly<Record<string, unknown>>;

/**
 * One request, reduced to what the charts draw. Times in milliseconds. A run's view keeps its
 * requests as {@linkcode RequestColumns}, not as one such object each.
 */
export interface RequestView {
  /** The phase, e.g. `profiling`. */
  readonly phase: string;
  /** Start, from the start of the run (the first phase). */
  readonly startMs: number;
  /** Completion, from the start of the run. */
  readonly endMs: number;
  /** Request latency, when measured. */
  readonly latencyMs?: number;
  /** Time to first token, when measured. */
  readonly ttftMs?: number;
  /** Inter-token latency, when measured. */
  readonly itlMs?: number;
  /** Output tokens, when known. */
  readonly outputTokens?: number;
  /** The HTTP status, when a response arrived. */
  readonly status?: number;
  /** The kind of error (e.g. `http`, `timeout`) or its message; absent on success. */
  readonly error?: string;
}

/** One phase's counts and statistics, whichever names the export used for them. */
export interface PhaseView {
  /** The phase name. */
  readonly name: string;
  /** Successful requests. */
  readonly ok: number;
  /** Failed requests. */
  readonly errors: number;
  /** Requests abandoned (interrupted or stopped). */
  readonly cancelled: number;
  /** Milliseconds from the phase start to its last completion. */
  readonly durationMs: number;
  /** Wall-clock start, ISO 8601, when known. */
  readonly startedAt?: string;
  /** The phase's metrics. */
  readonly metrics: Readonly<Record<string, StatsView>>;
  /** The summary as exported. */
  readonly summary: Readonly<Record<string, unknown>>;
}

/** A count of failed requests of one kind and status. */
export interface ErrorCount {
  /** The kind (`http`, `timeout`, ...) or, without one, the message. */
  readonly kind: string;
  /** An example message, when the kind is not the message. */
  readonly message?: string;
  /** The HTTP status, when there was one. */
  readonly status?: number;
  /** How many requests failed so. */
  readonly count: number;
}

/** A run as the reports see it. */
export interface RunView {
  /** The `benchmark` section (what ran against what, the timing settings). */
  readonly benchmark: Readonly<Record<string, unknown>>;
  /** The profiling phase's metrics, by name. */
  readonly metrics: Readonly<Record<string, StatsView>>;
  /** Each phase, in run order. */
  readonly phases: readonly PhaseView[];
  /**
   * The requests the run saved (profiling only, or every phase), sorted by start time, in
   * columns (typed arrays: about 70 bytes a request).
   */
  readonly requests: RequestColumns;
  /** Failed requests by kind and status, most frequent first. */
  readonly errors: readonly ErrorCount[];
  /** Each phase's client lateness measurement (`client_lateness`), when the run has one. */
  readonly lateness: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Every other top-level field of the result (failures, interrupted, goodput, ...). */
  readonly extra: Readonly<Record<string, unknown>>;
}

type Obj = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

// A request field under the names it has had: `<name>_ms`, `<name>`, `metrics.<name>.value`.
function field(record: Obj, name: string): number | undefined {
  const metrics = isObject(record.metrics) ? record.metrics : {};
  const nested = metrics[name];
  return num(record[`${name}_ms`]) ?? num(record[name]) ??
    (isObject(nested) ? num(nested.value) : num(nested));
}

// Counts under today's names and AIPerf's (`request_count` counts successes there).
function phaseView(name: string, p: Obj): PhaseView {
  const metrics: Record<string, StatsView> = {};
  if (isObject(p.metrics)) {
    for (const [k, v] of Object.entries(p.metrics)) if (isObject(v)) metrics[k] = v;
  }
  const errors = num(p.error_request_count) ?? num(p.error_count) ?? 0;
  const ok = num(p.success_count) ??
    (p.error_request_count !== undefined ? num(p.request_count) : undefined) ??
    Math.max(0, (num(p.request_count) ?? 0) - errors);
  return {
    name,
    ok,
    errors,
    cancelled: num(p.cancelled_request_count) ?? num(p.cancelled_count) ?? 0,
    durationMs: num(p.duration_ms) ?? 0,
    ...(typeof p.started_at === "string" ? { startedAt: p.started_at } : {}),
    metrics,
    summary: p,
  };
}

// AIPerf's `error_summary`: [{ error_details: { code, type, message }, count }].
function errorSummary(entries: readonly unknown[]): ErrorCount[] {
  const out: ErrorCount[] = [];
  for (const entry of entries) {
    if (!isObject(entry) || !isObject(entry.error_details)) continue;
    const { code, type, message } = entry.error_details;
    const kind = typeof type === "string" ? type : typeof message === "string" ? message : "error";
    out.push({
      kind,
      ...(typeof message === "string" && message !== kind ? { message } : {}),
      ...(num(code) === undefined ? {} : { status: num(code)! }),
      count: num(entry.count) ?? 0,
    });
  }
  return out;
}

function errorOf(record: Obj): string | undefined {
  const kind = record.error_kind ?? record.error_type;
  if (typeof kind === "string" && kind !== "") return kind;
  const error = record.error;
  if (typeof error === "string") return error;
  if (isObject(error)) {
    const k = error.kind ?? error.type ?? error.message;
    return typeof k === "string" ? k : "error";
  }
  return undefined;
}

/**
 * Builds the view of a run from its result (`BenchmarkResult`, or the parsed
 * `profile_export.json`) and its request records.
 *
 * @param result The run's result or exported JSON.
 * @param records The request records, gone through once (an array, or records read from a file
 * one at a time); defaults to `result.records` when that is an array.
 * @returns The view.
 * @throws {TypeError} When `result` is not an object with a `metrics` object.
 *
 * @example
 * ```ts
 * import { toRunView } from "./run_view.ts";
 *
 * const view = toRunView({
 *   benchmark: { timing_strategy: "fixed_concurrency" },
 *   phases: { profiling: { started_at: "2025-01-01T00:00:00Z", duration_ms: 100 } },
 *   metrics: { request_latency: { unit: "ms", avg: 40 } },
 * }, [
 *   { phase: "profiling", start_ms: 5, request_latency_ms: 40 },
 *   { phase: "profiling", start_ms: 9, request_latency_ms: 2, status: 500, error: "HTTP 500" },
 * ]);
 * if (view.requests.endMs[0] !== 45 || view.errors[0]?.status !== 500) throw new Error("wrong");
 * ```
 */
export function toRunView(result: unknown, records?: Iterable<unknown>): RunView {
  if (!isObject(result) || !isObject(result.metrics)) {
    throw new TypeError('Cannot read the run: expected an object with a "metrics" object');
  }
  // `records` is read only when no records are given (it may load them from a file).
  const { benchmark, metrics, phases, error_summary: summary, ...rest } = result;
  const extra = Object.fromEntries(Object.entries(rest).filter(([key]) => key !== "records"));
  const phaseMap: Record<string, Obj> = {};
  if (isObject(phases)) {
    for (const [name, summary] of Object.entries(phases)) {
      if (isObject(summary)) phaseMap[name] = summary;
    }
  }
  const metricMap: Record<string, StatsView> = {};
  for (const [name, stats] of Object.entries(metrics)) {
    if (isObject(stats)) metricMap[name] = stats;
  }
  // Phase starts on one clock: wall-clock offsets from the first phase.
  const starts = Object.values(phaseMap).map((p) => Date.parse(String(p.started_at)));
  const first = Math.min(...starts.filter(Number.isFinite));
  const offset = (phase: string) => {
    const start = Date.parse(String(phaseMap[phase]?.started_at));
    return Number.isFinite(start) && Number.isFinite(first) ? start - first : 0;
  };
  const own = records === undefined ? result.records : undefined;
  const list = records ?? (Array.isArray(own) ? own : []);
  const requests = new RequestColumnsBuilder();
  const errorCounts = new Map<string, { kind: string; status?: number; count: number }>();
  for (const raw of list) {
    if (!isObject(raw)) continue;
    const phase = typeof raw.phase === "string" ? raw.phase : "profiling";
    const start = field(raw, "start") ?? field(raw, "request_start");
    if (start === undefined) continue;
    // `end_ms` (from the phase start, like `start_ms`) covers failed requests too.
    const endAt = num(raw.end_ms);
    const latency = field(raw, "request_latency") ??
      (endAt === undefined ? undefined : Math.max(0, endAt - start));
    const ttft = field(raw, "time_to_first_token");
    const itl = field(raw, "inter_token_latency");
    const tokens = field(raw, "output_sequence_length") ?? field(raw, "output_tokens");
    const status = num(raw.status) ?? num(raw.http_status);
    const error = errorOf(raw);
    const startMs = offset(phase) + start;
    requests.push({
      phase,
      startMs,
      endMs: startMs + (latency ?? 0),
      ...(latency === undefined ? {} : { latencyMs: latency }),
      ...(ttft === undefined ? {} : { ttftMs: ttft }),
      ...(itl === undefined ? {} : { itlMs: itl }),
      ...(tokens === undefined ? {} : { outputTokens: tokens }),
      ...(status === undefined ? {} : { status }),
      ...(error === undefined ? {} : { error }),
    });
    if (error !== undefined) {
      const key = `${error}\u0000${status ?? ""}`;
      const entry = errorCounts.get(key) ??
        { kind: error, ...(status === undefined ? {} : { status }), count: 0 };
      entry.count++;
      errorCounts.set(key, entry);
    }
  }
  const lateness: Record<string, Obj> = {};
  for (const [name, phase] of Object.entries(phaseMap)) {
    if (isObject(phase.client_lateness)) lateness[name] = phase.client_lateness;
  }
  return {
    benchmark: isObject(benchmark) ? benchmark : {},
    metrics: metricMap,
    phases: Object.entries(phaseMap).map(([name, p]) => phaseView(name, p)),
    requests: requests.finish(),
    errors: Array.isArray(summary)
      ? errorSummary(summary)
      : [...errorCounts.values()].sort((a, b) => b.count - a.count),
    lateness,
    extra,
  };
}
