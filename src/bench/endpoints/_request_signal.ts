// One request's abort signal: the run's signal (Ctrl-C, the grace period) or the request's own
// time-out, whichever comes first, released when the request ends. AbortSignal.timeout and
// AbortSignal.any would keep every request's signals (and what they hold) alive until its
// time-out fires, 10 minutes by default: a long fast run would grow by about a kilobyte per
// request.

/** A request's signal, and whether its time-out fired. */
export interface RequestSignal {
  /** Aborted when the run's signal is, or when the time-out fires. */
  readonly signal: AbortSignal;
  /** True once the time-out fired. */
  timedOut(): boolean;
  /** Clears the timer and unlinks from the run's signal; call when the request ends. */
  dispose(): void;
}

/** Links a request to the run's `outer` signal and a `timeoutMs` timer until `dispose()`. */
export function requestSignal(outer: AbortSignal, timeoutMs: number): RequestSignal {
  const controller = new AbortController();
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
    controller.abort(new DOMException(`Timed out after ${timeoutMs} ms`, "TimeoutError"));
  }, timeoutMs);
  const onAbort = () => controller.abort(outer.reason);
  if (outer.aborted) onAbort();
  else outer.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => fired,
    dispose() {
      clearTimeout(timer);
      outer.removeEventListener("abort", onAbort);
    },
  };
}
