// The client's own lateness: how late a 10 ms timer fires (event-loop delay) and how far request
// starts fall behind their schedule. A busy client shows up as server latency, so it is measured
// in every phase and compared with the time to first token.

import { NumberColumn } from "../metrics/number_column.ts";
import type { ClientLateness } from "../types.ts";

const TICK_MS = 10;

/** Measures event-loop delay from `start()` to `stop()`; collects send delays meanwhile. */
export class LatenessMonitor {
  readonly #loop = new NumberColumn(1024);
  readonly #send = new NumberColumn();
  #timer: ReturnType<typeof setInterval> | undefined;

  /** Starts the timer. */
  start(): void {
    let expected = performance.now() + TICK_MS;
    this.#timer = setInterval(() => {
      const now = performance.now();
      this.#loop.push(Math.max(0, now - expected));
      expected = now + TICK_MS;
    }, TICK_MS);
  }

  /** Records how late one request started (ms). */
  sendDelay(ms: number): void {
    this.#send.push(Math.max(0, ms));
  }

  /**
   * Stops the timer and reports; warns when the typical delay (event-loop delay p90, or the
   * median start behind schedule) exceeds 10 % of `ttftP50` and 5 ms: a reply's chunks are
   * read that much late, so the time to first token reads that much high.
   *
   * @param ttftP50 The phase's median time to first token (or request latency), if any.
   */
  stop(ttftP50: number | undefined): ClientLateness {
    clearInterval(this.#timer);
    const loop = summary(this.#loop);
    const send = summary(this.#send);
    const worst = Math.max(loop.p90, send.p50);
    const limit = ttftP50 === undefined ? Infinity : Math.max(5, ttftP50 * 0.1);
    const warning = worst > limit
      ? `the client itself was late (event-loop delay p90 ${loop.p90.toFixed(1)} ms, request ` +
        `starts behind schedule p50 ${send.p50.toFixed(1)} ms) against a time to first token ` +
        `p50 of ${ttftP50!.toFixed(1)} ms: latencies include the client's own delay; lower the ` +
        "concurrency, add --workers, or shard the run over several machines (--shard, " +
        "docs/scaling.md)"
      : undefined;
    return {
      event_loop_delay_ms: loop,
      send_delay_ms: send,
      ...(warning === undefined ? {} : { warning }),
    };
  }
}

function summary(values: NumberColumn): { p50: number; p90: number; p99: number; max: number } {
  const stats = NumberColumn.statistics([values], "ms", [50, 90, 99]);
  if (stats === undefined) return { p50: 0, p90: 0, p99: 0, max: 0 };
  return { p50: stats.p50!, p90: stats.p90!, p99: stats.p99!, max: stats.max! };
}
