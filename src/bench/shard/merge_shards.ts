import { join } from "node:path";
import { writeOutputFile } from "../_write_output_file.ts";
import { loadRun, ReportInputError } from "../report/load_run.ts";
import { profileCsv } from "../report/profile_csv.ts";
import { runReportHtml } from "../report/run_report_html.ts";
import { DEFAULT_PERCENTILES } from "../metrics/compute_statistics.ts";
import type {
  ClientLateness,
  ErrorKind,
  ErrorSummaryEntry,
  LatenessFigures,
  Metrics,
  MetricStatistics,
  RequestRecord,
} from "../types.ts";
import type { Slo } from "../metrics/parse_goodput.ts";
import { Column, readLines } from "./_columns.ts";
import { SHARD_FILE, type ShardFile } from "./_shard_file.ts";

/** One shard's figures in a merged run (`shards` in the merged `profile_export.json`). */
export interface ShardFigures {
  /** The shard's index. */
  readonly index: number;
  /** Its successful and failed requests, as read from its records. */
  readonly request_count: number;
  readonly error_request_count: number;
  /** Its profiling phase's start after the earliest shard's, on the common time line, in ms. */
  readonly start_offset_ms: number;
  /** Its clock's offset to shard 0's (added to its times), in ms; 0 when not measured. */
  readonly clock_offset_ms: number;
  /** The round trip the offset was measured over; its uncertainty is half of it. */
  readonly clock_rtt_ms?: number;
  /** Its client's lateness in the profiling phase. */
  readonly client_lateness?: ClientLateness;
  /** Its exit status, when it finished. */
  readonly status?: number;
  /** What is wrong with its output (missing, truncated, not finished), if anything. */
  readonly problems: readonly string[];
}

/** A merged run. */
export interface MergedRun {
  /** The merged `profile_export.json` contents (AIPerf's layout, plus `shards`). */
  readonly result: Readonly<Record<string, unknown>> & { readonly metrics: Metrics };
  /** Each shard's figures. */
  readonly shards: readonly ShardFigures[];
  /** Every problem found, naming its shard; empty when every shard is complete. */
  readonly problems: readonly string[];
  /** How many records were merged. */
  readonly records: number;
  /** The files written. */
  readonly paths: readonly string[];
}

/** Options of {@linkcode mergeShards}. */
export interface MergeOptions {
  /** Percentiles to report; the shards' default (p1 to p99) when absent. */
  readonly percentiles?: readonly number[];
  /** Write `report.html` (which holds every request) only up to this many; default 200,000. */
  readonly reportLimit?: number;
}

// Per-request metrics in AIPerf's table order (as summarizePhase orders them).
const ORDER = [
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
const PER_TURN = new Set([
  "time_to_first_token",
  "time_to_first_output_token",
  "request_latency",
  "inter_token_latency",
  "output_sequence_length",
  "input_sequence_length",
]);

interface Shard {
  readonly index: number;
  readonly dir: string;
  readonly file?: ShardFile;
  readonly profile?: Record<string, unknown>;
  readonly problems: string[];
  /** Its profiling start on the common time line (epoch ms), when known. */
  readonly start?: number;
}

/**
 * Merges a sharded run: reads every `DIR/shard-I/` (its `shard.json`, `profile_export.json`
 * and `records.jsonl`) and rebuilds every metric of the whole run from the shards' raw records:
 * percentiles from all the values, never averaged from the shards'; throughputs over the
 * common duration, on one time line where each shard's times are moved by its measured clock
 * offset. Records are read one line at a time; only the numbers the statistics need stay in
 * memory (8 bytes a value). Writes `DIR/profile_export.json` (with `shards`: each shard's
 * counts, clock offset and client lateness), `DIR/records.jsonl` (every record with its
 * `shard`, its `start_ms` and `end_ms` on the common time line), `DIR/profile_export.csv`,
 * `DIR/shards.csv` and, up to `reportLimit` records, `DIR/report.html`.
 *
 * A shard that is missing, did not finish, or whose records are cut short is named in
 * `problems` (and in the export's `failures`); what it did write is merged.
 *
 * @param dir The sharded run's output directory.
 * @param options Percentiles.
 * @returns The merged run.
 * @throws {ReportInputError} When `dir` has no `shard-I` directory.
 *
 * @example
 * ```ts
 * import { mergeShards } from "./merge_shards.ts";
 *
 * const dir = await Deno.makeTempDir();
 * for (const [i, ttft] of [[0, 10], [1, 30]]) {
 *   await Deno.mkdir(`${dir}/shard-${i}`);
 *   await Deno.writeTextFile(`${dir}/shard-${i}/shard.json`, JSON.stringify({
 *     index: i, count: 2, from: "test", settings_hash: "h", clock_offset_ms: 0,
 *     profiling_start_ms: 1000, status: 0 }));
 *   await Deno.writeTextFile(`${dir}/shard-${i}/records.jsonl`, JSON.stringify({
 *     phase: "profiling", index: 0, start_ms: 0, end_ms: 100, conversation_index: 0,
 *     turn_index: 0, chunks_ms: [], tokens: { output: 5, reasoning: 0 },
 *     metrics: { time_to_first_token: { value: ttft, unit: "ms" } } }) + "\n");
 * }
 * const merged = await mergeShards(dir);
 * await Deno.remove(dir, { recursive: true });
 * if (merged.result.metrics.time_to_first_token?.p50 !== 20) throw new Error("wrong");
 * ```
 */
export async function mergeShards(dir: string, options: MergeOptions = {}): Promise<MergedRun> {
  const shards = await readShards(dir);
  const known = shards.map((s) => s.start).filter((s): s is number => s !== undefined);
  const origin = known.length > 0 ? Math.min(...known) : 0;
  const slos = shards.find((s) => s.file?.goodput !== undefined)?.file?.goodput;
  const acc = new Accumulator(options.percentiles ?? DEFAULT_PERCENTILES, slos);
  const recordsPath = join(dir, "records.jsonl");
  const out = await Deno.open(recordsPath, { write: true, create: true, truncate: true });
  const figures: ShardFigures[] = [];
  try {
    const writer = new BufferedWriter(out);
    for (const shard of shards) {
      const offset = shard.start === undefined ? 0 : shard.start - origin;
      const counted = await mergeRecords(shard, offset, acc, writer);
      figures.push(shardFigures(shard, offset, counted));
    }
    await writer.flush();
  } finally {
    out.close();
  }
  const problems = shards.flatMap((s) => s.problems);
  const result = acc.result(shards, figures, problems);
  const paths = [
    await writeOutputFile(join(dir, "profile_export.json"), JSON.stringify(result, null, 2) + "\n"),
    recordsPath,
    await writeOutputFile(join(dir, "profile_export.csv"), profileCsv(result.metrics)),
    await writeOutputFile(join(dir, "shards.csv"), shardsCsv(figures)),
  ];
  // The page holds every request: past this many it would be too big to open.
  if (acc.records <= (options.reportLimit ?? 200_000)) {
    paths.push(await writeOutputFile(join(dir, "report.html"), runReportHtml(await loadRun(dir))));
  }
  return { result, shards: figures, problems, records: acc.records, paths };
}

async function readShards(dir: string): Promise<Shard[]> {
  const found = new Map<number, string>();
  try {
    for await (const entry of Deno.readDir(dir)) {
      const match = /^shard-(\d+)$/.exec(entry.name);
      if (match && entry.isDirectory) found.set(Number(match[1]), join(dir, entry.name));
    }
  } catch (error) {
    throw new ReportInputError(dir, (error as Error).message);
  }
  if (found.size === 0) {
    throw new ReportInputError(dir, "no shard-I directory: not the output of a sharded run");
  }
  const shards: Shard[] = [];
  const read = new Map<number, Omit<Shard, "index">>();
  let count = Math.max(...found.keys()) + 1;
  for (const [index, path] of found) {
    const problems: string[] = [];
    const file = await readJsonFile(join(path, SHARD_FILE)) as ShardFile | undefined;
    const profile = await readJsonFile(join(path, "profile_export.json")) as
      | Record<string, unknown>
      | undefined;
    if (file === undefined) {
      problems.push(
        `shard ${index} did not finish (no ${SHARD_FILE} in ${path}): its times ` +
          "are not corrected by a clock offset",
      );
    } else count = Math.max(count, file.count);
    const phases = profile?.phases as Record<string, { started_at?: string }> | undefined;
    const wall = Date.parse(phases?.profiling?.started_at ?? "");
    const start = file?.profiling_start_ms !== undefined
      ? file.profiling_start_ms + file.clock_offset_ms
      : Number.isFinite(wall)
      ? wall
      : undefined;
    read.set(index, {
      dir: path,
      ...(file === undefined ? {} : { file }),
      ...(profile === undefined ? {} : { profile }),
      problems,
      ...(start === undefined ? {} : { start }),
    });
  }
  for (let index = 0; index < count; index++) {
    const shard = read.get(index);
    if (shard !== undefined) shards.push({ index, ...shard });
    else {
      shards.push({
        index,
        dir: join(dir, `shard-${index}`),
        problems: [`shard ${index} of ${count} is missing: no ${join(dir, `shard-${index}`)}`],
      });
    }
  }
  return shards;
}

async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new ReportInputError(path, (error as Error).message);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ReportInputError(path, (error as Error).message);
  }
}

// Streams one shard's records into the accumulator and the merged file; returns its counts.
async function mergeRecords(
  shard: Shard,
  offset: number,
  acc: Accumulator,
  writer: BufferedWriter,
): Promise<{ ok: number; failed: number }> {
  const path = join(shard.dir, "records.jsonl");
  const counts = { ok: 0, failed: 0 };
  if (shard.file === undefined && shard.profile === undefined) {
    try {
      await Deno.stat(path);
    } catch {
      return counts; // missing altogether: already named
    }
  }
  try {
    for await (const { line, number, last } of readLines(path)) {
      if (line.trim() === "") continue;
      let record: RequestRecord;
      try {
        record = JSON.parse(line);
      } catch {
        shard.problems.push(
          last
            ? `shard ${shard.index}: ${path} is cut short at line ${number} (the shard stopped ` +
              `mid-write); its ${counts.ok + counts.failed} complete records are merged`
            : `shard ${shard.index}: ${path} line ${number} is not JSON; skipped`,
        );
        continue;
      }
      if (record.phase !== undefined && record.phase !== "profiling") continue;
      if (record.error === undefined) counts.ok++;
      else counts.failed++;
      acc.add(record, offset);
      const full = writer.write(onCommonLine(line, shard.index, offset, record));
      if (full !== undefined) await full;
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    shard.problems.push(`shard ${shard.index}: no ${path}`);
    return counts;
  }
  const summary = (shard.profile?.phases as Record<string, Record<string, number>> | undefined)
    ?.profiling;
  if (summary !== undefined) {
    const expected = (summary.request_count ?? 0) + (summary.error_request_count ?? 0);
    if (expected !== counts.ok + counts.failed) {
      shard.problems.push(
        `shard ${shard.index}: ${path} has ${counts.ok + counts.failed} records, its ` +
          `profile_export.json counts ${expected} (cut short?)`,
      );
    }
  }
  return counts;
}

// The record's line with its shard first and its two instants moved onto the common time line;
// edited as text (the only top-level "start_ms" and "end_ms"), which is cheaper than writing the
// parsed record again.
function onCommonLine(line: string, shard: number, offset: number, r: RequestRecord): string {
  let text = line.trim().slice(1);
  if (offset !== 0) {
    text = text.replace(/"start_ms":[^,}]+/, `"start_ms":${offset + r.start_ms}`)
      .replace(/"end_ms":[^,}]+/, `"end_ms":${offset + r.end_ms}`);
  }
  return `{"shard":${shard},${text}\n`;
}

function shardFigures(
  shard: Shard,
  offset: number,
  counted: { ok: number; failed: number },
): ShardFigures {
  const file = shard.file;
  const phases = shard.profile?.phases as Record<string, { client_lateness?: ClientLateness }>;
  const lateness = file?.client_lateness ?? phases?.profiling?.client_lateness;
  return {
    index: shard.index,
    request_count: counted.ok,
    error_request_count: counted.failed,
    start_offset_ms: offset,
    clock_offset_ms: file?.clock_offset_ms ?? 0,
    ...(file?.clock_rtt_ms === undefined ? {} : { clock_rtt_ms: file.clock_rtt_ms }),
    ...(lateness === undefined ? {} : { client_lateness: lateness }),
    ...(file === undefined ? {} : { status: file.status }),
    problems: shard.problems,
  };
}

function shardsCsv(figures: readonly ShardFigures[]): string {
  const header = "shard,request_count,error_request_count,start_offset_ms,clock_offset_ms," +
    "clock_rtt_ms,event_loop_delay_p90_ms,send_delay_p50_ms,send_delay_p99_ms,status,problems";
  const rows = figures.map((f) =>
    [
      f.index,
      f.request_count,
      f.error_request_count,
      f.start_offset_ms.toFixed(3),
      f.clock_offset_ms.toFixed(3),
      f.clock_rtt_ms?.toFixed(3) ?? "",
      f.client_lateness?.event_loop_delay_ms.p90.toFixed(3) ?? "",
      f.client_lateness?.send_delay_ms.p50.toFixed(3) ?? "",
      f.client_lateness?.send_delay_ms.p99.toFixed(3) ?? "",
      f.status ?? "",
      `"${f.problems.join("; ").replaceAll('"', '""')}"`,
    ].join(",")
  );
  return [header, ...rows].join("\n") + "\n";
}

// Writes in chunks of about 1 MB; `write` returns a promise to wait for when a chunk is being
// written, so reading never runs ahead of the disk.
class BufferedWriter {
  readonly #file: Deno.FsFile;
  #parts: string[] = [];
  #size = 0;

  constructor(file: Deno.FsFile) {
    this.#file = file;
  }

  write(text: string): Promise<void> | undefined {
    this.#parts.push(text);
    this.#size += text.length;
    return this.#size > 1 << 20 ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.#parts.length === 0) return;
    const bytes = new TextEncoder().encode(this.#parts.join(""));
    this.#parts = [];
    this.#size = 0;
    let written = 0;
    while (written < bytes.length) written += await this.#file.write(bytes.subarray(written));
  }
}

// The merged phase: every metric rebuilt from the records' values.
class Accumulator {
  readonly #percentiles: readonly number[];
  readonly #columns = new Map<string, Column>();
  readonly #turns = new Map<number, Map<string, Column>>();
  readonly #errors = new Map<
    string,
    { entry: ErrorSummaryEntry["error_details"]; count: number }
  >();
  readonly #sources: Record<string, number> = {};
  #ok = 0;
  #failed = 0;
  #tokens = 0;
  #input = 0;
  #inputKnown = true;
  #end = 0;
  records = 0;

  readonly #slos: readonly Slo[] | undefined;
  #good = 0;

  constructor(percentiles: readonly number[], slos: readonly Slo[] | undefined) {
    this.#percentiles = percentiles;
    this.#slos = slos;
  }

  add(r: RequestRecord, offset: number): void {
    this.records++;
    this.#end = Math.max(this.#end, offset + r.end_ms); // instants from the phase start
    if (r.error !== undefined) {
      this.#failed++;
      const kind: ErrorKind = r.error_kind ?? "client";
      const key = `${kind}\u0000${r.status ?? ""}`;
      const seen = this.#errors.get(key);
      if (seen) seen.count++;
      else {
        this.#errors.set(key, {
          entry: { code: r.status ?? null, type: kind, message: r.error },
          count: 1,
        });
      }
      return;
    }
    this.#ok++;
    if (this.#slos !== undefined && meets(r, this.#slos)) this.#good++;
    const source = r.tokens?.output_source;
    if (source !== undefined) this.#sources[source] = (this.#sources[source] ?? 0) + 1;
    this.#tokens += (r.tokens?.output ?? 0) + (r.tokens?.reasoning ?? 0);
    if (r.tokens?.input === undefined) this.#inputKnown = false;
    else this.#input += r.tokens.input;
    let turn: Map<string, Column> | undefined;
    if (r.turn_index > 0 || this.#turns.size > 0) {
      turn = this.#turns.get(r.turn_index);
      if (turn === undefined) this.#turns.set(r.turn_index, turn = new Map());
    }
    for (const [name, metric] of Object.entries(r.metrics ?? {})) {
      push(this.#columns, name, metric.unit, metric.value);
      if (turn !== undefined && PER_TURN.has(name)) push(turn, name, metric.unit, metric.value);
    }
  }

  result(
    shards: readonly Shard[],
    figures: readonly ShardFigures[],
    problems: readonly string[],
  ): Readonly<Record<string, unknown>> & { readonly metrics: Metrics } {
    const durationMs = this.#end;
    const seconds = durationMs / 1000;
    const rate = (n: number) => seconds > 0 ? n / seconds : 0;
    const metrics: Record<string, MetricStatistics> = {};
    const names = [...ORDER, ...[...this.#columns.keys()].filter((k) => !ORDER.includes(k))];
    for (const name of names) {
      const stats = this.#columns.get(name)?.statistics(this.#percentiles);
      if (stats !== undefined) metrics[name] = stats;
    }
    metrics.output_token_throughput = { unit: "tokens/sec", avg: rate(this.#tokens) };
    if (this.#inputKnown && this.#ok > 0) {
      metrics.total_token_throughput = {
        unit: "tokens/sec",
        avg: rate(this.#tokens + this.#input),
      };
    }
    metrics.request_throughput = { unit: "requests/sec", avg: rate(this.#ok) };
    if (this.#slos !== undefined) {
      metrics.goodput = { unit: "requests/sec", avg: rate(this.#good) };
      metrics.good_request_count = { unit: "requests", avg: this.#good };
    }
    metrics.request_count = { unit: "requests", avg: this.#ok };
    metrics.error_request_count = { unit: "requests", avg: this.#failed };
    metrics.benchmark_duration = { unit: "sec", avg: seconds };
    const byTurn = this.#byTurn();
    const profiles = shards.map((s) => s.profile).filter((p) => p !== undefined);
    const first = profiles[0] ?? {};
    const list = (key: string) => profiles.flatMap((p) => (p[key] as unknown[] | undefined) ?? []);
    const phases = profiles.map((p) =>
      (p.phases as Record<string, Record<string, unknown>>)
        ?.profiling
    ).filter((p) => p !== undefined);
    const errorSummary = [...this.#errors.values()].sort((a, b) => b.count - a.count)
      .map(({ entry, count }) => ({ error_details: entry, count }));
    const lateness = worst(figures.map((f) => f.client_lateness).filter((l) => l !== undefined));
    return {
      benchmark: mergedBenchmark(first.benchmark, shards),
      phases: {
        profiling: {
          phase: "profiling",
          request_count: this.#ok,
          error_request_count: this.#failed,
          cancelled_request_count: phases.reduce(
            (s, p) => s + Number(p.cancelled_request_count ?? 0),
            0,
          ),
          duration_ms: durationMs,
          started_at: phases.map((p) => String(p.started_at)).sort()[0] ?? "",
          interrupted: phases.some((p) => p.interrupted === true),
          metrics,
          ...(byTurn === undefined ? {} : { metrics_by_turn: byTurn }),
          error_summary: errorSummary,
          ...(lateness === undefined ? {} : { client_lateness: lateness }),
        },
      },
      metrics,
      error_summary: errorSummary,
      token_counting: { output_sources: this.#sources },
      interrupted: profiles.some((p) => p.interrupted === true),
      hook_failures: list("hook_failures"),
      failures: [...new Set([...list("failures").map(String), ...problems])],
      warnings: [
        ...new Set(
          shards.flatMap((s) =>
            ((s.profile?.warnings as string[] | undefined) ?? []).map((w) =>
              `shard ${s.index}: ${w}`
            )
          ),
        ),
      ],
      shards: figures,
    };
  }

  #byTurn(): Record<string, Metrics> | undefined {
    if (![...this.#turns.keys()].some((t) => t > 0)) return undefined;
    const byTurn: Record<string, Metrics> = {};
    for (const turn of [...this.#turns.keys()].sort((a, b) => a - b)) {
      const metrics: Record<string, MetricStatistics> = {};
      for (const name of ORDER) {
        const stats = this.#turns.get(turn)!.get(name)?.statistics(this.#percentiles);
        if (stats !== undefined) metrics[name] = stats;
      }
      byTurn[String(turn)] = metrics;
    }
    return byTurn;
  }
}

// Shard 0's description of the run, with the whole run's timing (each shard ran its share) and
// without the hook that held the shards' start.
function mergedBenchmark(benchmark: unknown, shards: readonly Shard[]): Record<string, unknown> {
  const b = (benchmark ?? {}) as Record<string, unknown>;
  const timing = shards.find((s) => s.file?.timing_config !== undefined)?.file?.timing_config;
  return {
    ...b,
    ...(timing === undefined ? {} : { timing_config: timing }),
    ...(Array.isArray(b.phase_hooks)
      ? { phase_hooks: b.phase_hooks.filter((h) => h !== "shard") }
      : {}),
    shards: shards.length,
  };
}

// Whether a successful record meets every SLO (as the single run's summary counts it).
function meets(record: RequestRecord, slos: readonly Slo[]): boolean {
  for (const slo of slos) {
    const value = record.metrics?.[slo.metric]?.value;
    if (typeof value !== "number") return false;
    if (slo.atLeast ? value < slo.limit : value > slo.limit) return false;
  }
  return true;
}

function push(
  columns: Map<string, Column>,
  name: string,
  unit: string,
  value: number | readonly number[],
): void {
  let column = columns.get(name);
  if (column === undefined) {
    columns.set(name, column = new Column(unit, typeof value !== "number"));
  }
  if (typeof value === "number") column.push(value);
  else for (const v of value) column.push(v);
}

// The merged phase's client lateness: the worst shard's figure of each (each shard's own are
// in `shards`).
function worst(list: readonly ClientLateness[]): ClientLateness | undefined {
  if (list.length === 0) return undefined;
  const max = (pick: (l: ClientLateness) => LatenessFigures): LatenessFigures => ({
    p50: Math.max(...list.map((l) => pick(l).p50)),
    p90: Math.max(...list.map((l) => pick(l).p90)),
    p99: Math.max(...list.map((l) => pick(l).p99)),
    max: Math.max(...list.map((l) => pick(l).max)),
  });
  const warnings = list.map((l) => l.warning).filter((w) => w !== undefined);
  return {
    event_loop_delay_ms: max((l) => l.event_loop_delay_ms),
    send_delay_ms: max((l) => l.send_delay_ms),
    ...(warnings.length === 0 ? {} : { warning: warnings[0]! }),
  };
}
