import type { Dataset, DatasetEntry, DatasetTurn } from "../types.ts";
import {
  checkKeys,
  type DatasetContext,
  datasetUrl,
  displayName,
  integerField,
  millisecondsField,
  parseJsonLines,
  Problems,
  readText,
  stringField,
} from "./_dataset_file.ts";
import { PromptGenerator } from "./_prompt_generator.ts";
import { DEFAULT_TOKENIZER, loadTokenizer } from "../tokens/load_tokenizer.ts";
import { conversation } from "./multi_turn_dataset.ts";
import { sortByTimestamp } from "./single_turn_dataset.ts";

/** Configuration of {@linkcode MooncakeTraceDataset}. */
export interface MooncakeTraceDatasetConfig {
  /** The JSONL trace (`--input-file`), relative to the benchmark file. */
  readonly path?: string;
  /** The tokenizer prompts are sized in (as `--tokenizer`); default cl100k_base. */
  readonly tokenizer?: string;
  /** Tokens per `hash_ids` block (`--isl-block-size`); default 512, as Mooncake's traces. */
  readonly block_size?: number;
  /** Seed of the generated text (`--random-seed`). */
  readonly seed?: number;
}

const KEYS = [
  "type",
  "timestamp",
  "input_length",
  "output_length",
  "hash_ids",
  "text_input",
  "delay",
  "session_id",
] as const;

/**
 * The `mooncake_trace` dataset, AIPerf's format of Mooncake traces: one request per line with
 * `timestamp` (ms), `input_length` (prompt tokens, generated text of exactly that length in the
 * tokenizer) or `text_input` (the prompt as is), `output_length` (sent as `max_tokens`) and
 * `hash_ids` (blocks of `block_size` tokens: equal ids give equal text, so prefixes the trace
 * shares are shared here). Lines with a `session_id` form one conversation (`delay` between its
 * turns). With `--fixed-schedule` each request is sent at its timestamp.
 *
 * @example
 * ```ts
 * import { MooncakeTraceDataset } from "./mooncake_trace_dataset.ts";
 *
 * const file = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(file,
 *   '{"timestamp": 0, "input_length": 20, "output_length": 4}\n' +
 *   '{"timestamp": 50, "text_input": "Hello", "output_length": 8}\n');
 * const entries = await new MooncakeTraceDataset({ path: file }).load();
 * await Deno.remove(file);
 * if (entries[1]?.prompt !== "Hello" || entries[0]?.maxTokens !== 4) throw new Error("wrong");
 * ```
 */
export class MooncakeTraceDataset implements Dataset {
  readonly #url: URL;
  readonly #tokenizer: string;
  readonly #blockSize: number;
  readonly #seed: number | undefined;

  /**
   * @param config `path`, `tokenizer`, `block_size`, `seed`.
   * @param context `baseUrl` for a relative path.
   * @throws {TypeError} When `path` is missing.
   * @throws {RangeError} When `block_size` is not a positive integer.
   */
  constructor(config: MooncakeTraceDatasetConfig, context: DatasetContext = {}) {
    this.#url = datasetUrl("mooncake_trace", config.path, context);
    this.#tokenizer = config.tokenizer ?? DEFAULT_TOKENIZER;
    const block = config.block_size ?? 512;
    if (!Number.isInteger(block) || block < 1) {
      throw new RangeError(`Invalid "block_size": expected a positive integer, got ${block}`);
    }
    this.#blockSize = block;
    this.#seed = config.seed;
  }

  /**
   * Reads the trace and generates the prompts it sizes.
   *
   * @throws {DatasetFileError} Naming the line and field of every bad line.
   */
  async load(): Promise<readonly DatasetEntry[]> {
    const problems = new Problems(displayName(this.#url));
    const rows = parseJsonLines(await readText(this.#url), problems);
    const generator = new PromptGenerator(await loadTokenizer(this.#tokenizer), this.#seed);
    const sessions = new Map<string, DatasetTurn[]>();
    let anonymous = 0;
    for (const { line, value } of rows) {
      const before = problems.list.length;
      checkKeys(value, KEYS, line, problems);
      const timestamp = millisecondsField(value, "timestamp", line, problems);
      const delay = millisecondsField(value, "delay", line, problems);
      const inputLength = integerField(value, "input_length", 1, line, problems);
      const outputLength = integerField(value, "output_length", 1, line, problems);
      const text = stringField(value, "text_input", line, problems);
      const session = stringField(value, "session_id", line, problems) ?? `#${anonymous++}`;
      const hashIds = value.hash_ids;
      if (
        hashIds !== undefined && hashIds !== null &&
        (!Array.isArray(hashIds) || !hashIds.every((id) => Number.isInteger(id)))
      ) {
        problems.add(line, "hash_ids", "expected a list of integers");
      }
      if (text === undefined && value.input_length === undefined) {
        problems.add(line, "input_length", 'missing: expected "input_length" or "text_input"');
      }
      if (problems.list.length > before) continue;
      let prompt = text;
      if (prompt === undefined) {
        const ids = (hashIds ?? []) as number[];
        try {
          prompt = ids.length > 0
            ? generator.blocks(inputLength!, ids, this.#blockSize)
            : generator.prompt(inputLength!);
        } catch (error) {
          problems.add(line, "hash_ids", (error as Error).message);
          continue;
        }
      }
      const list = sessions.get(session) ?? [];
      sessions.set(session, list);
      list.push({
        prompt,
        ...(outputLength === undefined ? {} : { maxTokens: outputLength }),
        ...(timestamp === undefined ? {} : { timestamp }),
        ...(delay === undefined ? {} : { delay }),
      });
    }
    problems.check();
    return sortByTimestamp([...sessions].map(([id, turns]) => conversation(id, turns)));
  }
}
