import type { ShardIdentity } from "./resolve_shard.ts";

/**
 * How many of `total` interleaved items (requests, conversations, concurrency slots) fall to
 * `shard`: item `g` goes to shard `g mod count`, so the shares add up to `total` and differ by at
 * most one.
 *
 * @param total The whole benchmark's count.
 * @param shard The shard.
 * @returns The shard's part.
 *
 * @example
 * ```ts
 * import { shardShare } from "./shard_share.ts";
 *
 * const shares = [0, 1, 2].map((index) => shardShare(10, { index, count: 3, from: "" }));
 * if (shares.join() !== "4,3,3") throw new Error("wrong");
 * ```
 */
export function shardShare(total: number, shard: ShardIdentity): number {
  if (total <= shard.index) return 0;
  return Math.floor((total - shard.index - 1) / shard.count) + 1;
}
