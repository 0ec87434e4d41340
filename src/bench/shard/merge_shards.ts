import { join } from "node:path";
import { writeOutputFile } from "../_write_output_file.ts";
import { loadRun, ReportInputError } from "../report/load_run.ts";
import { profileCsv } from "../report/profile_csv.ts";
import { runReportHtml } from "../report/run_report_html.ts";
import { DEFAULT_PERCENTILES } from "../metrics/compute_statistics.ts";
import type { ClientLateness, LatenessFigures, Metrics, RequestRecord } from "../types.ts";
import type { Slo } from "../metrics/parse_goodput.ts";
import { readLines } from "./_read_lines.ts";
import { readRecords } from "../records/read_records.ts";
import { timeWindows, type WindowBounds } from "../metrics/time_windows.ts";
import { PhaseTally } from "../metrics/phase_tally.ts";
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
  /**
   * How long after the common start instant the coordinator named its profiling phase started,
   * on shard 0's clock, in ms (timers waking late, a busy client, a slow boundary scrape of the
   * server's metrics); absent without a coordinator. Within the clock offset's uncertainty of 0
   * when on time.
   */
  readonly start_late_ms?: number;
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
  /**
   * One value of a sharded sweep: its directory inside each shard's (`concurrency_4`); the
   * shards are read from `DIR/shard-I/SUB/` and the merge written to `DIR/SUB/`.
   */
  readonly sub?: string;
}

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
 * `DIR/shards.csv` and, up to `reportLimit` records, `DIR/report.html`. The steady state and the
 * `--slice-duration` slices of the whole run are cut from the merged `records.jsonl`, read back
 * one record at a time.
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
export async function mergeShards(root: string, options: MergeOptions = {}): Promise<MergedRun> {
  const shards = await readShards(root, options.sub);
  const dir = options.sub === undefined ? root : join(root, options.sub);
  await Deno.mkdir(dir, { recursive: true });
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
  // The steady state and slices of the whole run, from the merged records on the common time
  // line, read back one at a time (once: the bounds were taken as they were merged).
  const summary = acc.result(shards, figures, problems); // frees the accumulator's columns
  const windows = timeWindows(() => readRecords(recordsPath), sliceMs(shards), acc.bounds);
  const result = { ...summary, ...windows };
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

// The slice duration the shards used (`--slice-duration`), from their exports.
function sliceMs(shards: readonly Shard[]): number | undefined {
  for (const shard of shards) {
    const slices = shard.profile?.time_slices as { slice_ms?: unknown } | undefined;
    if (typeof slices?.slice_ms === "number") return slices.slice_ms;
  }
  return undefined;
}

async function readShards(dir: string, sub: string | undefined): Promise<Shard[]> {
  const found = new Map<number, string>();
  const at = (index: number) => join(dir, `shard-${index}`, sub ?? "");
  let highest = -1;
  try {
    for await (const entry of Deno.readDir(dir)) {
      const match = /^shard-(\d+)$/.exec(entry.name);
      if (!match || !entry.isDirectory) continue;
      const index = Number(match[1]);
      highest = Math.max(highest, index);
      const path = at(index);
      if (sub === undefined || await Deno.stat(path).then((s) => s.isDirectory, () => false)) {
        found.set(index, path);
      }
    }
  } catch (error) {
    throw new ReportInputError(dir, (error as Error).message);
  }
  if (highest < 0) {
    throw new ReportInputError(dir, "no shard-I directory: not the output of a sharded run");
  }
  const shards: Shard[] = [];
  const read = new Map<number, Omit<Shard, "index">>();
  let count = highest + 1;
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
    } else {
      count = Math.max(count, file.count);
      // Only the file written at the start: killed mid-run, its records are on the time line.
      if (file.status === undefined) {
        problems.push(
          `shard ${index} did not finish (its ${SHARD_FILE} has no exit status): its records ` +
            "up to then are merged, on the time line corrected by its clock offset",
        );
      }
    }
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
        dir: at(index),
        problems: [`shard ${index} of ${count} is missing: no ${at(index)}`],
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
      const wrong = notARecord(record);
      if (wrong !== undefined) {
        shard.problems.push(
          `shard ${shard.index}: ${path} line ${number} is not a request record (${wrong}); skipped`,
        );
        continue;
      }
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

// What a parsed line lacks to be merged as a request record (as the bench writes them), if
// anything: a hand-edited or foreign line is named, not a crash in the middle of the merge.
function notARecord(r: unknown): string | undefined {
  if (typeof r !== "object" || r === null || Array.isArray(r)) return "not an object";
  const record = r as Record<string, unknown>;
  for (const key of ["start_ms", "end_ms", "turn_index"]) {
    if (typeof record[key] !== "number") return `no number "${key}"`;
  }
  if (typeof record.metrics !== "object" || record.metrics === null) return 'no "metrics"';
  const tokens = record.tokens as Record<string, unknown> | undefined;
  if (
    record.error === undefined &&
    (typeof tokens?.output !== "number" || typeof tokens.reasoning !== "number")
  ) {
    return 'no "tokens" with numbers "output" and "reasoning"';
  }
  return undefined;
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
    ...(shard.start === undefined || file?.start_instant_ms === undefined
      ? {}
      : { start_late_ms: shard.start - file.start_instant_ms }),
    clock_offset_ms: file?.clock_offset_ms ?? 0,
    ...(file?.clock_rtt_ms === undefined ? {} : { clock_rtt_ms: file.clock_rtt_ms }),
    ...(lateness === undefined ? {} : { client_lateness: lateness }),
    ...(file?.status === undefined ? {} : { status: file.status }),
    problems: shard.problems,
  };
}

function shardsCsv(figures: readonly ShardFigures[]): string {
  const header = "shard,request_count,error_request_count,start_offset_ms,clock_offset_ms," +
    "clock_rtt_ms,start_late_ms,event_loop_delay_p90_ms,send_delay_p50_ms,send_delay_p99_ms," +
    "status,problems";
  const rows = figures.map((f) =>
    [
      f.index,
      f.request_count,
      f.error_request_count,
      f.start_offset_ms.toFixed(3),
      f.clock_offset_ms.toFixed(3),
      f.clock_rtt_ms?.toFixed(3) ?? "",
      f.start_late_ms?.toFixed(3) ?? "",
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

// The merged phase: every metric rebuilt from the records' values by the run's own tally (so the
// merged summary has exactly a single run's metrics), over the common time line's duration.
class Accumulator {
  readonly #percentiles: readonly number[];
  readonly #slos: readonly Slo[] | undefined;
  #tally: PhaseTally;
  #end = 0;
  #firstEnd = Infinity;
  #lastStart = -Infinity;
  records = 0;

  constructor(percentiles: readonly number[], slos: readonly Slo[] | undefined) {
    this.#percentiles = percentiles;
    this.#slos = slos;
    this.#tally = new PhaseTally(slos);
  }

  add(r: RequestRecord, offset: number): void {
    this.records++;
    this.#end = Math.max(this.#end, offset + r.end_ms); // instants from the phase start
    this.#firstEnd = Math.min(this.#firstEnd, offset + r.end_ms);
    this.#lastStart = Math.max(this.#lastStart, offset + r.start_ms);
    this.#tally.add(r);
  }

  /** The time windows' bounds, on the common time line (so the records are read back once). */
  get bounds(): WindowBounds {
    return { count: this.records, firstEnd: this.#firstEnd, lastStart: this.#lastStart };
  }

  result(
    shards: readonly Shard[],
    figures: readonly ShardFigures[],
    problems: readonly string[],
  ): Readonly<Record<string, unknown>> & { readonly metrics: Metrics } {
    const profiles = shards.map((s) => s.profile).filter((p) => p !== undefined);
    const first = profiles[0] ?? {};
    const list = (key: string) => profiles.flatMap((p) => (p[key] as unknown[] | undefined) ?? []);
    const phases = profiles.map((p) =>
      (p.phases as Record<string, Record<string, unknown>>)
        ?.profiling
    ).filter((p) => p !== undefined);
    const lateness = worst(figures.map((f) => f.client_lateness).filter((l) => l !== undefined));
    const summary = this.#tally.summary({
      phase: "profiling",
      startedAt: phases.map((p) => String(p.started_at)).sort()[0] ?? "",
      durationMs: this.#end,
      cancelledCount: phases.reduce((s, p) => s + Number(p.cancelled_request_count ?? 0), 0),
      interrupted: phases.some((p) => p.interrupted === true),
      ...(lateness === undefined ? {} : { lateness }),
      ...(this.#slos === undefined ? {} : { goodput: this.#slos }),
      percentiles: this.#percentiles,
    });
    // The server's side: every shard scraped the same server over the same common window, so
    // the first shard that has it (shard 0, unless it lost it) speaks for the whole run.
    const server = phases.find((p) => p.server_metrics !== undefined)?.server_metrics;
    const sources = this.#tally.outputSources;
    // Every statistic is taken: the columns (8 bytes a value) are let go before the time windows
    // are cut, so the two never take memory at once.
    this.#tally = new PhaseTally(this.#slos);
    return {
      benchmark: mergedBenchmark(first.benchmark, shards),
      phases: {
        profiling: { ...summary, ...(server === undefined ? {} : { server_metrics: server }) },
      },
      metrics: summary.metrics,
      error_summary: summary.error_summary,
      token_counting: { output_sources: sources },
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
