// Shard 0's end of a sharded run: wait for every shard, name those that died or failed, and
// merge when every shard's output is on this file system.

import { join } from "node:path";
import { ConsoleExporter } from "../exporters/console_exporter.ts";
import type { BenchmarkResult } from "../types.ts";
import { SHARD_FILE } from "./_shard_file.ts";
import { mergeShards } from "./merge_shards.ts";
import { mergeSweep } from "./merge_sweep.ts";
import { sweepTable } from "../sweep/sweep_table.ts";
import type { Coordinator } from "./start_coordinator.ts";

/** Where shard 0 reports. */
export interface MergeLog {
  /** Prints one line for the user. */
  readonly log: (line: string) => void;
  /** Prints the merged result's table (standard output); not printed without it. */
  readonly print?: (text: string) => void;
}

/** Waits for the shards and merges; returns `status`, raised to 1 for any problem. */
export async function mergeOnShard0(
  coordinator: Coordinator,
  output: string,
  count: number,
  status: number,
  { log, print }: MergeLog,
): Promise<number> {
  log(`Shard 0: waiting for the other ${count - 1} shard${count === 2 ? "" : "s"} to finish`);
  const outcome = await coordinator.finished;
  for (const index of outcome.died) {
    log(
      `error: shard ${index} stopped before finishing (its connection closed); the other ` +
        "shards' records are kept",
    );
    status = Math.max(status, 1);
  }
  for (const [index, code] of outcome.done) {
    if (code !== 0 && index !== 0) {
      log(`error: shard ${index} finished with exit status ${code}`);
      status = Math.max(status, 1);
    }
  }
  const absent = await absentShards(output, count);
  if (absent.length > 0 && outcome.died.length === 0) {
    log(
      `The outputs of shard${absent.length === 1 ? "" : "s"} ${absent.join(", ")} are not on ` +
        `this file system: copy every shard's directory into ${output}/ and run ` +
        `deno task bench:report --merge ${output}`,
    );
    return status;
  }
  const sweep = await mergeSweep(output);
  if (sweep !== undefined) {
    print?.(`\nThe whole sweep, merged from ${count} shards:\n` + sweepTable(sweep.data));
    for (const problem of sweep.problems) log(`error: ${problem}`);
    for (const path of sweep.paths) log(`Wrote ${path}`);
    const records = sweep.runs.reduce((sum, run) => sum + run.records, 0);
    log(
      `Merged ${records} records of ${count} shards at ${sweep.data.points.length} values ` +
        `into ${output}`,
    );
    return sweep.problems.length > 0 ? Math.max(status, 1) : status;
  }
  const merged = await mergeShards(output);
  if (print !== undefined) {
    print(`\nThe whole run, merged from ${count} shards (shard 0's table above is its part):\n`);
    const result = { ...merged.result, records: [] } as unknown as BenchmarkResult;
    await new ConsoleExporter({}, { write: print }).export(result);
  }
  for (const problem of merged.problems) log(`error: ${problem}`);
  for (const path of merged.paths) log(`Wrote ${path}`);
  log(`Merged ${merged.records} records of ${count} shards into ${output}`);
  return merged.problems.length > 0 ? Math.max(status, 1) : status;
}

async function absentShards(output: string, count: number): Promise<number[]> {
  const absent: number[] = [];
  for (let i = 0; i < count; i++) {
    try {
      await Deno.stat(join(output, `shard-${i}`, SHARD_FILE));
    } catch {
      absent.push(i);
    }
  }
  return absent;
}
