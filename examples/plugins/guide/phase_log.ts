import type {
  PhaseHook,
  PhaseHookContext,
  PhaseStart,
  PhaseSummary,
  RequestRecord,
} from "@plugmap/plugmap/bench";

/** The config of {@linkcode PhaseLog}. */
export interface PhaseLogConfig {
  /** Fail the run when a phase has more failed requests than this. */
  readonly max_errors?: number;
}

/**
 * The `phase_log` phase hook: prints a line when a phase starts and when it completes (its
 * requests, errors and median latency), and fails the run when a phase has more failed requests
 * than `max_errors`.
 */
export class PhaseLog implements PhaseHook {
  readonly #maxErrors: number | undefined;
  readonly #context: PhaseHookContext;
  #completed = 0;

  constructor(config: PhaseLogConfig, context: PhaseHookContext) {
    this.#maxErrors = config.max_errors;
    this.#context = context;
  }

  onPhaseStart(start: PhaseStart): void {
    this.#completed = 0;
    this.#context.log(`phase_log: ${start.phase} started`);
  }

  // Called once per request, not awaited: keep it cheap.
  onRequestComplete(_record: RequestRecord): void {
    this.#completed++;
  }

  onPhaseComplete(summary: PhaseSummary): void {
    const p50 = summary.metrics.request_latency?.p50;
    this.#context.log(
      `phase_log: ${summary.phase}: ${this.#completed} completed, ` +
        `${summary.error_request_count} failed, ` +
        `median latency ${p50 === undefined ? "n/a" : `${p50.toFixed(1)} ms`}`,
    );
    if (
      this.#maxErrors !== undefined &&
      summary.error_request_count > this.#maxErrors
    ) {
      this.#context.fail(
        `${summary.phase}: ${summary.error_request_count} failed requests (max_errors ${this.#maxErrors})`,
      );
    }
  }
}
