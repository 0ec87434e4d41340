import type { Dataset, DatasetEntry, DatasetTurn } from "../types.ts";
import {
  checkKeys,
  type DatasetContext,
  datasetUrl,
  displayName,
  parseJsonLines,
  Problems,
  readText,
  stringField,
} from "./_dataset_file.ts";
import { readTurn, sortByTimestamp } from "./single_turn_dataset.ts";

/** Configuration of {@linkcode MultiTurnDataset}. */
export interface MultiTurnDatasetConfig {
  /** The JSONL file (`--input-file`), relative to the benchmark file. */
  readonly path?: string;
}

/**
 * The `multi_turn` dataset, AIPerf's format: one conversation per line,
 * `{"session_id": ..., "turns": [{"text": ..., "delay": ms}, ...]}`. Lines with the same
 * `session_id` continue the same conversation. Each turn is sent after the reply to the one
 * before, with the whole history; `delay` waits that long first, `timestamp` (ms) waits until
 * then on a fixed schedule.
 *
 * @example
 * ```ts
 * import { MultiTurnDataset } from "./multi_turn_dataset.ts";
 *
 * const file = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(file, '{"session_id": "a", "turns": [{"text": "hi"}, ' +
 *   '{"text": "and?", "delay": 100}]}\n');
 * const [entry] = await new MultiTurnDataset({ path: file }).load();
 * await Deno.remove(file);
 * if (entry?.prompt !== "hi" || entry.turns?.[0]?.delay !== 100) throw new Error("wrong");
 * ```
 */
export class MultiTurnDataset implements Dataset {
  readonly #url: URL;

  /**
   * @param config `path`.
   * @param context `baseUrl` for a relative path.
   * @throws {TypeError} When `path` is missing.
   */
  constructor(config: MultiTurnDatasetConfig, context: DatasetContext = {}) {
    this.#url = datasetUrl("multi_turn", config.path, context);
  }

  /**
   * Reads the file and groups turns into conversations.
   *
   * @throws {DatasetFileError} Naming the line and field of every bad line.
   */
  async load(): Promise<readonly DatasetEntry[]> {
    const problems = new Problems(displayName(this.#url));
    const rows = parseJsonLines(await readText(this.#url), problems);
    const sessions = new Map<string, DatasetTurn[]>();
    let anonymous = 0;
    for (const { line, value } of rows) {
      checkKeys(value, ["type", "session_id", "turns"], line, problems);
      const session = stringField(value, "session_id", line, problems) ?? `#${anonymous++}`;
      const turns = value.turns;
      if (!Array.isArray(turns) || turns.length === 0) {
        problems.add(line, "turns", "expected a non-empty list of turns");
        continue;
      }
      const list = sessions.get(session) ?? [];
      sessions.set(session, list);
      turns.forEach((turn: unknown, i) => {
        if (typeof turn !== "object" || turn === null || Array.isArray(turn)) {
          problems.add(line, `turns[${i}]`, "expected an object");
          return;
        }
        const read = readTurn(turn as Record<string, unknown>, line, problems, `turns[${i}].`);
        if (read !== undefined) list.push(read);
      });
    }
    problems.check();
    return sortByTimestamp([...sessions].map(([id, turns]) => conversation(id, turns)));
  }
}

/** A conversation entry from its turns (the first becomes the entry itself). */
export function conversation(id: string, turns: readonly DatasetTurn[]): DatasetEntry {
  const [first, ...rest] = turns as [DatasetTurn, ...DatasetTurn[]];
  return {
    prompt: first.prompt,
    ...(first.passages === undefined ? {} : { passages: first.passages }),
    ...(first.images === undefined ? {} : { images: first.images }),
    ...(first.audios === undefined ? {} : { audios: first.audios }),
    ...(first.videos === undefined ? {} : { videos: first.videos }),
    ...(first.maxTokens === undefined ? {} : { maxTokens: first.maxTokens }),
    ...(first.timestamp === undefined ? {} : { timestamp: first.timestamp }),
    ...(rest.length === 0 ? {} : { turns: rest }),
    ...(id.startsWith("#") ? {} : { sessionId: id }),
  };
}
