// DIR/shard-I/shard.json: what a shard knows that its records do not (who it was, its clock
// offset to shard 0, when its profiling phase started), written when it finishes.

import type { Slo } from "../metrics/parse_goodput.ts";
import type { ClientLateness } from "../types.ts";

/** The contents of `shard.json`. */
export interface ShardFile {
  /** The shard's index, from 0. */
  readonly index: number;
  /** How many shards the benchmark had. */
  readonly count: number;
  /** Where the identity came from (`--shard 1/3`, `SLURM_PROCID=1, SLURM_NTASKS=3`). */
  readonly from: string;
  /** The settings hash every shard agreed on. */
  readonly settings_hash: string;
  /** The coordinator's address, when there was one. */
  readonly coordinator?: string;
  /** Add to this shard's clock to get shard 0's, in ms (0 when not measured). */
  readonly clock_offset_ms: number;
  /** The round trip of the clock sample the offset came from; absent when not measured. */
  readonly clock_rtt_ms?: number;
  /** The profiling phase's start on this shard's clock, epoch ms. */
  readonly profiling_start_ms?: number;
  /** The common start instant the coordinator named, on shard 0's clock, epoch ms. */
  readonly start_instant_ms?: number;
  /** The shard's exit status. */
  readonly status: number;
  /** The whole benchmark's timing settings (a shard's own are its share). */
  readonly timing_config?: Readonly<Record<string, unknown>>;
  /** The goodput SLOs (`--goodput`), so the merge can count good requests again. */
  readonly goodput?: readonly Slo[];
  /** How late this shard's client was in the profiling phase. */
  readonly client_lateness?: ClientLateness;
}

/** The file name. */
export const SHARD_FILE = "shard.json";
