import type { PhaseDriver, TimingStrategy } from "../types.ts";
import type { ShardIdentity } from "./resolve_shard.ts";

/**
 * Runs the whole benchmark's timing strategy (same settings, same seed: the same arrivals on every
 * shard) and lets through only this shard's arrivals: arrival `g` goes to shard `g mod N`. The
 * others cost nothing (they resolve at once), so the strategy's own clock keeps the global
 * schedule.
 */
export function interleavedTiming(inner: TimingStrategy, shard: ShardIdentity): TimingStrategy {
  return {
    run(driver: PhaseDriver): Promise<void> {
      let arrival = 0;
      const view: PhaseDriver = {
        stopped: driver.stopped,
        startedAt: driver.startedAt,
        peek: () => driver.peek(),
        issue(due?: number) {
          if (driver.stopped.aborted) return undefined;
          if (arrival++ % shard.count !== shard.index) return Promise.resolve();
          return driver.issue(due);
        },
      };
      return inner.run(view);
    },
  };
}
