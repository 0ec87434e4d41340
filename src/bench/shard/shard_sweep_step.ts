import type { SweepStep } from "../sweep/run_sweep.ts";
import { interleavedTiming } from "./_interleaved_timing.ts";
import type { CoordinatorLink } from "./join_coordinator.ts";
import type { ShardIdentity } from "./resolve_shard.ts";
import { shardShare } from "./shard_share.ts";

/**
 * How a shard runs its part of a sweep: each value's concurrency (`concurrency`, or
 * `max_concurrency` with a request rate) is split over the shards as for one run, the value's
 * arrivals are interleaved (arrival `g` to shard `g mod N`), `begin` is called with each value's
 * directory (the shard starts a new round of the common start there), and at each value's end
 * the shards' counts are summed by the coordinator, so every shard decides alike whether the
 * sweep goes on. Without a coordinator, each shard's own counts decide.
 *
 * @param shard This shard.
 * @param link The link to the coordinator, if there is one.
 * @param begin Called before each value runs, with its directory name.
 * @returns The step for `runSweep`.
 *
 * @example
 * ```ts
 * import { shardSweepStep } from "./shard_sweep_step.ts";
 *
 * const step = shardSweepStep({ index: 0, count: 3, from: "--shard 0/3" }, undefined, () => {});
 * if (step.config({ concurrency: 8 }).concurrency !== 3) throw new Error("wrong share");
 * ```
 */
export function shardSweepStep(
  shard: ShardIdentity,
  link: CoordinatorLink | undefined,
  begin: (dir: string) => void,
): SweepStep {
  return {
    config(config) {
      const split: Record<string, unknown> = { ...config };
      for (const field of ["concurrency", "max_concurrency"]) {
        const total = split[field];
        if (typeof total === "number") split[field] = shardShare(total, shard);
      }
      return split;
    },
    timing: (name, timing) =>
      name === "fixed_concurrency" || name === "fixed_schedule"
        ? timing
        : interleavedTiming(timing, shard),
    begin,
    agree: (dir, counts) => link?.tally(`step after ${dir}`, counts) ?? Promise.resolve(counts),
  };
}
