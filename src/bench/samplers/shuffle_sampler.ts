import type { DatasetSampler } from "../types.ts";
import { randomSource } from "../_random.ts";

/** Configuration of {@linkcode ShuffleSampler}. */
export interface ShuffleSamplerConfig {
  /** Seed for repeatable orders; unseeded by default. */
  readonly seed?: number;
}

/**
 * The `shuffle` dataset sampler: every entry once in a random order, then a new order.
 *
 * @example
 * ```ts
 * import { ShuffleSampler } from "./shuffle_sampler.ts";
 *
 * const sampler = new ShuffleSampler({ seed: 1 });
 * const picks = [0, 1, 2, 3, 4].map(() => sampler.next(5));
 * if ([...picks].sort().join() !== "0,1,2,3,4") throw new Error("not a permutation");
 * ```
 */
export class ShuffleSampler implements DatasetSampler {
  readonly #random: () => number;
  #order: number[] = [];
  #position = 0;

  /** @param config `seed`. */
  constructor(config: ShuffleSamplerConfig = {}) {
    this.#random = randomSource(config.seed);
  }

  /** Returns the next index of the current permutation of `[0, size)`. */
  next(size: number): number {
    if (this.#order.length !== size || this.#position >= size) {
      // Fisher-Yates
      this.#order = Array.from({ length: size }, (_, i) => i);
      for (let i = size - 1; i > 0; i--) {
        const j = Math.floor(this.#random() * (i + 1));
        [this.#order[i], this.#order[j]] = [this.#order[j]!, this.#order[i]!];
      }
      this.#position = 0;
    }
    return this.#order[this.#position++]!;
  }
}
