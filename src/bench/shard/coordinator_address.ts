import { BenchConfigError } from "../config/bench_config_error.ts";
import type { ShardIdentity } from "./resolve_shard.ts";

/** Where the coordinator listens. */
export interface CoordinatorAddress {
  /** Host name or address (no brackets around IPv6). */
  readonly hostname: string;
  /** TCP port. */
  readonly port: number;
  /** Where the address came from: the flag, or the Slurm variables read. */
  readonly from: string;
}

/**
 * Where shard 0's coordinator listens: `--coordinator HOST:PORT` (`[::1]:PORT` for IPv6), or on
 * Slurm the first node of the step (`SLURM_STEP_NODELIST`, else `SLURM_JOB_NODELIST`; ranges
 * such as `node[01-04]` expanded) on a port derived from the job and step ids (20000 to 39999),
 * so every task of one `srun` computes the same address. The Kubernetes manifests of
 * `bench:k8s` pass `--coordinator` (the headless Service's name for pod 0). Without either, there
 * is no coordinator: shards start independently and their clock offsets are not measured.
 *
 * @param flag The `--coordinator` value, if given.
 * @param shard This shard.
 * @param env The environment.
 * @returns The address, or `undefined` when there is none.
 * @throws {BenchConfigError} For a malformed `--coordinator`.
 *
 * @example
 * ```ts
 * import { coordinatorAddress } from "./coordinator_address.ts";
 *
 * const shard = { index: 1, count: 2, from: "SLURM_PROCID=1, SLURM_NTASKS=2" };
 * const address = coordinatorAddress(undefined, shard, {
 *   SLURM_STEP_NODELIST: "gpu[07-09],cpu1", SLURM_JOB_ID: "42", SLURM_STEP_ID: "0",
 * });
 * if (address?.hostname !== "gpu07") throw new Error("wrong");
 * ```
 */
export function coordinatorAddress(
  flag: string | undefined,
  shard: ShardIdentity,
  env: Readonly<Record<string, string | undefined>>,
): CoordinatorAddress | undefined {
  if (flag !== undefined) {
    const match = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(flag.trim());
    const port = Number(match?.[3]);
    if (match === null || port > 65535) {
      throw new BenchConfigError(`expected HOST:PORT (e.g. bench-0.bench:7878), got "${flag}"`, {
        flag: "--coordinator",
      });
    }
    return { hostname: match[1] ?? match[2]!, port, from: "--coordinator" };
  }
  if (!shard.from.startsWith("SLURM_")) return undefined;
  const list = env.SLURM_STEP_NODELIST ?? env.SLURM_JOB_NODELIST;
  const first = list === undefined ? undefined : firstNode(list);
  if (first === undefined) return undefined;
  const job = Number(env.SLURM_JOB_ID ?? 0);
  const step = Number(env.SLURM_STEP_ID ?? 0);
  const port = 20000 + ((job * 31 + step) % 20000 + 20000) % 20000;
  return { hostname: first, port, from: `the first node of ${list} (Slurm)` };
}

// "a[01-03,07],b" → "a01"; "host" → "host".
function firstNode(list: string): string | undefined {
  const match = /^([^,[]+)(?:\[([^\]]+)\])?/.exec(list.trim());
  if (match === null) return undefined;
  const prefix = match[1]!;
  if (match[2] === undefined) return prefix;
  const range = match[2].split(",")[0]!.split("-")[0]!;
  return prefix + range;
}
