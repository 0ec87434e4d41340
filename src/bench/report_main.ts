/**
 * `deno task bench:report`: rebuilds a run's CSV and HTML report from its exports, a sweep's
 * CSV and page from its `sweep.json`, or compares two runs. Run with `--help` for the usage.
 *
 * @module
 */
import { join } from "node:path";
import { writeOutputFile } from "./_write_output_file.ts";
import { parseArgs } from "node:util";
import { boxTable } from "./exporters/tables.ts";
import { metricsTable } from "./exporters/tables.ts";
import { mergeShards } from "./shard/merge_shards.ts";
import { mergeSweep } from "./shard/merge_sweep.ts";
import { sweepTable } from "./sweep/sweep_table.ts";
import { formatNumber } from "./report/shared.ts";
import { compareReportHtml, metricDeltas } from "./report/compare_report_html.ts";
import { loadRun, readJson, ReportInputError } from "./report/load_run.ts";
import { judgeNoise } from "./report/judge_noise.ts";
import { metricInfo } from "./report/metric_catalog.ts";
import { noiseSummary } from "./report/noise_summary.ts";
import { readRequestSamples } from "./report/request_samples.ts";
import { profileCsv } from "./report/profile_csv.ts";
import { refuseSweepDir } from "./report/refuse_sweep_dir.ts";
import { runReportHtml } from "./report/run_report_html.ts";
import type { SweepData } from "./sweep/sweep_data.ts";
import { writeSweepReports } from "./sweep/write_sweep_reports.ts";

/** The `--help` text of `deno task bench:report`. */
export const REPORT_HELP = `Usage: deno task bench:report DIR
       deno task bench:report A B [--output FILE]
       deno task bench:report --merge DIR

DIR: a directory a run wrote with --output. Rebuilds DIR/profile_export.csv and
DIR/report.html from DIR/profile_export.json and DIR/records.jsonl; for a sweep
(DIR/sweep.json), rebuilds DIR/sweep.csv, DIR/sweep.html and each value's report.

A B: compares two runs: prints B's change against A for every shared statistic
and writes a page with both runs' distributions on one chart (default
./compare.html).

--merge DIR: merges a sharded run (DIR/shard-I/, see docs/scaling.md): every
metric rebuilt from all shards' records, on one time line corrected by the
shards' clock offsets; writes DIR/profile_export.json, records.jsonl,
profile_export.csv, shards.csv (each shard's clock offset and client
lateness) and report.html. A sharded sweep is merged per value into
DIR/FIELD_VALUE/, with DIR/sweep.json, sweep.csv and sweep.html. A missing or
cut-short shard is named (exit 1).

Options:
  --output FILE   where the comparison page goes (default compare.html)
  -h, --help      show this help

Exit status: 0 done, 1 an export could not be read, 2 bad arguments.
`;

/** Where `reportMain` writes. */
export interface ReportIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const encoder = new TextEncoder();

/**
 * Runs `deno task bench:report` with `argv` and returns the exit status.
 *
 * @param argv The arguments.
 * @param io Where to write; the process's standard streams by default.
 * @returns 0, 1 (an export could not be read) or 2 (bad arguments).
 *
 * @example
 * ```ts
 * import { reportMain } from "./report_main.ts";
 *
 * let err = "";
 * const status = await reportMain(["/nonexistent-run"], { stdout: () => {}, stderr: (t) => err += t });
 * if (status !== 1 || !err.includes("profile_export.json")) throw new Error(err);
 * ```
 */
export async function reportMain(
  argv: readonly string[],
  io: ReportIO = {
    stdout: (t) => void Deno.stdout.writeSync(encoder.encode(t)),
    stderr: (t) => void Deno.stderr.writeSync(encoder.encode(t)),
  },
): Promise<number> {
  let values: { help?: boolean; output?: string; merge?: string };
  let dirs: string[];
  try {
    ({ values, positionals: dirs } = parseArgs({
      args: [...argv],
      options: {
        help: { type: "boolean", short: "h" },
        output: { type: "string" },
        merge: { type: "string" },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}; see --help\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(REPORT_HELP);
    return 0;
  }
  if (values.merge !== undefined) {
    if (dirs.length > 0 || values.output !== undefined) {
      io.stderr(`error: --merge DIR takes no other argument; see --help\n`);
      return 2;
    }
    return await merge(values.merge, io);
  }
  if (dirs.length < 1 || dirs.length > 2) {
    io.stderr(`error: expected one run directory, or two to compare; see --help\n`);
    return 2;
  }
  if (dirs.length === 1 && values.output !== undefined) {
    io.stderr(`error: --output is for comparisons (A B); one run is rebuilt in place\n`);
    return 2;
  }
  try {
    const written = dirs.length === 1
      ? await rebuild(dirs[0]!)
      : await compare(dirs[0]!, dirs[1]!, values.output ?? "compare.html", io);
    for (const path of written) io.stdout(`Wrote ${path}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ReportInputError) {
      io.stderr(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function merge(dir: string, io: ReportIO): Promise<number> {
  try {
    const sweep = await mergeSweep(dir);
    if (sweep !== undefined) {
      io.stdout(sweepTable(sweep.data));
      for (const path of sweep.paths) io.stdout(`Wrote ${path}\n`);
      for (const problem of sweep.problems) io.stderr(`error: ${problem}\n`);
      return sweep.problems.length > 0 ? 1 : 0;
    }
    const merged = await mergeShards(dir);
    io.stdout(
      metricsTable(`plugmap bench | ${merged.shards.length} shards merged`, merged.result.metrics),
    );
    const figure = (n: number | undefined) => n === undefined ? "–" : formatNumber(n);
    io.stdout(boxTable(
      "Shards (clock offset to shard 0; start late after the common instant; client lateness in ms)",
      [
        { header: "Shard" },
        { header: "Requests" },
        { header: "Errors" },
        { header: "Start +ms" },
        { header: "Clock offset" },
        { header: "Late" },
        { header: "Loop delay p90" },
        { header: "Send delay p50" },
        { header: "Status" },
      ],
      merged.shards.map((s) => [
        String(s.index),
        String(s.request_count),
        String(s.error_request_count),
        formatNumber(s.start_offset_ms),
        s.clock_rtt_ms === undefined
          ? "not measured"
          : `${formatNumber(s.clock_offset_ms)} ± ${formatNumber(s.clock_rtt_ms / 2)}`,
        figure(s.start_late_ms),
        figure(s.client_lateness?.event_loop_delay_ms.p90),
        figure(s.client_lateness?.send_delay_ms.p50),
        s.status === undefined ? "unfinished" : String(s.status),
      ]),
      100,
    ));
    for (const path of merged.paths) io.stdout(`Wrote ${path}\n`);
    for (const problem of merged.problems) io.stderr(`error: ${problem}\n`);
    return merged.problems.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof ReportInputError) {
      io.stderr(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

function metricUnit(
  run: { metrics: Readonly<Record<string, Readonly<Record<string, unknown>>>> },
  metric: string,
): string {
  const unit = run.metrics[metric]?.unit;
  return typeof unit === "string" ? unit : "";
}

async function rebuild(dir: string): Promise<string[]> {
  const sweepPath = join(dir, "sweep.json");
  if (await isFile(sweepPath)) {
    const sweep = await readJson(sweepPath) as SweepData;
    if (!Array.isArray(sweep?.points) || typeof sweep.field !== "string") {
      throw new ReportInputError(sweepPath, `expected a sweep ("field" and "points")`);
    }
    const written: string[] = [];
    for (const point of sweep.points) {
      if (point.dir === undefined) continue;
      const sub = join(dir, point.dir);
      if (await isFile(join(sub, "profile_export.json"))) written.push(...await rebuildRun(sub));
    }
    return [...written, ...await writeSweepReports(dir, sweep)];
  }
  // Repeated runs (--num-profile-runs): each run's reports.
  if (!await isFile(join(dir, "profile_export.json"))) {
    const runs: string[] = [];
    try {
      for await (const entry of Deno.readDir(join(dir, "profile_runs"))) {
        const sub = join(dir, "profile_runs", entry.name);
        if (entry.isDirectory && await isFile(join(sub, "profile_export.json"))) runs.push(sub);
      }
    } catch {
      // Not repeated runs: rebuildRun names the missing file.
    }
    if (runs.length > 0) {
      const written: string[] = [];
      for (const sub of runs.sort()) written.push(...await rebuildRun(sub));
      return written;
    }
  }
  return rebuildRun(dir);
}

async function rebuildRun(dir: string): Promise<string[]> {
  const run = await loadRun(dir);
  const csv = join(dir, "profile_export.csv");
  const html = join(dir, "report.html");
  await writeOutputFile(csv, profileCsv(run.metrics));
  await writeOutputFile(html, runReportHtml(run));
  return [csv, html];
}

async function compare(a: string, b: string, output: string, io: ReportIO): Promise<string[]> {
  await refuseSweepDir(a);
  await refuseSweepDir(b);
  const runA = await loadRun(a);
  const runB = await loadRun(b);
  const verdicts = judgeNoise(
    metricDeltas(runA, runB),
    await readRequestSamples(a),
    await readRequestSamples(b),
  );
  const rows = verdicts.map((v) => [
    `${metricInfo(v.metric).short} ${v.stat} (${metricUnit(runA, v.metric)})`,
    formatNumber(v.a),
    formatNumber(v.b),
    v.percent === undefined ? "–" : `${v.percent >= 0 ? "+" : ""}${v.percent.toFixed(1)}%`,
    v.interval === undefined
      ? "–"
      : `${v.verdict === "noise" ? "noise" : v.verdict} (${v.interval[0] >= 0 ? "+" : ""}${
        v.interval[0].toFixed(1)
      } to ${v.interval[1] >= 0 ? "+" : ""}${v.interval[1].toFixed(1)}%)`,
  ]);
  const summary = noiseSummary(verdicts);
  io.stdout(
    boxTable(
      "plugmap bench | B against A",
      [
        { header: "Metric" },
        { header: "A" },
        { header: "B" },
        { header: "change" },
        { header: "vs noise" },
      ],
      rows,
      120,
    ) + `A: ${a}\nB: ${b}\n${summary}\n`,
  );
  await writeOutputFile(
    output,
    compareReportHtml({ label: a, run: runA }, { label: b, run: runB }, verdicts),
  );
  return [output];
}

if (import.meta.main) {
  Deno.exit(await reportMain(Deno.args));
}
