import type { PhaseDriver, TimingStrategy } from "../../../mod.ts";

/** The config of {@linkcode __Class__}, as its `config_schema` in registry.yaml declares it. */
export interface __Class__Config {
  /** Milliseconds between a response and the next request. */
  readonly pause_ms: number;
}

/**
 * The "__NAME__" timing_strategy: one request at a time, with a pause between them. The benchmark creates it
 * through its factory with `new __Class__(config, context)` when a benchmark file selects it.
 */
export class __Class__ implements TimingStrategy {
  readonly #pauseMs: number;

  /** @param config The validated config (defaults applied). */
  constructor(config: __Class__Config) {
    this.#pauseMs = config.pause_ms;
  }

  /** Issues requests one after another until the phase stops. */
  async run(driver: PhaseDriver): Promise<void> {
    for (;;) {
      const done = driver.issue();
      if (done === undefined) return;
      await done;
      if (this.#pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#pauseMs));
    }
  }
}
