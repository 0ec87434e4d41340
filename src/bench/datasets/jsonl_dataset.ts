import { resolveLocation } from "../_file_url.ts";
import type { Dataset, DatasetContext, DatasetEntry } from "../types.ts";

/** Configuration of {@linkcode JsonlDataset}. */
export interface JsonlDatasetConfig {
  /** The file: a path or URL, relative to the benchmark file. Required. */
  readonly path?: string;
  /** The field holding the prompt; default `prompt` (`text` is accepted too). */
  readonly prompt_field?: string;
}

export type { DatasetContext };

/**
 * The `jsonl` dataset: one JSON object per line, with the prompt in `prompt` (or `text`, or the
 * configured `prompt_field`) and optionally `max_tokens`. Blank lines are skipped.
 *
 * @example
 * ```ts
 * import { JsonlDataset } from "./jsonl_dataset.ts";
 *
 * const file = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(file, '{"prompt": "hi", "max_tokens": 3}\n\n{"text": "there"}\n');
 * const entries = await new JsonlDataset({ path: file }).load();
 * await Deno.remove(file);
 * if (entries.length !== 2 || entries[0]?.maxTokens !== 3) throw new Error("wrong");
 * ```
 */
export class JsonlDataset implements Dataset {
  readonly #url: URL;
  readonly #field: string | undefined;

  /**
   * @param config `path`, `prompt_field`.
   * @param context `baseUrl` for relative paths.
   * @throws {TypeError} When `path` is missing.
   */
  constructor(config: JsonlDatasetConfig, context: DatasetContext = {}) {
    if (!config.path) throw new TypeError('Invalid jsonl dataset: "path" is required');
    this.#url = resolveLocation(config.path, context.baseUrl);
    this.#field = config.prompt_field;
  }

  /**
   * Reads and parses the file.
   *
   * @throws {SyntaxError} With the file and line when a line is not a JSON object with a prompt.
   */
  async load(): Promise<readonly DatasetEntry[]> {
    const text = this.#url.protocol === "file:"
      ? await Deno.readTextFile(this.#url)
      : await (await fetch(this.#url)).text();
    const entries: DatasetEntry[] = [];
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === "") continue;
      const where = `${this.#url.href}:${i + 1}`;
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch (error) {
        throw new SyntaxError(`Cannot read dataset "${where}": ${(error as Error).message}`);
      }
      if (typeof row !== "object" || row === null) {
        throw new SyntaxError(`Cannot read dataset "${where}": expected a JSON object`);
      }
      const record = row as Record<string, unknown>;
      const prompt = this.#field === undefined ? record.prompt ?? record.text : record[this.#field];
      if (typeof prompt !== "string") {
        const field = this.#field ?? "prompt";
        throw new SyntaxError(`Cannot read dataset "${where}": "${field}" must be a string`);
      }
      const max = record.max_tokens;
      if (max !== undefined && (typeof max !== "number" || !Number.isInteger(max) || max < 1)) {
        throw new SyntaxError(
          `Cannot read dataset "${where}": "max_tokens" must be a positive integer`,
        );
      }
      entries.push(max === undefined ? { prompt } : { prompt, maxTokens: max });
    }
    if (entries.length === 0) {
      throw new SyntaxError(`Cannot read dataset "${this.#url.href}": no prompts`);
    }
    return entries;
  }
}
