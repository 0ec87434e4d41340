// Holds a shard's profiling phase until the common start instant the coordinator names; in a
// sweep, once per value (each value a round of its own).

import type { StartGate } from "../run/run_benchmark.ts";
import type { PhaseHook } from "../types.ts";
import { nowMs } from "./_lines.ts";
import { type CoordinatorLink, waitUntil } from "./join_coordinator.ts";
import type { ShardIdentity } from "./resolve_shard.ts";

// How long before the instant the profiling phase's boundary scrape of the server's metrics
// starts (the coordinator names the instant 300 ms ahead); a slower scrape makes the start late.
const SCRAPE_BUDGET_MS = 100;

/** The start gate, the phase hook, and the instants they saw. */
export class CommonStart {
  /**
   * The run's start gate (`RunOptions.startGate`): after the warmup, every shard reports ready
   * and shard 0 names the instant; 100 ms before it the profiling phase's boundary scrape of the
   * server's metrics starts; then the shard waits for the instant. Absent without a coordinator.
   */
  readonly gate: StartGate | undefined;
  /** The hook to add to the shard's components, last: it notes when profiling starts. */
  readonly hook: PhaseHook;
  /**
   * The profiling phase's start on this shard's clock, epoch ms, once started: taken in the
   * last phase hook's `onPhaseStart`, just before the phase's time zero (its records'
   * `start_ms` count from there); the instant, or later by this process's lateness.
   */
  profilingStart: number | undefined;
  /** The common start instant on shard 0's clock, epoch ms, once named. */
  startInstant: number | undefined;
  #phase = "profiling";

  /**
   * Without a link (no coordinator), there is no gate and the hook only notes when profiling
   * starts. `onStart` is called (not awaited) once the profiling phase has started.
   */
  constructor(
    link: CoordinatorLink | undefined,
    shard: ShardIdentity,
    log: (line: string) => void,
    onStart: () => void = () => {},
  ) {
    let local: number | undefined;
    this.gate = link === undefined ? undefined : {
      agree: async () => {
        local = await link.agree(this.#phase);
        this.startInstant = local + link.offsetMs;
        // The server's boundary scrape comes next: close to the instant, so the server's window
        // opens at most SCRAPE_BUDGET_MS before the requests start.
        await waitUntil(local - SCRAPE_BUDGET_MS);
      },
      reach: async () => {
        if (local !== undefined) await waitUntil(local);
        log(`Shard ${shard.index}: ${this.#phase} started with the other shards`);
      },
    };
    this.hook = {
      onPhaseStart: (phase) => {
        if (phase.phase !== "profiling") return;
        this.profilingStart = nowMs();
        onStart();
      },
    };
  }

  /** Starts a new round (a sweep's next value): the next profiling phase waits for its own start. */
  round(name: string): void {
    this.#phase = name;
    this.profilingStart = undefined;
    this.startInstant = undefined;
  }
}
