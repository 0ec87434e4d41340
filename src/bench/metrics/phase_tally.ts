import type {
  ClientLateness,
  ErrorKind,
  ErrorSummaryEntry,
  Metrics,
  MetricStatistics,
  PhaseSummary,
  RequestRecord,
  TokenSource,
} from "../types.ts";
import type { ValueColumn } from "./bootstrap_intervals.ts";
import { DEFAULT_PERCENTILES } from "./compute_statistics.ts";
import { HistogramColumn, LIST_STEPS_PER_UNIT } from "./histogram_column.ts";
import { NumberColumn } from "./number_column.ts";
import { StreamCheckTally } from "./_stream_checks.ts";
import type { Slo } from "./parse_goodput.ts";
import type { PhaseFacts } from "./summarize_phase.ts";

// Per-request metrics summarized, in AIPerf's table order (others follow as they came).
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
];

const NO_LATENESS: ClientLateness = {
  event_loop_delay_ms: { p50: 0, p90: 0, p99: 0, max: 0 },
  send_delay_ms: { p50: 0, p90: 0, p99: 0, max: 0 },
};

// Per-request metrics that are also reported per turn index, for conversations.
const PER_TURN_METRICS: ReadonlySet<string> = new Set([
  "time_to_first_token",
  "time_to_first_output_token",
  "request_latency",
  "inter_token_latency",
  "output_sequence_length",
  "input_sequence_length",
]);

/**
 * One metric's values: per turn index for the per-turn metrics, else in turn 0's column. A
 * metric whose values are lists (one per chunk gap) is counted at a fixed resolution, so its
 * memory does not grow with the chunks (its values go to a temporary file, read back once for
 * exact percentiles); every other value is kept as an 8-byte number.
 */
type MetricSlot =
  | { readonly unit: string; readonly counted: false; readonly byTurn: NumberColumn[] }
  | { readonly unit: string; readonly counted: true; readonly byTurn: HistogramColumn[] };

function newSlot(unit: string, value: number | readonly number[]): MetricSlot {
  return typeof value === "number"
    ? { unit, counted: false, byTurn: [] }
    : { unit, counted: true, byTurn: [] };
}

function pushTo(slot: MetricSlot, turn: number, value: number | readonly number[]): void {
  const column = slot.counted
    ? slot.byTurn[turn] ??= new HistogramColumn(LIST_STEPS_PER_UNIT)
    : slot.byTurn[turn] ??= new NumberColumn();
  if (typeof value === "number") column.push(value);
  else for (const v of value) column.push(v);
}

// The statistics of one turn of the slot, or of every turn when `turn` is absent.
function slotStatistics(
  slot: MetricSlot,
  percentiles: readonly number[],
  turn?: number,
): MetricStatistics | undefined {
  const pick = <T>(byTurn: T[]) =>
    (turn === undefined ? byTurn : [byTurn[turn]]).filter((c): c is T => c !== undefined);
  return slot.counted
    ? HistogramColumn.statistics(pick(slot.byTurn), slot.unit, percentiles)
    : NumberColumn.statistics(pick(slot.byTurn), slot.unit, percentiles);
}

/**
 * What a phase keeps of its requests while it runs: each metric's values in compact numeric
 * columns (8 bytes a value; exact percentiles at the end), the per-chunk gaps
 * (`inter_chunk_latency`) as counts per microsecond (exact percentiles from a temporary file of
 * the gaps), the counts and token sums the summary and the warnings need, and the failures grouped
 * by kind and status. Records themselves are not
 * kept: they are streamed to `records.jsonl`.
 *
 * @example
 * ```ts
 * import { PhaseTally } from "./phase_tally.ts";
 *
 * const tally = new PhaseTally();
 * tally.add({ phase: "profiling", index: 0, start_ms: 0, conversation_index: 0, turn_index: 0,
 *   end_ms: 100, chunks_ms: [],
 *   tokens: { output: 10, reasoning: 0, output_source: "usage", reasoning_source: "usage",
 *     input_source: "none" },
 *   metrics: { request_latency: { value: 100, unit: "ms" } } });
 * if (tally.success !== 1 || tally.metrics([50]).request_latency?.p50 !== 100) {
 *   throw new Error("wrong");
 * }
 * ```
 */
export class PhaseTally {
  readonly #goodput: readonly Slo[] | undefined;
  readonly #slots = new Map<string, MetricSlot>();
  readonly #checks = new StreamCheckTally();
  readonly #errors = new Map<
    string,
    { entry: ErrorSummaryEntry["error_details"]; count: number }
  >();
  // Whether any request (failed ones included) was a later turn; the turns of the successful ones.
  #laterTurns = false;
  readonly #turns = new Set<number>();
  /** Requests added (failed ones included). */
  count = 0;
  /** Failed requests. */
  failed = 0;
  /** Successful requests meeting every goodput SLO. */
  good = 0;
  /** Output and reasoning tokens of the successful requests. */
  outputTokens = 0;
  /** AIPerf's run totals: output tokens without reasoning, reasoning tokens, failed ISL. */
  readonly totals = { output: 0, reasoning: 0, errorIsl: 0 };
  // The input sequence lengths of the failed requests that know theirs (AIPerf's error_isl).
  readonly #errorIsl = new NumberColumn(1024);
  /** Input tokens of the successful requests (when every one of them knows its count). */
  inputTokens = 0;
  /** False once a successful request does not know its input tokens. */
  inputKnown = true;
  /** Successful requests by the source of their output count. */
  readonly outputSources: Partial<Record<TokenSource, number>> = {};
  /** Successful requests whose output was counted as chunks: the server sent no usage. */
  chunksWithoutUsage = 0;
  /** Successful requests counted both by usage and by the tokenizer, and their sums. */
  readonly usageVsTokenizer = { requests: 0, usage: 0, tokenizer: 0 };
  /** Requests that had a schedule (`send_delay_ms`). */
  scheduled = 0;
  /** Failed requests of each kind. */
  readonly errorKinds: Partial<Record<ErrorKind, number>> = {};
  /** The first failure's message, if any. */
  firstError: string | undefined;

  /** @param goodput The SLOs a request must meet to count as good (`--goodput`). */
  constructor(goodput?: readonly Slo[]) {
    this.#goodput = goodput;
  }

  /** Successful requests. */
  get success(): number {
    return this.count - this.failed;
  }

  /** Adds one finished request. */
  add(r: RequestRecord): void {
    this.count++;
    if (r.turn_index > 0) this.#laterTurns = true;
    if (r.send_delay_ms !== undefined) this.scheduled++;
    if (r.error !== undefined) {
      this.#addFailure(r);
      return;
    }
    for (const [name, metric] of Object.entries(r.metrics)) {
      let slot = this.#slots.get(name);
      if (slot === undefined) this.#slots.set(name, slot = newSlot(metric.unit, metric.value));
      pushTo(slot, PER_TURN_METRICS.has(name) ? r.turn_index : 0, metric.value);
    }
    this.#turns.add(r.turn_index);
    const tokens = r.tokens;
    this.outputTokens += tokens.output + tokens.reasoning;
    this.#checks.add(r);
    this.totals.output += tokens.output;
    this.totals.reasoning += tokens.reasoning;
    if (tokens.input === undefined) this.inputKnown = false;
    else this.inputTokens += tokens.input;
    this.outputSources[tokens.output_source] = (this.outputSources[tokens.output_source] ?? 0) + 1;
    if (tokens.output_source === "chunks" && tokens.usage_output_sequence_length === undefined) {
      this.chunksWithoutUsage++;
    }
    if (tokens.tokenizer_output_sequence_length !== undefined) {
      this.usageVsTokenizer.requests++;
      this.usageVsTokenizer.usage += tokens.output + tokens.reasoning;
      this.usageVsTokenizer.tokenizer += tokens.tokenizer_output_sequence_length;
    }
    if (this.#goodput !== undefined && meets(r, this.#goodput)) this.good++;
  }

  /**
   * The phase's summary, as `summarizePhase` gives it: statistics of every per-request metric
   * over the successful requests, the aggregates (throughputs over `facts.durationMs`, goodput,
   * counts, duration), per-turn statistics for conversations and the failures by kind.
   */
  summary(facts: PhaseFacts): PhaseSummary {
    const percentiles = facts.percentiles ?? DEFAULT_PERCENTILES;
    const metrics = this.metrics(percentiles);
    const byTurn = this.metricsByTurn(percentiles);
    const seconds = facts.durationMs / 1000;
    const rate = (n: number) => seconds > 0 ? n / seconds : 0;
    metrics.output_token_throughput = { unit: "tokens/sec", avg: rate(this.outputTokens) };
    if (this.inputKnown && this.success > 0) {
      metrics.total_token_throughput = {
        unit: "tokens/sec",
        avg: rate(this.outputTokens + this.inputTokens),
      };
    }
    metrics.request_throughput = { unit: "requests/sec", avg: rate(this.success) };
    if (facts.goodput !== undefined) {
      metrics.goodput = { unit: "requests/sec", avg: rate(this.good) };
      metrics.good_request_count = { unit: "requests", avg: this.good };
    }
    metrics.request_count = { unit: "requests", avg: this.success };
    metrics.error_request_count = { unit: "requests", avg: this.failed };
    metrics.benchmark_duration = { unit: "sec", avg: seconds };
    // AIPerf's run totals (files only; its console leaves them out).
    const errorStats = NumberColumn.statistics([this.#errorIsl], "tokens", percentiles);
    if (errorStats !== undefined) metrics.error_isl = errorStats;
    metrics.total_output_tokens = { unit: "tokens", avg: this.totals.output };
    metrics.total_reasoning_tokens = { unit: "tokens", avg: this.totals.reasoning };
    metrics.total_osl = { unit: "tokens", avg: this.outputTokens };
    if (this.inputKnown && this.success > 0) {
      metrics.total_isl = { unit: "tokens", avg: this.inputTokens };
    }
    if (this.#errorIsl.length > 0) {
      metrics.total_error_isl = { unit: "tokens", avg: this.totals.errorIsl };
    }
    return {
      phase: facts.phase,
      request_count: this.success,
      error_request_count: this.failed,
      cancelled_request_count: facts.cancelledCount,
      duration_ms: facts.durationMs,
      started_at: facts.startedAt,
      interrupted: facts.interrupted,
      ...(facts.stopped === undefined ? {} : { stopped: facts.stopped }),
      metrics,
      ...(byTurn === undefined ? {} : { metrics_by_turn: byTurn }),
      error_summary: this.errorSummary(),
      client_lateness: facts.lateness ?? NO_LATENESS,
      ...this.#checks.result(),
    };
  }

  /** Statistics of every per-request metric over the successful requests, in table order. */
  metrics(percentiles: readonly number[]): Record<string, MetricStatistics> {
    const metrics: Record<string, MetricStatistics> = {};
    const names = [
      ...RECORD_METRICS,
      ...[...this.#slots.keys()].filter((k) => !RECORD_METRICS.includes(k)),
    ];
    for (const name of names) {
      const slot = this.#slots.get(name);
      if (slot === undefined) continue;
      const stats = slotStatistics(slot, percentiles);
      if (stats !== undefined) metrics[name] = stats;
    }
    return metrics;
  }

  /** For conversations of several turns: the per-turn statistics; `undefined` otherwise. */
  metricsByTurn(percentiles: readonly number[]): Record<string, Metrics> | undefined {
    if (!this.#laterTurns) return undefined;
    const byTurn: Record<string, Metrics> = {};
    for (const turn of [...this.#turns].sort((a, b) => a - b)) {
      const metrics: Record<string, MetricStatistics> = {};
      for (const name of PER_TURN_METRICS) {
        const slot = this.#slots.get(name);
        if (slot?.byTurn[turn] === undefined) continue;
        const stats = slotStatistics(slot, percentiles, turn);
        if (stats) metrics[name] = stats;
      }
      byTurn[String(turn)] = metrics;
    }
    return byTurn;
  }

  /**
   * Each per-request metric kept as 8-byte numbers (all but the per-chunk gaps, which are
   * counted), over the successful requests and every turn, in the order the metrics first
   * appeared: what the confidence intervals resample, without reading the records back. A
   * column's values are copied out only when asked for.
   */
  valueColumns(): Map<string, ValueColumn> {
    const columns = new Map<string, ValueColumn>();
    for (const [name, slot] of this.#slots) {
      if (slot.counted) continue;
      const byTurn = slot.byTurn.filter((c) => c !== undefined);
      columns.set(name, {
        length: byTurn.reduce((n, c) => n + c.length, 0),
        values: () => NumberColumn.concat(byTurn),
      });
    }
    return columns;
  }

  /** The median of one per-request metric over the successful requests, if it has values. */
  median(name: string): number | undefined {
    const slot = this.#slots.get(name);
    return slot === undefined ? undefined : slotStatistics(slot, [50])?.p50;
  }

  /** Failed requests grouped by kind and status, most frequent first. */
  errorSummary(): ErrorSummaryEntry[] {
    return [...this.#errors.values()]
      .sort((a, b) => b.count - a.count)
      .map(({ entry, count }) => ({ error_details: entry, count }));
  }

  #addFailure(r: RequestRecord): void {
    this.failed++;
    this.firstError ??= r.error;
    const isl = r.metrics.error_isl?.value;
    if (typeof isl === "number") {
      this.#errorIsl.push(isl);
      this.totals.errorIsl += isl;
    }
    const kind = r.error_kind ?? "client";
    this.errorKinds[kind] = (this.errorKinds[kind] ?? 0) + 1;
    const key = `${kind}\u0000${r.status ?? ""}`;
    const seen = this.#errors.get(key);
    if (seen) seen.count++;
    else {
      this.#errors.set(key, {
        entry: { code: r.status ?? null, type: kind, message: r.error! },
        count: 1,
      });
    }
  }
}

function meets(record: RequestRecord, slos: readonly Slo[]): boolean {
  for (const slo of slos) {
    const value = record.metrics[slo.metric]?.value;
    if (typeof value !== "number") return false;
    if (slo.atLeast ? value < slo.limit : value > slo.limit) return false;
  }
  return true;
}
