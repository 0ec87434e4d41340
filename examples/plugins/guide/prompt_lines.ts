import type { Dataset, DatasetContext, DatasetEntry } from "@plugmap/plugmap/bench";

/** The config of {@linkcode PromptLines}. */
export interface PromptLinesConfig {
  /** The file, relative to the benchmark file. */
  readonly path: string;
}

/** The `prompt_lines` dataset: a text file, one prompt per line (blank lines skipped). */
export class PromptLines implements Dataset {
  readonly #url: URL;

  constructor(config: PromptLinesConfig, context: DatasetContext) {
    // Relative to the benchmark file (or the working directory when there is none).
    this.#url = new URL(
      config.path,
      context.baseUrl ?? `file://${Deno.cwd()}/`,
    );
  }

  async load(): Promise<readonly DatasetEntry[]> {
    const text = await Deno.readTextFile(this.#url);
    const prompts = text.split(/\r?\n/).map((line) => line.trim()).filter(
      Boolean,
    );
    if (prompts.length === 0) {
      throw new RangeError(`No prompts in ${this.#url.pathname}`);
    }
    return prompts.map((prompt) => ({ prompt }));
  }
}
