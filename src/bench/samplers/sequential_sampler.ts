import type { DatasetSampler } from "../types.ts";

/**
 * The `sequential` dataset sampler: entries in order, starting over after the last.
 *
 * @example
 * ```ts
 * import { SequentialSampler } from "./sequential_sampler.ts";
 *
 * const sampler = new SequentialSampler();
 * const picks = [0, 1, 2, 3].map(() => sampler.next(3));
 * if (picks.join() !== "0,1,2,0") throw new Error("wrong");
 * ```
 */
export class SequentialSampler implements DatasetSampler {
  #position = 0;

  /** Takes no configuration. */
  constructor(_config: Record<string, never> = {}) {}

  /** Returns the next index, wrapping at `size`. */
  next(size: number): number {
    const index = this.#position % size;
    this.#position = index + 1;
    return index;
  }
}
