import { sleepUntil } from "../_sleep.ts";
import { randomSource } from "../samplers/_random.ts";
import type { PhaseDriver, TimingStrategy } from "../types.ts";

/** Configuration of {@linkcode RequestRate}. */
export interface RequestRateConfig {
  /** Requests per second; required. */
  readonly request_rate?: number;
  /** `constant` (evenly spaced, the default) or `poisson` (exponential gaps). */
  readonly arrival?: string;
  /** At most this many requests in flight; unlimited by default. */
  readonly max_concurrency?: number;
  /** Seed of the Poisson gaps, for repeatable schedules. */
  readonly seed?: number;
}

/**
 * The `request_rate` timing strategy: issues requests at `request_rate` per second, evenly
 * spaced (`arrival: constant`) or as a Poisson process (`arrival: poisson`), optionally capped
 * at `max_concurrency` in flight. Send times follow a schedule fixed from the phase start, so a
 * late timer does not slow the rate down.
 *
 * @example
 * ```ts
 * import { RequestRate } from "./request_rate.ts";
 *
 * let issued = 0;
 * await new RequestRate({ request_rate: 1000 }).run({
 *   stopped: new AbortController().signal,
 *   issue: () => issued++ < 5 ? Promise.resolve() : undefined,
 * });
 * if (issued !== 6) throw new Error("wrong");
 * ```
 */
export class RequestRate implements TimingStrategy {
  /** Requests per second. */
  readonly rate: number;
  /** `constant` or `poisson`. */
  readonly arrival: "constant" | "poisson";
  /** The cap on requests in flight. */
  readonly maxConcurrency: number;
  readonly #seed: number | undefined;

  /**
   * @param config `request_rate`, `arrival`, `max_concurrency`, `seed`.
   * @throws {RangeError} When a value is out of range.
   */
  constructor(config: RequestRateConfig = {}) {
    const rate = config.request_rate;
    if (rate === undefined || !Number.isFinite(rate) || rate <= 0) {
      throw new RangeError(`Invalid "request_rate": expected a number > 0, got ${rate}`);
    }
    const arrival = config.arrival ?? "constant";
    if (arrival !== "constant" && arrival !== "poisson") {
      throw new RangeError(`Invalid "arrival": expected "constant" or "poisson", got "${arrival}"`);
    }
    const max = config.max_concurrency ?? Infinity;
    if (max !== Infinity && (!Number.isInteger(max) || max < 1)) {
      throw new RangeError(`Invalid "max_concurrency": expected a positive integer, got ${max}`);
    }
    this.rate = rate;
    this.arrival = arrival;
    this.maxConcurrency = max;
    this.#seed = config.seed;
  }

  /** Issues requests on schedule until the driver stops. */
  async run(driver: PhaseDriver): Promise<void> {
    const random = randomSource(this.#seed);
    const mean = 1000 / this.rate;
    const gap = this.arrival === "constant" ? () => mean : () => -Math.log(1 - random()) * mean;
    const inFlight = new Set<Promise<void>>();
    let due = performance.now();
    for (;;) {
      if (!await sleepUntil(due, driver.stopped)) break;
      while (inFlight.size >= this.maxConcurrency) await Promise.race(inFlight);
      const request = driver.issue(due);
      if (request === undefined) break;
      const tracked = request.then(() => void inFlight.delete(tracked));
      inFlight.add(tracked);
      due += gap();
    }
    await Promise.all(inFlight);
  }
}
