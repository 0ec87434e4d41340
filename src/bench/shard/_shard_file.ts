// DIR/shard-I/shard.json: what a shard knows that its records do not (who it was, its clock
// offset to shard 0, when its profiling phase started). Written first at the common start (so a
// shard killed mid-run still leaves its clock offset), then again, with its exit status, when it
// finishes; each time whole (a temporary file renamed over it).

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
  /**
   * The profiling phase's start on this shard's clock, epoch ms: its records' time zero (the
   * merge puts them on the common time line from it and `clock_offset_ms`).
   */
  readonly profiling_start_ms?: number;
  /**
   * The common start instant the coordinator named, on shard 0's clock, epoch ms. The shard's
   * profiling phase starts there (`profiling_start_ms` + `clock_offset_ms`), or later by the
   * shard's lateness (a busy event loop, a server scrape slower than the 300 ms lead).
   */
  readonly start_instant_ms?: number;
  /** The shard's exit status; absent in the file written at the start (not finished). */
  readonly status?: number;
  /** The whole benchmark's timing settings (a shard's own are its share). */
  readonly timing_config?: Readonly<Record<string, unknown>>;
  /**
   * The whole run's sweep (the swept field and its values), when it is one: each value's
   * output, with a `shard.json` of its own (that value's start), is in `shard-I/FIELD_VALUE/`.
   */
  readonly sweep?: { readonly field: string; readonly values: readonly number[] };
  /** The goodput SLOs (`--goodput`), so the merge can count good requests again. */
  readonly goodput?: readonly Slo[];
  /** How late this shard's client was in the profiling phase. */
  readonly client_lateness?: ClientLateness;
}

/** The file name. */
export const SHARD_FILE = "shard.json";
