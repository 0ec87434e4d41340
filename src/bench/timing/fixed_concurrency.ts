import { sleepUntil } from "../_sleep.ts";
import type { PhaseDriver, TimingStrategy } from "../types.ts";

/** Configuration of {@linkcode FixedConcurrency}. */
export interface FixedConcurrencyConfig {
  /** Requests (or conversations) in flight at all times; default 1. */
  readonly concurrency?: number;
  /** Seconds over which concurrency ramps from 1 up (`--concurrency-ramp-duration`). */
  readonly ramp_duration?: number;
}

/**
 * The `fixed_concurrency` timing strategy: keeps `concurrency` requests in flight, starting the
 * next one as soon as one completes. With `ramp_duration`, it starts at 1 and adds one more
 * every `ramp_duration / (concurrency - 1)` seconds, reaching `concurrency` at `ramp_duration`
 * (AIPerf's `--concurrency-ramp-duration`).
 *
 * @example
 * ```ts
 * import { FixedConcurrency } from "./fixed_concurrency.ts";
 *
 * let issued = 0;
 * let inFlight = 0;
 * let peak = 0;
 * await new FixedConcurrency({ concurrency: 3 }).run({
 *   stopped: new AbortController().signal,
 *   startedAt: performance.now(),
 *   peek: () => undefined,
 *   issue() {
 *     if (issued === 10) return undefined;
 *     issued++;
 *     peak = Math.max(peak, ++inFlight);
 *     return new Promise((resolve) => setTimeout(() => resolve(void inFlight--), 1));
 *   },
 * });
 * if (issued !== 10 || peak !== 3) throw new Error("wrong");
 * ```
 */
export class FixedConcurrency implements TimingStrategy {
  /** Requests in flight at all times. */
  readonly concurrency: number;
  /** Milliseconds of the ramp; 0 without one. */
  readonly rampMs: number;

  /**
   * @param config `concurrency`, a positive integer; `ramp_duration`, seconds >= 0.
   * @throws {RangeError} When a value is out of range.
   */
  constructor(config: FixedConcurrencyConfig = {}) {
    const concurrency = config.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(
        `Invalid "concurrency": expected a positive integer, got ${concurrency}`,
      );
    }
    const ramp = config.ramp_duration ?? 0;
    if (!Number.isFinite(ramp) || ramp < 0) {
      throw new RangeError(`Invalid "ramp_duration": expected seconds >= 0, got ${ramp}`);
    }
    this.concurrency = concurrency;
    this.rampMs = ramp * 1000;
  }

  /** Runs `concurrency` workers that each issue requests back to back (later ones later). */
  async run(driver: PhaseDriver): Promise<void> {
    const step = this.concurrency > 1 ? this.rampMs / (this.concurrency - 1) : 0;
    const start = performance.now();
    const worker = async (_: unknown, i: number) => {
      if (i > 0 && step > 0 && !await sleepUntil(start + i * step, driver.stopped)) return;
      for (let request = driver.issue(); request !== undefined; request = driver.issue()) {
        await request;
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, worker));
  }
}
