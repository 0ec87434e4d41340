// A phase's clock: the stop signal (duration, counts, Ctrl-C, an unreachable server all end
// issuing through it) and the grace period after the duration, after which requests still in
// flight are abandoned.

/** When a phase stops issuing, and when its requests in flight are abandoned. */
export class PhaseClock {
  readonly #stopper = new AbortController();
  readonly #graceOver = new AbortController();
  readonly #interrupt: AbortSignal;
  readonly #onInterrupt = () => this.stop();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #graceTimer: ReturnType<typeof setTimeout> | undefined;
  /** Aborted on Ctrl-C, or when the grace period after the duration is over. */
  readonly abandon: AbortSignal;
  /** True once the duration has passed (a phase hook may still be starting). */
  timeUp = false;

  /**
   * Starts the clock.
   *
   * @param interrupt Ctrl-C: stops issuing and abandons what is in flight.
   * @param durationMs Stop issuing after this long, if given.
   * @param gracePeriodMs After the duration, abandon what is in flight after this long (never,
   * when absent).
   */
  constructor(interrupt: AbortSignal, durationMs?: number, gracePeriodMs?: number) {
    this.#interrupt = interrupt;
    this.abandon = AbortSignal.any([interrupt, this.#graceOver.signal]);
    interrupt.addEventListener("abort", this.#onInterrupt, { once: true });
    if (interrupt.aborted) this.stop();
    if (durationMs === undefined) return;
    this.#timer = setTimeout(() => {
      this.timeUp = true;
      this.stop();
      if (gracePeriodMs !== undefined) {
        this.#graceTimer = setTimeout(() => this.#graceOver.abort(), gracePeriodMs);
      }
    }, durationMs);
  }

  /** Aborted when the phase stops issuing. */
  get stopped(): AbortSignal {
    return this.#stopper.signal;
  }

  /** Stops issuing. */
  stop(): void {
    this.#stopper.abort();
  }

  /** Stops issuing and the timers. */
  dispose(): void {
    this.stop();
    clearTimeout(this.#timer);
    clearTimeout(this.#graceTimer);
    this.#interrupt.removeEventListener("abort", this.#onInterrupt);
  }
}
