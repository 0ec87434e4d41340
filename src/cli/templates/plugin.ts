/** The config of {@link __Class__}, as declared by its `config_schema` in registry.yaml. */
export interface __Class__Config {
  /** The word to greet with. */
  greeting: string;
}

/**
 * The "__NAME__" implementation of the "__CATEGORY__" category. The host creates it
 * with `new __Class__(config, context)` the first time it is asked for.
 */
export class __Class__ {
  #greeting: string;

  /**
   * @param config The validated config (defaults applied).
   */
  constructor(config: __Class__Config) {
    this.#greeting = config.greeting;
  }

  /**
   * Greets someone.
   *
   * @param name Whom to greet.
   * @returns The greeting.
   */
  run(name: string): string {
    return `${this.#greeting}, ${name}`;
  }
}
