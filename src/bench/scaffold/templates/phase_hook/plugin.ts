import type { PhaseHook, PhaseHookContext, PhaseStart, PhaseSummary } from "../../../mod.ts";

/** The config of {@linkcode __Class__}, as its `config_schema` in registry.yaml declares it. */
export interface __Class__Config {
  /** Printed before each line. */
  readonly prefix: string;
}

/**
 * The "__NAME__" phase_hook: prints a line when a phase starts and when it completes. The benchmark creates it
 * through its factory with `new __Class__(config, context)` when a benchmark file selects it.
 */
export class __Class__ implements PhaseHook {
  readonly #prefix: string;
  readonly #context: PhaseHookContext;

  /**
   * @param config The validated config (defaults applied).
   * @param context `log` prints a line; `fail` makes the run exit non-zero.
   */
  constructor(config: __Class__Config, context: PhaseHookContext) {
    this.#prefix = config.prefix;
    this.#context = context;
  }

  /** Called when a phase starts. */
  onPhaseStart(start: PhaseStart): void {
    this.#context.log(`${this.#prefix} ${start.phase} started`);
  }

  /** Called when a phase is complete, with its statistics. */
  onPhaseComplete(summary: PhaseSummary): void {
    this.#context.log(
      `${this.#prefix} ${summary.phase}: ${summary.request_count} requests, ` +
        `${summary.error_request_count} errors`,
    );
  }
}
