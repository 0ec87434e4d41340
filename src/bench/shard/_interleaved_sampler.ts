import type { DatasetSampler } from "../types.ts";
import type { ShardIdentity } from "./resolve_shard.ts";

/**
 * Draws the whole benchmark's sequence of picks (same sampler, same seed) and returns this
 * shard's: its k-th pick is the global pick `k * N + I`, the one the global request of that
 * number would have sent.
 */
export function interleavedSampler(inner: DatasetSampler, shard: ShardIdentity): DatasetSampler {
  let first = true;
  return {
    next(size: number): number {
      const draws = first ? shard.index + 1 : shard.count;
      first = false;
      let pick = 0;
      for (let i = 0; i < draws; i++) pick = inner.next(size);
      return pick;
    },
  };
}
