// AIPerf's prefill concurrency (`--prefill-concurrency N`): at most N requests between their send
// and their first token. A request waits for a slot before it is sent and frees it when its first
// token arrives, or when it ends without one. With a ramp the limit grows from 1 to N, one more
// every ramp / (N - 1), as `--concurrency-ramp-duration` does for the requests in flight.

import { NumberColumn } from "../metrics/number_column.ts";
import type { PrefillQueue } from "../types.ts";

/** The slots of one phase. */
export class PrefillGate {
  /** The most requests in prefill at once. */
  readonly limit: number;
  /** Milliseconds over which the limit grows from 1; 0 without a ramp. */
  readonly rampMs: number;
  readonly #start = performance.now();
  readonly #queue: (() => void)[] = [];
  readonly #waits = new NumberColumn();
  #held = 0;
  #waited = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param limit A positive integer.
   * @param rampMs Milliseconds over which the limit grows from 1 (0: none).
   */
  constructor(limit: number, rampMs = 0) {
    this.limit = limit;
    this.rampMs = limit > 1 ? rampMs : 0;
  }

  /**
   * Waits for a slot. Resolves to a function that frees it (once, however often it is called),
   * or to `undefined` when `signal` aborts first.
   */
  acquire(signal: AbortSignal): Promise<(() => void) | undefined> {
    if (signal.aborted) return Promise.resolve(undefined);
    const since = performance.now();
    const { promise, resolve } = Promise.withResolvers<(() => void) | undefined>();
    const grant = () => {
      signal.removeEventListener("abort", onAbort);
      this.#held++;
      this.#waits.push(performance.now() - since);
      let held = true;
      resolve(() => {
        if (!held) return;
        held = false;
        this.#held--;
        this.#pump();
      });
    };
    const onAbort = () => {
      const at = this.#queue.indexOf(grant);
      if (at >= 0) this.#queue.splice(at, 1);
      resolve(undefined);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    if (this.#queue.length > 0 || this.#held >= this.#cap()) this.#waited++;
    this.#queue.push(grant);
    this.#pump();
    return promise;
  }

  /** What the phase reports: the limit, how many requests found no free slot, and the waits of all. */
  report(): PrefillQueue {
    const stats = NumberColumn.statistics([this.#waits], "ms", [50, 90, 99]);
    return {
      limit: this.limit,
      ...(this.rampMs > 0 ? { ramp_ms: this.rampMs } : {}),
      waited_requests: this.#waited,
      wait_ms: stats === undefined
        ? { p50: 0, p90: 0, p99: 0, max: 0 }
        : { p50: stats.p50!, p90: stats.p90!, p99: stats.p99!, max: stats.max! },
    };
  }

  /** Stops the ramp's timer. */
  dispose(): void {
    clearTimeout(this.#timer);
  }

  // Grants slots while there are some, in the order requests asked; during the ramp, wakes up
  // when the limit grows by one.
  #pump(): void {
    while (this.#queue.length > 0 && this.#held < this.#cap()) this.#queue.shift()!();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const cap = this.#cap();
    if (this.#queue.length > 0 && cap < this.limit) {
      const next = this.#start + this.rampMs * cap / (this.limit - 1);
      this.#timer = setTimeout(() => this.#pump(), Math.max(0, next - performance.now()) + 0.5);
    }
  }

  #cap(): number {
    if (this.rampMs === 0) return this.limit;
    const elapsed = performance.now() - this.#start;
    if (elapsed >= this.rampMs) return this.limit;
    return 1 + Math.floor((this.limit - 1) * elapsed / this.rampMs);
  }
}
