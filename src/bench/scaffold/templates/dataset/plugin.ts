import type { Dataset, DatasetEntry } from "../../../mod.ts";

/** The config of {@linkcode __Class__}, as its `config_schema` in registry.yaml declares it. */
export interface __Class__Config {
  /** The prompts. */
  readonly prompts: readonly string[];
  /** Output tokens to ask for. */
  readonly max_tokens?: number;
}

/**
 * The "__NAME__" dataset: the prompts listed in its config. The benchmark creates it
 * through its factory with `new __Class__(config, context)` when a benchmark file selects it.
 */
export class __Class__ implements Dataset {
  readonly #config: __Class__Config;

  /** @param config The validated config (defaults applied). */
  constructor(config: __Class__Config) {
    if (config.prompts.length === 0) throw new TypeError('Invalid "prompts": expected a prompt');
    this.#config = config;
  }

  /** Loads every entry; called once, before the first phase. */
  load(): Promise<readonly DatasetEntry[]> {
    const { prompts, max_tokens } = this.#config;
    return Promise.resolve(prompts.map((prompt) => ({
      prompt: String(prompt),
      ...(max_tokens === undefined ? {} : { maxTokens: max_tokens }),
    })));
  }
}
