import { BenchConfigError } from "../config/bench_config_error.ts";
import type { DatasetEntry } from "../types.ts";
import type { ShardIdentity } from "./resolve_shard.ts";

/**
 * This shard's entries of the whole dataset: sessions (entries sharing a `sessionId`; an entry
 * without one is its own session) are dealt out in order of first appearance, session `s` to
 * shard `s mod N`, so every turn of a conversation and every request of a trace session (and the
 * prefix reuse between them) stays on one shard. Order is kept.
 *
 * With `shiftTimestamps`, every timestamp (turns' too) is moved so that the whole trace's first
 * one is 0: the auto offset of the single-machine run, which a shard cannot see from its part.
 */
export function splitBySession(
  entries: readonly DatasetEntry[],
  shard: ShardIdentity,
  dataset: string,
  shiftTimestamps: boolean,
): DatasetEntry[] {
  const sessions = new Map<string, number>();
  const mine: DatasetEntry[] = [];
  let first = Infinity;
  if (shiftTimestamps) {
    for (const e of entries) if (e.timestamp !== undefined) first = Math.min(first, e.timestamp);
  }
  const shift = first === Infinity ? 0 : first;
  entries.forEach((entry, i) => {
    const key = entry.sessionId === undefined ? `\u0000${i}` : entry.sessionId;
    let session = sessions.get(key);
    if (session === undefined) sessions.set(key, session = sessions.size);
    if (session % shard.count !== shard.index) return;
    mine.push(shift === 0 ? entry : shifted(entry, shift));
  });
  if (mine.length === 0) {
    throw new BenchConfigError(
      `the dataset "${dataset}" has ${sessions.size} session${sessions.size === 1 ? "" : "s"} ` +
        `for ${shard.count} shards: shard ${shard.index} has nothing to send; use fewer shards`,
      { flag: "--shard" },
    );
  }
  return mine;
}

function shifted(entry: DatasetEntry, shift: number): DatasetEntry {
  return {
    ...entry,
    ...(entry.timestamp === undefined ? {} : { timestamp: entry.timestamp - shift }),
    ...(entry.turns === undefined ? {} : {
      turns: entry.turns.map((t) =>
        t.timestamp === undefined ? t : { ...t, timestamp: t.timestamp - shift }
      ),
    }),
  };
}
