// Holds a shard's profiling phase until the common start instant the coordinator names.

import type { PhaseHook } from "../types.ts";
import { nowMs } from "./_lines.ts";
import type { CoordinatorLink } from "./join_coordinator.ts";
import type { ShardIdentity } from "./resolve_shard.ts";

/** The phase hook and the instants it saw. */
export class CommonStart {
  /** The hook to add to the shard's components. */
  readonly hook: PhaseHook;
  /** The profiling phase's start on this shard's clock, epoch ms, once started. */
  profilingStart: number | undefined;
  /** The common start instant on shard 0's clock, epoch ms, once reached. */
  startInstant: number | undefined;

  /** Without a link (no coordinator), the hook only notes when profiling starts. */
  constructor(
    link: CoordinatorLink | undefined,
    shard: ShardIdentity,
    log: (line: string) => void,
  ) {
    // The common start is awaited at the end of the warmup (its onPhaseComplete), not in the
    // profiling phase's onPhaseStart: the duration's clock runs from before the phase's hooks,
    // and a wait there would shorten it. Without a warmup, a warmup of no request stands in.
    const hold = async () => {
      if (link !== undefined && this.startInstant === undefined) {
        this.startInstant = (await link.start("profiling")) + link.offsetMs;
        log(`Shard ${shard.index}: profiling started with the other shards`);
      }
    };
    this.hook = {
      async onPhaseComplete(summary) {
        if (summary.phase === "warmup") await hold();
      },
      onPhaseStart: async (phase) => {
        if (phase.phase !== "profiling") return;
        await hold();
        this.profilingStart = nowMs();
      },
    };
  }
}
