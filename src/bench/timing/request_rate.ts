import { sleepUntil } from "../_sleep.ts";
import { gamma, randomSource } from "../_random.ts";
import type { PhaseDriver, TimingStrategy } from "../types.ts";

/** Configuration of {@linkcode RequestRate}. */
export interface RequestRateConfig {
  /** Requests per second; required. */
  readonly request_rate?: number;
  /**
   * `constant` (evenly spaced, the default), `poisson` (exponential gaps) or `gamma` (gamma
   * gaps of shape `smoothness`: below 1 burstier than Poisson, above 1 smoother).
   */
  readonly arrival?: string;
  /** The gamma shape (`--arrival-smoothness`, vLLM's `--burstiness`); default 1 (Poisson). */
  readonly smoothness?: number;
  /** Seconds over which the rate ramps linearly from 0 up (`--request-rate-ramp-duration`). */
  readonly ramp_duration?: number;
  /** At most this many requests in flight; unlimited by default. */
  readonly max_concurrency?: number;
  /**
   * Seconds over which the cap grows from 1 to `max_concurrency`, one more every
   * `concurrency_ramp_duration / (max_concurrency - 1)` seconds (`--concurrency-ramp-duration`).
   */
  readonly concurrency_ramp_duration?: number;
  /** Seed of the random gaps (`--random-seed`), for repeatable schedules. */
  readonly seed?: number;
}

/**
 * The `request_rate` timing strategy: issues requests at `request_rate` per second, evenly
 * spaced (`arrival: constant`), as a Poisson process (`arrival: poisson`) or with gamma gaps
 * (`arrival: gamma`, shape `smoothness`; AIPerf's `--arrival-pattern gamma`), optionally
 * capped at `max_concurrency` in flight (the cap growing from 1 over
 * `concurrency_ramp_duration`, AIPerf's `--concurrency-ramp-duration`, when set). With
 * `ramp_duration` the rate grows linearly from 0
 * to `request_rate` over that many seconds (the gaps are drawn at unit rate and stretched, so
 * the pattern holds during the ramp). Send times follow a schedule fixed from the phase start,
 * so a late timer does not slow the rate down.
 *
 * @example
 * ```ts
 * import { RequestRate } from "./request_rate.ts";
 *
 * let issued = 0;
 * await new RequestRate({ request_rate: 1000 }).run({
 *   stopped: new AbortController().signal,
 *   startedAt: performance.now(),
 *   peek: () => undefined,
 *   issue: () => issued++ < 5 ? Promise.resolve() : undefined,
 * });
 * if (issued !== 6) throw new Error("wrong");
 * ```
 */
export class RequestRate implements TimingStrategy {
  /** Requests per second. */
  readonly rate: number;
  /** `constant`, `poisson` or `gamma`. */
  readonly arrival: "constant" | "poisson" | "gamma";
  /** The gamma shape. */
  readonly smoothness: number;
  /** Milliseconds of the ramp; 0 without one. */
  readonly rampMs: number;
  /** The cap on requests in flight. */
  readonly maxConcurrency: number;
  /** Milliseconds over which the cap grows from 1; 0 without a ramp. */
  readonly capRampMs: number;
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
    if (arrival !== "constant" && arrival !== "poisson" && arrival !== "gamma") {
      throw new RangeError(
        `Invalid "arrival": expected "constant", "poisson" or "gamma", got "${arrival}"`,
      );
    }
    const smoothness = config.smoothness ?? 1;
    if (!Number.isFinite(smoothness) || smoothness <= 0) {
      throw new RangeError(`Invalid "smoothness": expected a number > 0, got ${smoothness}`);
    }
    const ramp = config.ramp_duration ?? 0;
    if (!Number.isFinite(ramp) || ramp < 0) {
      throw new RangeError(`Invalid "ramp_duration": expected seconds >= 0, got ${ramp}`);
    }
    const max = config.max_concurrency ?? Infinity;
    if (max !== Infinity && (!Number.isInteger(max) || max < 1)) {
      throw new RangeError(`Invalid "max_concurrency": expected a positive integer, got ${max}`);
    }
    const capRamp = config.concurrency_ramp_duration ?? 0;
    if (!Number.isFinite(capRamp) || capRamp < 0) {
      throw new RangeError(
        `Invalid "concurrency_ramp_duration": expected seconds >= 0, got ${capRamp}`,
      );
    }
    if (capRamp > 0 && max === Infinity) {
      throw new RangeError('Invalid "concurrency_ramp_duration": needs "max_concurrency"');
    }
    this.capRampMs = capRamp * 1000;
    this.rate = rate;
    this.arrival = arrival;
    this.smoothness = smoothness;
    this.rampMs = ramp * 1000;
    this.maxConcurrency = max;
    this.#seed = config.seed;
  }

  /** Issues requests on schedule until the driver stops. */
  async run(driver: PhaseDriver): Promise<void> {
    const random = randomSource(this.#seed);
    const shape = this.arrival === "poisson" ? 1 : this.smoothness;
    // Gaps in requests (mean 1), then mapped to milliseconds through the (ramped) rate.
    const gap = this.arrival === "constant" ? () => 1 : () => gamma(random, shape) / shape;
    const perMs = this.rate / 1000;
    const ramp = this.rampMs;
    const rampCount = perMs * ramp / 2; // requests due during the ramp
    const at = (count: number) =>
      count <= rampCount && ramp > 0
        ? Math.sqrt(2 * ramp * count / perMs)
        : ramp + (count - rampCount) / perMs;
    const inFlight = new Set<Promise<void>>();
    const start = performance.now();
    let count = 0;
    let due = start;
    for (;;) {
      if (!await sleepUntil(due, driver.stopped)) break;
      while (inFlight.size >= this.#cap(start)) {
        // Until one finishes, or until the ramp lets one more in.
        const wider = start + this.capRampMs * inFlight.size / (this.maxConcurrency - 1) + 0.5;
        const waits: Promise<unknown>[] = [...inFlight];
        if (this.capRampMs > 0 && inFlight.size < this.maxConcurrency) {
          waits.push(sleepUntil(wider, driver.stopped));
        }
        await Promise.race(waits);
        if (driver.stopped.aborted) break;
      }
      const request = driver.issue(due);
      if (request === undefined) break;
      const tracked = request.then(() => void inFlight.delete(tracked));
      inFlight.add(tracked);
      count += gap();
      due = start + at(count);
    }
    await Promise.all(inFlight);
  }

  // The cap now: max_concurrency, or during its ramp 1 plus one per step.
  #cap(start: number): number {
    if (this.capRampMs === 0) return this.maxConcurrency;
    const elapsed = performance.now() - start;
    if (elapsed >= this.capRampMs) return this.maxConcurrency;
    return 1 + Math.floor((this.maxConcurrency - 1) * elapsed / this.capRampMs);
  }
}
