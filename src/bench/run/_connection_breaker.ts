// Consecutive connection failures (refused, DNS, TLS, reset) back off, 50 ms doubling to 1 s
// between sends; after 8 of them over at least 2 s the phase stops and says why.

import type { EndpointResult, ErrorKind } from "../types.ts";

/** Failures that mean the server cannot be reached at all. */
const CONNECTION_FAILURES: ReadonlySet<ErrorKind | undefined> = new Set([
  "connection_refused",
  "dns",
  "tls",
  "connection",
]);
/** Consecutive connection failures, and how long they must have lasted, before a phase stops. */
const STOP_AFTER_FAILURES = 8;
const STOP_AFTER_MS = 2000;

/** Watches results for a server that went away. */
export class ConnectionBreaker {
  readonly #onStop: () => void;
  #streak = 0;
  #streakStart = 0;
  /** No request is sent before this `performance.now()` time (0: no back-off). */
  notBefore = 0;
  /** Why the phase was stopped, once it was. */
  stopped: string | undefined;

  /** @param onStop Stops the phase. */
  constructor(onStop: () => void) {
    this.#onStop = onStop;
  }

  /** Takes one finished (not cancelled) request into account. */
  observe(result: EndpointResult): void {
    if (CONNECTION_FAILURES.has(result.errorKind) && result.error !== undefined) {
      const now = performance.now();
      if (this.#streak++ === 0) this.#streakStart = now;
      this.notBefore = now + Math.min(1000, 50 * 2 ** (this.#streak - 1));
      const lasted = now - this.#streakStart;
      if (this.#streak >= STOP_AFTER_FAILURES && lasted >= STOP_AFTER_MS && !this.stopped) {
        this.stopped = `the server cannot be reached: ${this.#streak} consecutive connection ` +
          `failures over ${(lasted / 1000).toFixed(1)} s, the last: ${result.error}`;
        this.#onStop();
      }
    } else if (result.error === undefined) {
      this.#streak = 0;
      this.notBefore = 0;
    }
  }
}
