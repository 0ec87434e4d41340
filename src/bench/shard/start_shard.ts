import { join } from "node:path";
import { writeOutputFile } from "../_write_output_file.ts";
import { ConsoleExporter } from "../exporters/console_exporter.ts";
import type { BenchmarkSettings } from "../config/resolve_settings.ts";
import type { Components } from "../run/create_components.ts";
import type { BenchmarkResult, PhaseHook } from "../types.ts";
import { nowMs } from "./_lines.ts";
import { SHARD_FILE, type ShardFile } from "./_shard_file.ts";
import { coordinatorAddress } from "./coordinator_address.ts";
import { CoordinatorError, type CoordinatorLink, joinCoordinator } from "./join_coordinator.ts";
import { mergeShards } from "./merge_shards.ts";
import type { ShardIdentity } from "./resolve_shard.ts";
import { settingsHash } from "./settings_hash.ts";
import { shardComponents } from "./shard_components.ts";
import { shardSettings } from "./shard_settings.ts";
import { type Coordinator, startCoordinator } from "./start_coordinator.ts";

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
  /**
   * Writes `shard.json`, tells the coordinator this shard is done, and on shard 0 waits for
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
 * joins it (every shard: settings hash compared, clock offset measured), and adds a phase hook
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
  let coordinator: Coordinator | undefined;
  let link: CoordinatorLink | undefined;
  const where = address && `${address.hostname}:${address.port}`;
  try {
    if (address !== undefined && shard.index === 0) {
      const loopback = /^(127\.|localhost$|::1$)/.test(address.hostname);
      try {
        coordinator = startCoordinator({
          hostname: loopback ? address.hostname : "0.0.0.0",
          port: address.port,
          count: shard.count,
          timeoutMs,
        });
      } catch (error) {
        throw new CoordinatorError(
          `Cannot start the coordinator on port ${address.port} (${address.from}): ` +
            `${(error as Error).message}; pass --coordinator HOST:PORT with a free port`,
        );
      }
      log(`Shard 0 of ${shard.count}: coordinator on ${where} (${address.from})`);
    }
    if (address !== undefined) {
      link = await joinCoordinator({
        hostname: coordinator !== undefined && !/^(127\.|localhost$|::1$)/.test(address.hostname)
          ? "127.0.0.1"
          : address.hostname,
        port: address.port,
        index: shard.index,
        count: shard.count,
        hash,
        timeoutMs,
      });
      log(
        `Shard ${shard.index} of ${shard.count} (${shard.from}): settings agreed, clock offset ` +
          `${link.offsetMs.toFixed(3)} ms (round trip ${link.rttMs.toFixed(3)} ms)`,
      );
    } else if (shard.count > 1) {
      log(
        `warning: shard ${shard.index} of ${shard.count} runs without a coordinator ` +
          "(--coordinator HOST:PORT): shards start independently and clock offsets are not measured",
      );
    }
  } catch (error) {
    coordinator?.close();
    throw error;
  }
  let profilingStart: number | undefined;
  let startInstant: number | undefined;
  // The common start is awaited at the end of the warmup (its onPhaseComplete), not in the
  // profiling phase's onPhaseStart: the duration's clock runs from before the phase's hooks, and
  // a wait there would shorten it. Without a warmup, a warmup of no request stands in.
  const hold = async () => {
    if (link !== undefined && startInstant === undefined) {
      startInstant = (await link.start("profiling")) + link.offsetMs;
      log(`Shard ${shard.index}: profiling started with the other shards`);
    }
  };
  const hook: PhaseHook = {
    async onPhaseComplete(summary) {
      if (summary.phase === "warmup") await hold();
    },
    async onPhaseStart(phase) {
      if (phase.phase !== "profiling") return;
      await hold();
      profilingStart = nowMs();
    },
  };
  const settings = link === undefined || split.settings.warmup !== undefined
    ? split.settings
    : { ...split.settings, warmup: { requestCount: 0 } };
  return {
    shard,
    settings,
    wrap: (components) =>
      shardComponents(components, shard, {
        settings,
        shiftTimestamps: split.shiftTimestamps,
        hook,
      }),
    async finish(result, status) {
      const file: ShardFile = {
        index: shard.index,
        count: shard.count,
        from: shard.from,
        settings_hash: hash,
        ...(where === undefined ? {} : { coordinator: where }),
        clock_offset_ms: link?.offsetMs ?? 0,
        ...(link === undefined ? {} : { clock_rtt_ms: link.rttMs }),
        ...(profilingStart === undefined ? {} : { profiling_start_ms: profilingStart }),
        ...(startInstant === undefined ? {} : { start_instant_ms: startInstant }),
        status,
        timing_config: whole.timing.config,
        ...(whole.goodput === undefined ? {} : { goodput: whole.goodput }),
        ...(result?.phases.profiling === undefined
          ? {}
          : { client_lateness: result.phases.profiling.client_lateness }),
      };
      await writeOutputFile(join(settings.output!, SHARD_FILE), JSON.stringify(file, null, 2));
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

async function mergeOnShard0(
  coordinator: Coordinator,
  output: string,
  count: number,
  status: number,
  { log, print }: StartShardOptions,
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
  const absent: number[] = [];
  for (let i = 0; i < count; i++) {
    try {
      await Deno.stat(join(output, `shard-${i}`, SHARD_FILE));
    } catch {
      absent.push(i);
    }
  }
  if (absent.length > 0 && outcome.died.length === 0) {
    log(
      `The outputs of shard${absent.length === 1 ? "" : "s"} ${absent.join(", ")} are not on ` +
        `this file system: copy every shard's directory into ${output}/ and run ` +
        `deno task bench:report --merge ${output}`,
    );
    return status;
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
