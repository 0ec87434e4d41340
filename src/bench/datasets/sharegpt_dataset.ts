import type { Dataset, DatasetEntry } from "../types.ts";
import {
  type DatasetContext,
  datasetUrl,
  displayName,
  Problems,
  readText,
} from "./_dataset_file.ts";
import { DEFAULT_TOKENIZER, loadTokenizer } from "../tokens/load_tokenizer.ts";

/** Configuration of {@linkcode ShareGPTDataset}. */
export interface ShareGPTDatasetConfig {
  /** The ShareGPT JSON file (`--input-file`), relative to the benchmark file. */
  readonly path?: string;
  /** The tokenizer lengths are counted in; default cl100k_base. */
  readonly tokenizer?: string;
  /** Ask every request for this many output tokens instead of the reply's length. */
  readonly output_len?: number;
  /** Skip conversations vLLM's benchmark skips (too short, too long); default true. */
  readonly filter?: boolean;
}

/**
 * The `sharegpt` dataset: a ShareGPT JSON file (a list of `{"conversations": [{"from",
 * "value"}, ...]}`, e.g. `ShareGPT_V3_unfiltered_cleaned_split.json`) read from a local file
 * as vLLM's `benchmark_serving.py` / `vllm bench serve` reads it: the first message is the
 * prompt, the second's length in tokens is `max_tokens` (or `output_len`), conversations with
 * fewer than two messages are skipped, and (with `filter`, the default) so are prompts or
 * replies under 4 tokens, prompts over 1,024 and pairs over 2,048.
 *
 * @example
 * ```ts
 * import { ShareGPTDataset } from "./sharegpt_dataset.ts";
 *
 * const file = await Deno.makeTempFile({ suffix: ".json" });
 * await Deno.writeTextFile(file, JSON.stringify([{ id: "a", conversations: [
 *   { from: "human", value: "Tell me about the sea in a few words." },
 *   { from: "gpt", value: "The sea is wide, salty and never still." },
 * ] }]));
 * const entries = await new ShareGPTDataset({ path: file }).load();
 * await Deno.remove(file);
 * if (entries.length !== 1 || entries[0]!.maxTokens! < 4) throw new Error("wrong");
 * ```
 */
export class ShareGPTDataset implements Dataset {
  readonly #url: URL;
  readonly #tokenizer: string;
  readonly #outputLen: number | undefined;
  readonly #filter: boolean;

  /**
   * @param config `path`, `tokenizer`, `output_len`, `filter`.
   * @param context `baseUrl` for a relative path.
   * @throws {TypeError} When `path` is missing.
   */
  constructor(config: ShareGPTDatasetConfig, context: DatasetContext = {}) {
    this.#url = datasetUrl("sharegpt", config.path, context);
    this.#tokenizer = config.tokenizer ?? DEFAULT_TOKENIZER;
    this.#outputLen = config.output_len;
    this.#filter = config.filter ?? true;
  }

  /**
   * Reads the file.
   *
   * @throws {DatasetFileError} With the line of a JSON syntax error, or the entry and field
   * of a malformed conversation.
   */
  async load(): Promise<readonly DatasetEntry[]> {
    const problems = new Problems(displayName(this.#url));
    const text = await readText(this.#url);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const position = /position (\d+)/.exec(message);
      const line = position === null
        ? undefined
        : text.slice(0, Number(position[1])).split("\n").length;
      problems.add(line, undefined, `not valid JSON: ${message}`);
      problems.check();
    }
    if (!Array.isArray(data)) {
      problems.add(1, undefined, "expected a JSON list of conversations");
      problems.check();
    }
    const tokenizer = await loadTokenizer(this.#tokenizer);
    const entries: DatasetEntry[] = [];
    (data as unknown[]).forEach((item, i) => {
      const at = `[${i}]`;
      const conversations = (item as { conversations?: unknown } | null)?.conversations;
      if (!Array.isArray(conversations)) {
        problems.add(undefined, `${at}.conversations`, "expected a list of messages");
        return;
      }
      for (let m = 0; m < Math.min(2, conversations.length); m++) {
        const value = (conversations[m] as { value?: unknown } | null)?.value;
        if (typeof value !== "string") {
          problems.add(undefined, `${at}.conversations[${m}].value`, "expected a string");
          return;
        }
      }
      if (conversations.length < 2) return;
      const prompt = (conversations[0] as { value: string }).value;
      const reply = (conversations[1] as { value: string }).value;
      const promptLen = tokenizer.encode(prompt).length;
      const outputLen = this.#outputLen ?? tokenizer.encode(reply).length;
      if (
        this.#filter &&
        (promptLen < 4 || (this.#outputLen === undefined && outputLen < 4) || promptLen > 1024 ||
          promptLen + outputLen > 2048)
      ) return;
      entries.push({ prompt, maxTokens: outputLen });
    });
    if (entries.length === 0) problems.add(undefined, undefined, "no usable conversations");
    problems.check();
    return entries;
  }
}
