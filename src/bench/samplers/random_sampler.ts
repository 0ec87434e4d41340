import type { DatasetSampler } from "../types.ts";
import { randomSource } from "../_random.ts";

/** Configuration of {@linkcode RandomSampler}. */
export interface RandomSamplerConfig {
  /** Seed for repeatable picks; unseeded by default. */
  readonly seed?: number;
}

/**
 * The `random` dataset sampler: uniform picks with replacement.
 *
 * @example
 * ```ts
 * import { RandomSampler } from "./random_sampler.ts";
 *
 * const a = new RandomSampler({ seed: 7 });
 * const b = new RandomSampler({ seed: 7 });
 * if (a.next(100) !== b.next(100)) throw new Error("not repeatable");
 * ```
 */
export class RandomSampler implements DatasetSampler {
  readonly #random: () => number;

  /** @param config `seed`. */
  constructor(config: RandomSamplerConfig = {}) {
    this.#random = randomSource(config.seed);
  }

  /** Returns a uniformly random index in `[0, size)`. */
  next(size: number): number {
    return Math.floor(this.#random() * size);
  }
}
