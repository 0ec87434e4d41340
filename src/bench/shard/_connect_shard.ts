// A shard's way to the coordinator: shard 0 starts it (when there is an address), then every
// shard joins it; without an address, shards start independently (a warning says so).

import type { CoordinatorAddress } from "./coordinator_address.ts";
import { CoordinatorError, type CoordinatorLink, joinCoordinator } from "./join_coordinator.ts";
import type { ShardIdentity } from "./resolve_shard.ts";
import { type Coordinator, startCoordinator } from "./start_coordinator.ts";

/** The coordinator (on shard 0) and the link to it, when there is one. */
export interface ShardConnection {
  readonly coordinator?: Coordinator;
  readonly link?: CoordinatorLink;
}

const LOOPBACK = /^(127\.|localhost$|::1$)/;

/** Starts the coordinator on shard 0 and joins it; closes the coordinator again on failure. */
export async function connectShard(
  shard: ShardIdentity,
  address: CoordinatorAddress | undefined,
  hash: string,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<ShardConnection> {
  if (address === undefined) {
    if (shard.count > 1) {
      log(
        `warning: shard ${shard.index} of ${shard.count} runs without a coordinator ` +
          "(--coordinator HOST:PORT): shards start independently and clock offsets are not measured",
      );
    }
    return {};
  }
  const coordinator = shard.index === 0
    ? hostCoordinator(shard, address, timeoutMs, log)
    : undefined;
  try {
    const link = await joinCoordinator({
      // Shard 0 listens on every interface for a non-loopback name: it joins through loopback.
      hostname: coordinator !== undefined && !LOOPBACK.test(address.hostname)
        ? "127.0.0.1"
        : address.hostname,
      port: address.port,
      index: shard.index,
      count: shard.count,
      hash,
      timeoutMs,
    });
    log(
      `Shard ${shard.index} of ${shard.count} (${shard.from}): settings agreed, clock offset ` +
        `${link.offsetMs.toFixed(3)} ms (round trip ${link.rttMs.toFixed(3)} ms)`,
    );
    return { ...(coordinator === undefined ? {} : { coordinator }), link };
  } catch (error) {
    coordinator?.close();
    throw error;
  }
}

function hostCoordinator(
  shard: ShardIdentity,
  address: CoordinatorAddress,
  timeoutMs: number,
  log: (line: string) => void,
): Coordinator {
  let coordinator: Coordinator;
  try {
    coordinator = startCoordinator({
      hostname: LOOPBACK.test(address.hostname) ? address.hostname : "0.0.0.0",
      port: address.port,
      count: shard.count,
      timeoutMs,
    });
  } catch (error) {
    throw new CoordinatorError(
      `Cannot start the coordinator on port ${address.port} (${address.from}): ` +
        `${(error as Error).message}; pass --coordinator HOST:PORT with a free port`,
    );
  }
  log(
    `Shard 0 of ${shard.count}: coordinator on ${address.hostname}:${address.port} ` +
      `(${address.from})`,
  );
  return coordinator;
}
