import { BenchConfigError } from "../config/bench_config_error.ts";

/** Which part of a sharded benchmark this process runs. */
export interface ShardIdentity {
  /** The shard's index, from 0. */
  readonly index: number;
  /** How many shards the benchmark has. */
  readonly count: number;
  /** Where the identity came from: `--shard 1/3`, or the variables read (`SLURM_PROCID`, ...). */
  readonly from: string;
}

/** The environment variables `--shard auto` reads, in the order it tries them. */
export const SHARD_VARIABLES: readonly (readonly [string, string])[] = [
  ["SLURM_PROCID", "SLURM_NTASKS"],
  ["JOB_COMPLETION_INDEX", "BENCH_SHARD_COUNT"],
];

/**
 * Reads a shard's identity from `--shard I/N` (I from 0 to N - 1), or from the engine that
 * started it with `--shard auto`: Slurm (`SLURM_PROCID` of `SLURM_NTASKS`), or a Kubernetes
 * Indexed Job (`JOB_COMPLETION_INDEX`, with the shard count the rendered manifest passes in
 * `BENCH_SHARD_COUNT`).
 *
 * @param value The flag's value: `I/N` or `auto`.
 * @param env The environment (`Deno.env.toObject()`).
 * @returns The identity.
 * @throws {BenchConfigError} (flag `--shard`) For a malformed value, an index out of range, or
 * `auto` where no engine says who the shard is (the message names every variable looked for).
 *
 * @example
 * ```ts
 * import { resolveShard } from "./resolve_shard.ts";
 *
 * const shard = resolveShard("auto", { SLURM_PROCID: "2", SLURM_NTASKS: "3" });
 * if (shard.index !== 2 || shard.count !== 3) throw new Error("wrong");
 * ```
 */
export function resolveShard(
  value: string,
  env: Readonly<Record<string, string | undefined>>,
): ShardIdentity {
  if (value !== "auto") {
    const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
    if (match === null) {
      throw new BenchConfigError(`expected I/N (e.g. 0/4) or auto, got "${value}"`, {
        flag: "--shard",
      });
    }
    return checked(Number(match[1]), Number(match[2]), `--shard ${value.trim()}`);
  }
  for (const [indexName, countName] of SHARD_VARIABLES) {
    const index = env[indexName];
    const count = env[countName];
    if (index === undefined && count === undefined) continue;
    if (index === undefined || count === undefined) {
      throw new BenchConfigError(
        `auto found ${index === undefined ? countName : indexName} but not ` +
          `${index === undefined ? indexName : countName}; both are needed`,
        { flag: "--shard" },
      );
    }
    const from = `${indexName}=${index}, ${countName}=${count}`;
    if (!/^\d+$/.test(index.trim()) || !/^\d+$/.test(count.trim())) {
      throw new BenchConfigError(`auto expected integers, got ${from}`, { flag: "--shard" });
    }
    return checked(Number(index), Number(count), from);
  }
  const looked = SHARD_VARIABLES.map(([i, n]) => `${i} and ${n}`).join(", or ");
  throw new BenchConfigError(
    `auto cannot tell which shard this is: none of the variables looked for is set ` +
      `(${looked}); run under srun or a Kubernetes Indexed Job, or pass --shard I/N`,
    { flag: "--shard" },
  );
}

function checked(index: number, count: number, from: string): ShardIdentity {
  if (count < 1) {
    throw new BenchConfigError(`the shard count must be at least 1 (${from})`, {
      flag: "--shard",
    });
  }
  if (index >= count) {
    throw new BenchConfigError(
      `shard index ${index} is out of range: shards are numbered 0 to ${count - 1} (${from})`,
      { flag: "--shard" },
    );
  }
  return { index, count, from };
}
