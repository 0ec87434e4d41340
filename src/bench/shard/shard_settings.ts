import { join } from "node:path";
import { BenchConfigError } from "../config/bench_config_error.ts";
import type { BenchmarkSettings, PhaseSetting } from "../config/resolve_settings.ts";
import type { ShardIdentity } from "./resolve_shard.ts";
import { shardShare } from "./shard_share.ts";

/** A shard's settings, and what its dataset must do to stay on the global schedule. */
export interface ShardSettings {
  /** The settings this shard runs: its share of counts and slots, output in `OUTPUT/shard-I`. */
  readonly settings: BenchmarkSettings;
  /** The whole benchmark's output directory (where the merge goes). */
  readonly output: string;
  /**
   * A fixed schedule with `auto_offset`: timestamps must count from the whole trace's first
   * one, not the shard's, so the dataset shifts them and the shard runs without `auto_offset`.
   */
  readonly shiftTimestamps: boolean;
}

/**
 * Turns the whole benchmark's settings into one shard's: request, warmup and conversation
 * counts become the shard's interleaved share (item `g` goes to shard `g mod N`), concurrency
 * slots (`concurrency`, or `max_concurrency` with a request rate; the warmup's own too) are split
 * so they add up to the whole, and the output goes to `OUTPUT/shard-I/`. Rates, durations, seeds and the dataset stay
 * as they are: every shard builds the same global plan and keeps its part (see
 * {@linkcode shardComponents}).
 *
 * @param settings The whole benchmark's settings.
 * @param shard This shard.
 * @returns The shard's settings.
 * @throws {BenchConfigError} When there is no `--output`, fewer concurrency slots, requests or
 * conversations than shards (at any value of a sweep), or a fixed schedule with both
 * `--fixed-schedule-auto-offset` and `--fixed-schedule-end-offset`.
 *
 * @example
 * ```ts
 * import { shardSettings } from "./shard_settings.ts";
 * import { resolveSettings } from "../config/resolve_settings.ts";
 *
 * const whole = resolveSettings({ concurrency: 8, requestCount: 10, output: "out" });
 * const { settings } = shardSettings(whole, { index: 1, count: 3, from: "--shard 1/3" });
 * if (settings.profiling.requestCount !== 3) throw new Error("wrong count");
 * if (settings.timing.config.concurrency !== 3) throw new Error("wrong slots");
 * ```
 */
export function shardSettings(settings: BenchmarkSettings, shard: ShardIdentity): ShardSettings {
  if (settings.output === undefined) {
    throw new BenchConfigError(
      "needs --output DIR: each shard writes DIR/shard-I/ and the merge reads them all",
      { flag: "--shard" },
    );
  }
  const sweep = settings.sweep;
  if (sweep !== undefined && sweep.field !== "request_rate") {
    const few = sweep.values.filter((v) => v < shard.count);
    if (few.length > 0) {
      throw new BenchConfigError(
        `${sweep.field} ${few.join(", ")} of the sweep is fewer than the ${shard.count} ` +
          "shards: every shard needs at least one slot at every value",
        { flag: "--concurrency" },
      );
    }
  }
  const timing = settings.timing;
  const config = sharedSlots(timing.config, shard, "--concurrency");
  // The warmup's own load (--warmup-concurrency, --warmup-request-rate): shared the same way.
  const warmupTiming = settings.warmupTiming === undefined ? undefined : {
    ...settings.warmupTiming,
    config: sharedSlots(settings.warmupTiming.config, shard, "--warmup-concurrency"),
  };
  const shiftTimestamps = timing.name === "fixed_schedule" && config.auto_offset === true;
  if (shiftTimestamps) {
    if (settings.scheduleWindow !== undefined) {
      throw new BenchConfigError(
        "cannot shard --fixed-schedule-auto-offset with a schedule window: use " +
          "--fixed-schedule-start-offset (the first timestamp) instead of the auto offset",
        { flag: "--shard" },
      );
    }
    delete config.auto_offset;
  }
  for (
    const [name, value] of [
      ["--request-count", settings.profiling.requestCount],
      ["--conversation-num", settings.profiling.conversationCount],
    ] as const
  ) {
    if (value !== undefined && value < shard.count) {
      throw new BenchConfigError(
        `${value} is fewer than the ${shard.count} shards: every shard needs at least one`,
        { flag: name },
      );
    }
  }
  return {
    settings: {
      ...settings,
      timing: { ...timing, config },
      ...(warmupTiming === undefined ? {} : { warmupTiming }),
      ...(settings.warmup === undefined ? {} : { warmup: phase(settings.warmup, shard) }),
      profiling: phase(settings.profiling, shard),
      output: join(settings.output, `shard-${shard.index}`),
    },
    output: settings.output,
    shiftTimestamps,
  };
}

// A timing config with its concurrency slots (`concurrency`, or `max_concurrency` with a request
// rate) shared out; fewer slots than shards is refused, naming `flag`.
function sharedSlots(
  whole: Readonly<Record<string, unknown>>,
  shard: ShardIdentity,
  flag: string,
): Record<string, unknown> {
  const config: Record<string, unknown> = { ...whole };
  for (const field of ["concurrency", "max_concurrency"]) {
    const total = config[field];
    if (typeof total !== "number") continue;
    if (total < shard.count) {
      throw new BenchConfigError(
        `${field} ${total} is fewer than the ${shard.count} shards: every shard needs at ` +
          "least one slot",
        { flag },
      );
    }
    config[field] = shardShare(total, shard);
  }
  return config;
}

function phase(setting: PhaseSetting, shard: ShardIdentity): PhaseSetting {
  // The prefill slots are shared out like the concurrency slots: they add up to the whole.
  const prefill = setting.prefillConcurrency;
  if (prefill !== undefined && prefill < shard.count) {
    throw new BenchConfigError(
      `${prefill} is fewer than the ${shard.count} shards: every shard needs at least one slot`,
      { flag: "--prefill-concurrency" },
    );
  }
  return {
    ...setting,
    ...(prefill === undefined ? {} : { prefillConcurrency: shardShare(prefill, shard) }),
    ...(setting.requestCount === undefined
      ? {}
      : { requestCount: shardShare(setting.requestCount, shard) }),
    ...(setting.conversationCount === undefined
      ? {}
      : { conversationCount: shardShare(setting.conversationCount, shard) }),
  };
}
