import { positiveNormalInteger, randomSource } from "../_random.ts";
import type { Dataset, DatasetEntry } from "../types.ts";
import { PromptGenerator } from "./_prompt_generator.ts";
import { DEFAULT_TOKENIZER, loadTokenizer } from "../tokens/load_tokenizer.ts";

/** Configuration of {@linkcode SyntheticDataset}; the names are AIPerf's flags. */
export interface SyntheticDatasetConfig {
  /** How many distinct prompts (`--num-dataset-entries`); default 100. */
  readonly count?: number;
  /** Mean prompt length in tokens (`--synthetic-input-tokens-mean`); default 32. */
  readonly input_tokens_mean?: number;
  /** Standard deviation of the prompt length (`--synthetic-input-tokens-stddev`); default 0. */
  readonly input_tokens_stddev?: number;
  /** Mean output tokens asked for (`--output-tokens-mean`), sent as `max_tokens`. */
  readonly output_tokens_mean?: number;
  /** Standard deviation of the output tokens asked for (`--output-tokens-stddev`). */
  readonly output_tokens_stddev?: number;
  /** Tokens of each shared prefix (`--prefix-prompt-length`); default 0, none. */
  readonly prefix_prompt_length?: number;
  /** How many different prefixes prompts draw from (`--num-prefix-prompts`); default 1. */
  readonly num_prefix_prompts?: number;
  /** The tokenizer lengths are exact in (`--tokenizer`); default cl100k_base. */
  readonly tokenizer?: string;
  /** Seed of the text and lengths (`--random-seed`); default 0, so runs repeat. */
  readonly seed?: number;
  /** Older name of `input_tokens_mean`. */
  readonly prompt_tokens?: number;
  /** Older name of `output_tokens_mean`. */
  readonly output_tokens?: number;
}

/**
 * The `synthetic` dataset: `count` prompts whose lengths are drawn from a normal distribution
 * (`input_tokens_mean`, `input_tokens_stddev`) and are exact in the chosen tokenizer, each one
 * different from the others (text stitched from random pieces of a corpus), with `max_tokens`
 * drawn the same way from `output_tokens_mean` and `output_tokens_stddev`. With
 * `prefix_prompt_length`, every prompt starts with one of `num_prefix_prompts` shared prefixes
 * of that many tokens (a prefix-cache workload), then has its own `input_tokens_mean` tokens.
 *
 * @example
 * ```ts
 * import { SyntheticDataset } from "./synthetic_dataset.ts";
 * import { encode } from "gpt-tokenizer/encoding/cl100k_base";
 *
 * const entries = await new SyntheticDataset({ count: 3, input_tokens_mean: 50 }).load();
 * if (!entries.every((e) => encode(e.prompt).length === 50)) throw new Error("wrong length");
 * if (new Set(entries.map((e) => e.prompt)).size !== 3) throw new Error("not distinct");
 * ```
 */
export class SyntheticDataset implements Dataset {
  readonly #count: number;
  readonly #inputMean: number;
  readonly #inputStddev: number;
  readonly #outputMean: number | undefined;
  readonly #outputStddev: number;
  readonly #prefixLength: number;
  readonly #prefixCount: number;
  readonly #tokenizer: string;
  readonly #seed: number;

  /**
   * @param config Sizes, tokenizer and seed.
   * @throws {RangeError} When a size is out of range.
   */
  constructor(config: SyntheticDatasetConfig = {}) {
    this.#count = positive(config.count ?? 100, "count");
    this.#inputMean = positive(
      config.input_tokens_mean ?? config.prompt_tokens ?? 32,
      "input_tokens_mean",
    );
    this.#inputStddev = nonNegative(config.input_tokens_stddev ?? 0, "input_tokens_stddev");
    const output = config.output_tokens_mean ?? config.output_tokens;
    this.#outputMean = output === undefined ? undefined : positive(output, "output_tokens_mean");
    this.#outputStddev = nonNegative(config.output_tokens_stddev ?? 0, "output_tokens_stddev");
    this.#prefixLength = config.prefix_prompt_length ?? 0;
    if (!Number.isInteger(this.#prefixLength) || this.#prefixLength < 0) {
      throw new RangeError(
        `Invalid "prefix_prompt_length": expected an integer >= 0, got ${this.#prefixLength}`,
      );
    }
    this.#prefixCount = positive(config.num_prefix_prompts ?? 1, "num_prefix_prompts");
    this.#tokenizer = config.tokenizer ?? DEFAULT_TOKENIZER;
    this.#seed = config.seed ?? 0;
  }

  /** Generates the prompts. */
  async load(): Promise<readonly DatasetEntry[]> {
    const generator = new PromptGenerator(await loadTokenizer(this.#tokenizer), this.#seed);
    const random = randomSource(this.#seed + 1);
    const prefixes = this.#prefixLength === 0
      ? [""]
      : Array.from({ length: this.#prefixCount }, () => generator.prompt(this.#prefixLength));
    const entries: DatasetEntry[] = [];
    for (let i = 0; i < this.#count; i++) {
      const prefix = prefixes[Math.floor(random() * prefixes.length)]!;
      const tokens = positiveNormalInteger(random, this.#inputMean, this.#inputStddev);
      const prompt = generator.prompt(tokens, prefix);
      entries.push(
        this.#outputMean === undefined ? { prompt } : {
          prompt,
          maxTokens: positiveNormalInteger(random, this.#outputMean, this.#outputStddev),
        },
      );
    }
    return entries;
  }
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Invalid "${name}": expected a positive integer, got ${value}`);
  }
  return value;
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`Invalid "${name}": expected a number >= 0, got ${value}`);
  }
  return value;
}
