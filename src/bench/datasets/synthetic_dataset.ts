import { randomSource } from "../samplers/_random.ts";
import type { Dataset, DatasetEntry } from "../types.ts";

/** Configuration of {@linkcode SyntheticDataset}. */
export interface SyntheticDatasetConfig {
  /** How many distinct prompts; default 100. */
  readonly count?: number;
  /** Words per prompt (one word is one token on the embedded server); default 32. */
  readonly prompt_tokens?: number;
  /** Output tokens to ask for; the endpoint's setting applies when absent. */
  readonly output_tokens?: number;
  /** Seed of the words; default 0, so prompts are the same from run to run. */
  readonly seed?: number;
}

const VOCABULARY = (
  "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november " +
  "oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu"
).split(" ");

/**
 * The `synthetic` dataset: `count` prompts of `prompt_tokens` random words each.
 *
 * @example
 * ```ts
 * import { SyntheticDataset } from "./synthetic_dataset.ts";
 *
 * const entries = await new SyntheticDataset({ count: 2, prompt_tokens: 5 }).load();
 * if (entries.length !== 2 || entries[0]?.prompt.split(" ").length !== 5) throw new Error("wrong");
 * ```
 */
export class SyntheticDataset implements Dataset {
  readonly #count: number;
  readonly #promptTokens: number;
  readonly #outputTokens: number | undefined;
  readonly #seed: number;

  /**
   * @param config `count`, `prompt_tokens`, `output_tokens`, `seed`.
   * @throws {RangeError} When a size is not a positive integer.
   */
  constructor(config: SyntheticDatasetConfig = {}) {
    this.#count = positive(config.count ?? 100, "count");
    this.#promptTokens = positive(config.prompt_tokens ?? 32, "prompt_tokens");
    this.#outputTokens = config.output_tokens === undefined
      ? undefined
      : positive(config.output_tokens, "output_tokens");
    this.#seed = config.seed ?? 0;
  }

  /** Generates the prompts. */
  load(): Promise<readonly DatasetEntry[]> {
    const random = randomSource(this.#seed);
    const entries: DatasetEntry[] = [];
    for (let i = 0; i < this.#count; i++) {
      const words: string[] = [];
      for (let w = 0; w < this.#promptTokens; w++) {
        words.push(VOCABULARY[Math.floor(random() * VOCABULARY.length)]!);
      }
      const prompt = words.join(" ");
      entries.push(
        this.#outputTokens === undefined ? { prompt } : { prompt, maxTokens: this.#outputTokens },
      );
    }
    return Promise.resolve(entries);
  }
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Invalid "${name}": expected a positive integer, got ${value}`);
  }
  return value;
}
