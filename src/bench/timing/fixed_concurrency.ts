import type { PhaseDriver, TimingStrategy } from "../types.ts";

/** Configuration of {@linkcode FixedConcurrency}. */
export interface FixedConcurrencyConfig {
  /** Requests in flight at all times; default 1. */
  readonly concurrency?: number;
}

/**
 * The `fixed_concurrency` timing strategy: keeps `concurrency` requests in flight, starting the
 * next one as soon as one completes.
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

  /**
   * @param config `concurrency`, a positive integer.
   * @throws {RangeError} When `concurrency` is not a positive integer.
   */
  constructor(config: FixedConcurrencyConfig = {}) {
    const concurrency = config.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(
        `Invalid "concurrency": expected a positive integer, got ${concurrency}`,
      );
    }
    this.concurrency = concurrency;
  }

  /** Runs `concurrency` workers that each issue requests back to back. */
  async run(driver: PhaseDriver): Promise<void> {
    const worker = async () => {
      for (let request = driver.issue(); request !== undefined; request = driver.issue()) {
        await request;
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, worker));
  }
}
