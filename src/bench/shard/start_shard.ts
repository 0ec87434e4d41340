import { join } from "node:path";
import { writeOutputFile } from "../_write_output_file.ts";
import type { BenchmarkSettings } from "../config/resolve_settings.ts";
import type { Components } from "../run/create_components.ts";
import type { StartGate } from "../run/run_benchmark.ts";
import type { BenchmarkResult } from "../types.ts";
import { CommonStart } from "./_common_start.ts";
import { connectShard } from "./_connect_shard.ts";
import { mergeOnShard0 } from "./_merge_on_shard0.ts";
import { SHARD_FILE, type ShardFile } from "./_shard_file.ts";
import { coordinatorAddress } from "./coordinator_address.ts";
import type { ShardIdentity } from "./resolve_shard.ts";
import { settingsHash } from "./settings_hash.ts";
import type { SweepStep } from "../sweep/run_sweep.ts";
import { shardSweepStep } from "./shard_sweep_step.ts";
import { shardComponents } from "./shard_components.ts";
import { shardSettings } from "./shard_settings.ts";

/** What {@linkcode startShard} needs. */
export interface StartShardOptions {
  /** This shard. */
  readonly shard: ShardIdentity;
  /** `--coordinator`, if given. */
  readonly coordinator?: string;
  /** How long shards wait for one another, in seconds; default 120. */
  readonly timeoutSeconds?: number;
  /** The environment (for the Slurm default of the coordinator). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Prints one line for the user. */
  readonly log: (line: string) => void;
  /** Prints the merged result's table (standard output); not printed without it. */
  readonly print?: (text: string) => void;
}

/** A shard taking part in a sharded run. */
export interface ShardRun {
  /** This shard. */
  readonly shard: ShardIdentity;
  /** The settings this shard runs (its share; output in `OUTPUT/shard-I`). */
  readonly settings: BenchmarkSettings;
  /** Wraps the components created from {@linkcode ShardRun.settings} (see `shardComponents`). */
  wrap(components: Components): Components;
  /** Holds the profiling phase until the common start (`RunOptions.startGate`); none without a coordinator. */
  readonly gate?: StartGate;
  /** How this shard steps through a sweep with the others; absent when there is no sweep. */
  readonly sweep?: SweepStep;
  /**
   * Writes `shard.json` again with the exit status (its first version is written when the
   * profiling phase starts), tells the coordinator this shard is done, and on shard 0 waits for
   * every shard, names those that died, and merges when all outputs are on this file system.
   * Returns the exit status, raised to 1 when a shard died or the merge found a problem.
   */
  finish(result: BenchmarkResult | undefined, status: number): Promise<number>;
  /** Closes the coordinator (shard 0) and the link. */
  close(): void;
}

/**
 * Starts this process's part of a sharded run: splits the settings ({@linkcode shardSettings}),
 * and when there is a coordinator (`--coordinator`, or Slurm's default) starts it on shard 0,
 * joins it (every shard: settings hash compared, clock offset measured), and gives the start gate
 * that holds the profiling phase until the common start instant.
 *
 * @param whole The whole benchmark's settings.
 * @param options The shard, the coordinator, the time limit.
 * @returns The shard's run.
 * @throws {BenchConfigError} For settings that cannot be sharded.
 * @throws {CoordinatorError} When the coordinator cannot be reached or the shards disagree.
 *
 * @example
 * ```ts
 * import { startShard } from "./start_shard.ts";
 * import { resolveSettings } from "../config/resolve_settings.ts";
 *
 * const run = await startShard(resolveSettings({ concurrency: 4, output: "out" }), {
 *   shard: { index: 1, count: 2, from: "--shard 1/2" }, env: {}, log: () => {},
 * });
 * run.close();
 * if (run.settings.output !== "out/shard-1") throw new Error("wrong");
 * ```
 */
export async function startShard(
  whole: BenchmarkSettings,
  options: StartShardOptions,
): Promise<ShardRun> {
  const { shard, log } = options;
  const split = shardSettings(whole, shard);
  const hash = await settingsHash(whole);
  const address = coordinatorAddress(options.coordinator, shard, options.env);
  const timeoutMs = (options.timeoutSeconds ?? 120) * 1000;
  const { coordinator, link } = await connectShard(shard, address, hash, timeoutMs, log);
  const output = split.settings.output!;
  // The sweep's value running now, and each value's start (their shard.json files).
  let value: string | undefined;
  const values = new Map<string, { profiling_start_ms?: number; start_instant_ms?: number }>();
  const instants = () => ({
    ...(common.profilingStart === undefined ? {} : { profiling_start_ms: common.profilingStart }),
    ...(common.startInstant === undefined ? {} : { start_instant_ms: common.startInstant }),
  });
  const file = (status?: number, result?: BenchmarkResult): ShardFile => ({
    index: shard.index,
    count: shard.count,
    from: shard.from,
    settings_hash: hash,
    ...(address === undefined ? {} : { coordinator: `${address.hostname}:${address.port}` }),
    clock_offset_ms: link?.offsetMs ?? 0,
    ...(link === undefined ? {} : { clock_rtt_ms: link.rttMs }),
    ...instants(),
    ...(status === undefined ? {} : { status }),
    timing_config: whole.timing.config,
    ...(whole.sweep === undefined
      ? {}
      : { sweep: { field: whole.sweep.field, values: whole.sweep.values } }),
    ...(whole.goodput === undefined ? {} : { goodput: whole.goodput }),
    ...(result?.phases.profiling === undefined
      ? {}
      : { client_lateness: result.phases.profiling.client_lateness }),
  });
  const write = (path: string, content: ShardFile) =>
    writeOutputFile(join(path, SHARD_FILE), JSON.stringify(content, null, 2));
  // Written at the start (of each sweep value), so a shard killed mid-run leaves its clock
  // offset and start for the merge; not awaited there (the profiling phase's clock is running),
  // but before the last one.
  let first: Promise<unknown> = Promise.resolve();
  const common = new CommonStart(link, shard, log, () => {
    const dir = value;
    if (dir !== undefined) values.set(dir, instants());
    first = Promise.all([
      first,
      write(output, file()),
      ...(dir === undefined ? [] : [write(join(output, dir), file())]),
    ]).catch((error) => log(`warning: ${(error as Error).message}`));
  });
  const settings = split.settings;
  return {
    shard,
    settings,
    ...(common.gate === undefined ? {} : { gate: common.gate }),
    wrap: (components) =>
      shardComponents(components, shard, {
        settings,
        shiftTimestamps: split.shiftTimestamps,
        hook: common.hook,
      }),
    ...(whole.sweep === undefined ? {} : {
      sweep: shardSweepStep(shard, link, (dir) => {
        value = dir;
        common.round(`profiling (${dir})`);
      }),
    }),
    async finish(result, status) {
      await first;
      for (const [dir, at] of values) {
        await write(join(output, dir), { ...file(status), ...at });
      }
      await write(output, file(status, result));
      link?.done(status);
      if (coordinator === undefined) return status;
      return await mergeOnShard0(coordinator, split.output, shard.count, status, options);
    },
    close() {
      link?.close();
      coordinator?.close();
    },
  };
}
