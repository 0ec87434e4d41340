import { join } from "node:path";
import type { SweepData, SweepPoint } from "../sweep/sweep_data.ts";
import { sweepServerFigures } from "../sweep/sweep_server.ts";
import { writeSweepReports } from "../sweep/write_sweep_reports.ts";
import type { PhaseSummary } from "../types.ts";
import { SHARD_FILE, type ShardFile } from "./_shard_file.ts";
import { type MergedRun, type MergeOptions, mergeShards } from "./merge_shards.ts";

/** A merged sharded sweep. */
export interface MergedSweep {
  /** The whole sweep (`DIR/sweep.json`), one point per value every shard's records rebuilt. */
  readonly data: SweepData;
  /** Each value's merge, in order (written to `DIR/FIELD_VALUE/`). */
  readonly runs: readonly MergedRun[];
  /** Every problem found, naming its value and shard; empty when every shard is complete. */
  readonly problems: readonly string[];
  /** The files written. */
  readonly paths: readonly string[];
}

/**
 * Merges a sharded sweep, when `dir` holds one (a shard's `shard.json` names the sweep): each
 * value's shards (`DIR/shard-I/FIELD_VALUE/`) are merged like one sharded run
 * ({@linkcode mergeShards}) into `DIR/FIELD_VALUE/`, and the points into `DIR/sweep.json`,
 * `sweep.csv` and `sweep.html`, as a single-machine sweep writes them (the server's figures per
 * value from the merged phase's `server_metrics`, which are the first shard's scrapes). Values no shard ran (the
 * sweep stopped early) are left out, with the reason the shards gave.
 *
 * @param dir The sharded run's output directory.
 * @param options Percentiles, the report's size limit.
 * @returns The merged sweep, or undefined when `dir` is not a sharded sweep.
 * @throws {ReportInputError} When a file cannot be read.
 *
 * @example
 * ```ts
 * import { mergeSweep } from "./merge_sweep.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/shard-0`);
 * await Deno.writeTextFile(`${dir}/shard-0/shard.json`, JSON.stringify({ index: 0, count: 1 }));
 * if (await mergeSweep(dir) !== undefined) throw new Error("not a sweep");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function mergeSweep(
  dir: string,
  options: MergeOptions = {},
): Promise<MergedSweep | undefined> {
  // Listed once: every value's shards are looked for in the same shard directories.
  const dirs = await shardDirs(dir);
  const files = await shardFiles(dirs);
  const sweep = files.find((f) => f.sweep !== undefined)?.sweep;
  if (sweep === undefined) return undefined;
  const points: SweepPoint[] = [];
  const runs: MergedRun[] = [];
  const problems: string[] = [];
  const paths: string[] = [];
  for (const value of sweep.values) {
    const sub = `${sweep.field}_${value}`;
    if (!await anyShardRan(dirs, sub)) break;
    const merged = await mergeShards(dir, { ...options, sub });
    runs.push(merged);
    paths.push(...merged.paths);
    problems.push(...merged.problems.map((p) => `${sweep.field} ${value}: ${p}`));
    const profiling = (merged.result.phases as Record<string, PhaseSummary | undefined>).profiling;
    const server = sweepServerFigures(profiling?.server_metrics);
    points.push({
      value,
      ok: profiling?.request_count ?? 0,
      errors: profiling?.error_request_count ?? 0,
      duration_ms: profiling?.duration_ms ?? 0,
      metrics: merged.result.metrics,
      dir: sub,
      ...(server === undefined ? {} : { server }),
    });
  }
  const stopped = points.length < sweep.values.length ? await stoppedBecause(dirs) : undefined;
  const benchmark = (runs[0]?.result.benchmark ?? {}) as Record<string, unknown>;
  const timing = (benchmark.timing_config ?? {}) as Record<string, unknown>;
  const data: SweepData = {
    field: sweep.field,
    values: sweep.values,
    points,
    ...(stopped === undefined ? {} : { stopped }),
    benchmark: { ...benchmark, timing_config: { ...timing, [sweep.field]: "swept" } },
  };
  paths.push(...await writeSweepReports(dir, data));
  return { data, runs, problems, paths };
}

async function shardDirs(dir: string): Promise<string[]> {
  const dirs: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory && /^shard-\d+$/.test(entry.name)) dirs.push(join(dir, entry.name));
    }
  } catch { /* mergeShards names a directory it cannot read */ }
  return dirs.sort();
}

async function shardFiles(dirs: readonly string[]): Promise<ShardFile[]> {
  const files: ShardFile[] = [];
  for (const path of dirs) {
    const text = await Deno.readTextFile(join(path, SHARD_FILE)).catch(() => undefined);
    if (text === undefined) continue;
    try {
      files.push(JSON.parse(text));
    } catch { /* mergeShards names a broken file */ }
  }
  return files;
}

async function anyShardRan(dirs: readonly string[], sub: string): Promise<boolean> {
  for (const path of dirs) {
    if (await Deno.stat(join(path, sub)).then((s) => s.isDirectory, () => false)) return true;
  }
  return false;
}

// The reason the shards gave in their own sweep.json (they decided alike, on the whole's counts).
async function stoppedBecause(dirs: readonly string[]): Promise<string> {
  for (const path of dirs) {
    const text = await Deno.readTextFile(join(path, "sweep.json")).catch(() => undefined);
    try {
      const stopped = text === undefined ? undefined : JSON.parse(text).stopped;
      if (typeof stopped === "string") return stopped;
    } catch { /* no reason there */ }
  }
  return "the shards stopped before the last value (no shard wrote a reason)";
}
