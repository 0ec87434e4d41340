import type { DatasetSampler } from "../../../mod.ts";

/**
 * The "__NAME__" dataset_sampler: dataset entries from the last to the first, then again. The benchmark creates it
 * through its factory with `new __Class__(config, context)` when a benchmark file selects it.
 */
export class __Class__ implements DatasetSampler {
  #count = 0;

  /** Returns the index of the entry the next request uses, in `[0, size)`. */
  next(size: number): number {
    return size - 1 - (this.#count++ % size);
  }
}
