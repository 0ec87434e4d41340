import { sleepUntil } from "../_sleep.ts";
import type { PhaseDriver, TimingStrategy } from "../types.ts";

/** Configuration of {@linkcode FixedSchedule}. */
export interface FixedScheduleConfig {
  /** Count timestamps from the first entry's (`--fixed-schedule-auto-offset`); default false. */
  readonly auto_offset?: boolean;
  /**
   * The timestamp the schedule starts at (`--fixed-schedule-start-offset`, ms): an entry at it
   * goes at once; not with `auto_offset`. Which entries are sent is the host's window.
   */
  readonly start_offset?: number;
  /** Scale every timestamp by this factor (2 = half as fast); default 1. */
  readonly speedup?: number;
}

/**
 * The `fixed_schedule` timing strategy (`--fixed-schedule`): sends each dataset entry at its
 * `timestamp`, in milliseconds from the start of the phase (or from the first timestamp, with
 * `auto_offset`, or from `start_offset`), however many requests that puts in flight. Entries without a timestamp go
 * at once. How late each request started is measured and reported (`send_delay_ms`).
 *
 * @example
 * ```ts
 * import { FixedSchedule } from "./fixed_schedule.ts";
 *
 * const entries = [{ prompt: "a", timestamp: 0 }, { prompt: "b", timestamp: 30 }];
 * const sent: number[] = [];
 * const startedAt = performance.now();
 * await new FixedSchedule().run({
 *   stopped: new AbortController().signal,
 *   startedAt,
 *   peek: () => entries[sent.length],
 *   issue: () => entries[sent.push(performance.now() - startedAt) - 1] && Promise.resolve(),
 * });
 * if (sent.length !== 2 || sent[1]! < 29) throw new Error(`wrong: ${sent}`);
 * ```
 */
export class FixedSchedule implements TimingStrategy {
  readonly #autoOffset: boolean;
  readonly #startOffset: number;
  readonly #scale: number;

  /**
   * @param config `auto_offset`, `start_offset`, `speedup`.
   * @throws {RangeError} When `speedup` is not a number > 0, or `start_offset` is negative or
   * given with `auto_offset`.
   */
  constructor(config: FixedScheduleConfig = {}) {
    this.#autoOffset = config.auto_offset ?? false;
    this.#startOffset = config.start_offset ?? 0;
    if (!(this.#startOffset >= 0) || (this.#autoOffset && config.start_offset !== undefined)) {
      throw new RangeError(
        `Invalid "start_offset": expected a number >= 0 without auto_offset, got ` +
          `${config.start_offset}`,
      );
    }
    const speedup = config.speedup ?? 1;
    if (!Number.isFinite(speedup) || speedup <= 0) {
      throw new RangeError(`Invalid "speedup": expected a number > 0, got ${speedup}`);
    }
    this.#scale = 1 / speedup;
  }

  /** Issues each entry at its timestamp until the driver stops. */
  async run(driver: PhaseDriver): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    let offset: number | undefined;
    for (;;) {
      const entry = driver.peek();
      if (entry === undefined) break;
      let due = performance.now();
      if (entry.timestamp !== undefined) {
        offset ??= this.#autoOffset ? entry.timestamp : this.#startOffset;
        due = driver.startedAt + (entry.timestamp - offset) * this.#scale;
        if (!await sleepUntil(due, driver.stopped)) break;
      }
      const request = driver.issue(due);
      if (request === undefined) break;
      const tracked = request.then(() => void inFlight.delete(tracked));
      inFlight.add(tracked);
    }
    await Promise.all(inFlight);
  }
}
