import type { Dataset, DatasetEntry } from "../types.ts";
import {
  checkKeys,
  type DatasetContext,
  datasetUrl,
  displayName,
  millisecondsField,
  namedRankingTexts,
  parseJsonLines,
  Problems,
  readText,
  stringField,
  turnText,
} from "./_dataset_file.ts";
import { MEDIA_KEYS, turnMedia } from "./_turn_media.ts";

/** Configuration of {@linkcode SingleTurnDataset}. */
export interface SingleTurnDatasetConfig {
  /** The JSONL file (`--input-file`), relative to the benchmark file. */
  readonly path?: string;
}

/** The fields of one AIPerf turn (`output_length` is this bench's addition). */
export const TURN_KEYS = [
  "type",
  "text",
  "texts",
  "timestamp",
  "delay",
  "role",
  "output_length",
  "max_tokens",
  ...MEDIA_KEYS,
] as const;

/**
 * The `single_turn` dataset, AIPerf's format: one request per line, `{"text": ...}` or
 * `{"texts": [...]}`, with an optional `timestamp` (ms, for `--fixed-schedule`), `delay`,
 * `role`, `output_length` (sent as `max_tokens`), and AIPerf's media fields `image`/`images`,
 * `audio`/`audios` and `video`/`videos` (URLs sent as they are, local files read and sent as
 * base64; videos go to the chat endpoint only). A rankings row
 * whose `texts` name a `query` and `passages` sends them as such. Entries with timestamps are
 * sorted by them.
 *
 * @example
 * ```ts
 * import { SingleTurnDataset } from "./single_turn_dataset.ts";
 *
 * const file = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(file, '{"text": "hi", "timestamp": 5}\n{"texts": ["a", "b"]}\n');
 * const entries = await new SingleTurnDataset({ path: file }).load();
 * await Deno.remove(file);
 * if (entries[0]?.timestamp !== 5 || entries[1]?.prompt !== "a\nb") throw new Error("wrong");
 * ```
 */
export class SingleTurnDataset implements Dataset {
  readonly #url: URL;

  /**
   * @param config `path`.
   * @param context `baseUrl` for a relative path.
   * @throws {TypeError} When `path` is missing.
   */
  constructor(config: SingleTurnDatasetConfig, context: DatasetContext = {}) {
    this.#url = datasetUrl("single_turn", config.path, context);
  }

  /**
   * Reads the file.
   *
   * @throws {DatasetFileError} Naming the line and field of every bad line.
   */
  async load(): Promise<readonly DatasetEntry[]> {
    const problems = new Problems(displayName(this.#url));
    const rows = parseJsonLines(await readText(this.#url), problems);
    const entries: DatasetEntry[] = [];
    for (const { line, value } of rows) {
      const entry = readTurn(value, line, problems);
      if (entry !== undefined) entries.push(entry);
    }
    problems.check();
    return sortByTimestamp(entries);
  }
}

/** Reads one AIPerf turn object; problems go to `problems`. */
export function readTurn(
  value: Record<string, unknown>,
  line: number,
  problems: Problems,
  at = "",
): (DatasetEntry & { delay?: number }) | undefined {
  const before = problems.list.length;
  checkKeys(value, TURN_KEYS, line, problems, at);
  const media = turnMedia(value, line, problems, at);
  const hasMedia = Object.keys(media).length > 0;
  const ranking = namedRankingTexts(value);
  const prompt = ranking?.query ?? turnText(value, line, problems, at, hasMedia);
  const timestamp = millisecondsField(value, "timestamp", line, problems, at);
  const delay = millisecondsField(value, "delay", line, problems, at);
  stringField(value, "role", line, problems, at);
  if (timestamp !== undefined && delay !== undefined) {
    problems.add(line, at + "delay", '"timestamp" and "delay" cannot be set together');
  }
  const max = value.output_length ?? value.max_tokens;
  const key = value.output_length !== undefined ? "output_length" : "max_tokens";
  let maxTokens: number | undefined;
  if (max !== undefined && max !== null) {
    if (typeof max !== "number" || !Number.isInteger(max) || max < 1) {
      problems.add(line, at + key, `expected a positive integer, got ${JSON.stringify(max)}`);
    } else maxTokens = max;
  }
  if (problems.list.length > before || prompt === undefined) return undefined;
  return {
    prompt,
    ...(ranking === undefined ? {} : { passages: ranking.passages }),
    ...media,
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(timestamp === undefined ? {} : { timestamp }),
    ...(delay === undefined ? {} : { delay }),
  };
}

/** Entries in timestamp order when every entry has one (stable); as they are otherwise. */
export function sortByTimestamp(entries: DatasetEntry[]): DatasetEntry[] {
  if (!entries.every((e) => e.timestamp !== undefined)) return entries;
  return entries.map((e, i) => [e, i] as const)
    .sort(([a, i], [b, j]) => a.timestamp! - b.timestamp! || i - j)
    .map(([e]) => e);
}
