import type { BenchmarkSettings } from "../config/resolve_settings.ts";
import type { Components } from "../run/create_components.ts";
import type { Named } from "../run/run_phase.ts";
import type { DatasetEntry, DatasetSampler, PhaseHook, TimingStrategy } from "../types.ts";
import { interleavedSampler } from "./_interleaved_sampler.ts";
import { interleavedTiming } from "./_interleaved_timing.ts";
import { splitBySession } from "./_split_by_session.ts";
import type { ShardIdentity } from "./resolve_shard.ts";

/** What {@linkcode shardComponents} needs besides the components. */
export interface ShardComponentsOptions {
  /** The shard's settings (from {@linkcode shardSettings}). */
  readonly settings: BenchmarkSettings;
  /** Shift trace timestamps to the whole trace's first one (fixed schedule, auto offset). */
  readonly shiftTimestamps?: boolean;
  /** A phase hook to run last (the coordinator's start barrier), if any. */
  readonly hook?: PhaseHook;
}

/**
 * Wraps a run's components so that this shard sends exactly its part of the whole benchmark,
 * which every shard builds the same way (same settings, same `--random-seed`):
 *
 * - a dataset of sessions (entries with turns, session ids or timestamps), or one sent once
 *   through (a file, a trace): split by session, session `s` to shard `s mod N`;
 * - otherwise the sampler draws the global sequence of picks and keeps picks `k * N + I`;
 * - a `request_rate` (or plugin) timing strategy runs the global arrivals and keeps arrivals
 *   `k * N + I`; `fixed_concurrency` runs the shard's share of slots (set by
 *   {@linkcode shardSettings}); `fixed_schedule` sends the shard's sessions at their timestamps;
 *   the warmup's own timing strategy (`--warmup-request-rate` ...), if any, the same way.
 *
 * @param components The components created from the shard's settings.
 * @param shard This shard.
 * @param options The shard's settings, the timestamp shift, the start barrier.
 * @returns The wrapped components (the hook added last).
 *
 * @example
 * ```ts
 * import { shardComponents } from "./shard_components.ts";
 * import { resolveSettings } from "../config/resolve_settings.ts";
 * import { SequentialSampler } from "../samplers/sequential_sampler.ts";
 * import { FixedConcurrency } from "../timing/fixed_concurrency.ts";
 *
 * const entries = [0, 1, 2, 3, 4].map((i) => ({ prompt: `p${i}` }));
 * const sharded = shardComponents({
 *   endpoint: { name: "e", instance: { url: "", streaming: false, send: () => Promise.reject() } },
 *   timing: { name: "fixed_concurrency", instance: new FixedConcurrency() },
 *   dataset: { name: "d", instance: { load: () => Promise.resolve(entries) } },
 *   sampler: { name: "sequential", instance: new SequentialSampler() },
 *   hooks: [],
 *   exporters: [],
 * }, { index: 1, count: 2, from: "" }, { settings: resolveSettings({}) });
 * const loaded = await sharded.dataset.instance.load();
 * const picks = [0, 1].map(() => loaded[sharded.sampler.instance.next(loaded.length)]!.prompt);
 * if (picks.join() !== "p1,p3") throw new Error(`wrong: ${picks}`);
 * ```
 */
export function shardComponents(
  components: Components,
  shard: ShardIdentity,
  options: ShardComponentsOptions,
): Components {
  const { settings } = options;
  let split = false;
  const dataset = components.dataset;
  const load = async (): Promise<readonly DatasetEntry[]> => {
    const entries = await dataset.instance.load();
    split = settings.profiling.datasetOnce === true || settings.timing.name === "fixed_schedule" ||
      entries.some((e) =>
        (e.turns?.length ?? 0) > 0 || e.sessionId !== undefined || e.timestamp !== undefined
      );
    if (!split) return entries;
    return splitBySession(entries, shard, dataset.name, options.shiftTimestamps ?? false);
  };
  const picks = interleavedSampler(components.sampler.instance, shard);
  const sampler: DatasetSampler = {
    next: (size) => split ? components.sampler.instance.next(size) : picks.next(size),
  };
  const warmupTiming = components.warmupTiming;
  return {
    ...components,
    dataset: { name: dataset.name, instance: { load } },
    sampler: { name: components.sampler.name, instance: sampler },
    timing: shardTiming(components.timing, shard),
    ...(warmupTiming === undefined ? {} : { warmupTiming: shardTiming(warmupTiming, shard) }),
    hooks: options.hook === undefined
      ? components.hooks
      : [...components.hooks, { name: "shard", instance: options.hook }],
  };
}

// This shard's part of a timing strategy's schedule: its own slots (fixed_concurrency, shared by
// shardSettings) or sessions (fixed_schedule), else arrivals `k * N + I` of the global schedule.
function shardTiming(timing: Named<TimingStrategy>, shard: ShardIdentity): Named<TimingStrategy> {
  const ownSchedule = timing.name === "fixed_concurrency" || timing.name === "fixed_schedule";
  return ownSchedule
    ? timing
    : { name: timing.name, instance: interleavedTiming(timing.instance, shard) };
}
