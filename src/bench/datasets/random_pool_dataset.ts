import type { Dataset, DatasetEntry } from "../types.ts";
import { randomSource } from "../_random.ts";
import {
  checkKeys,
  type DatasetContext,
  datasetUrl,
  displayName,
  parseJsonLines,
  Problems,
  readText,
  turnText,
} from "./_dataset_file.ts";
import { MEDIA_KEYS, turnMedia } from "./_turn_media.ts";

// A pool line's fields: its text and AIPerf's media fields.
const LINE_KEYS = ["type", "text", "texts", ...MEDIA_KEYS] as const;

// One line of each pool as one entry: the texts one per line (empty ones left out), the media in
// pool order.
function joined(lines: readonly DatasetEntry[]): DatasetEntry {
  const images = lines.flatMap((l) => l.images ?? []);
  const audios = lines.flatMap((l) => l.audios ?? []);
  const videos = lines.flatMap((l) => l.videos ?? []);
  return {
    prompt: lines.map((l) => l.prompt).filter((p) => p !== "").join("\n"),
    ...(images.length === 0 ? {} : { images }),
    ...(audios.length === 0 ? {} : { audios }),
    ...(videos.length === 0 ? {} : { videos }),
  };
}

/** Configuration of {@linkcode RandomPoolDataset}. */
export interface RandomPoolDatasetConfig {
  /** A JSONL file, or a directory of them (`--input-file`), relative to the benchmark file. */
  readonly path?: string;
  /** With a directory: how many merged entries to draw (`--num-dataset-entries`); default 100. */
  readonly count?: number;
  /** Seed of the draws (`--random-seed`). */
  readonly seed?: number;
}

/**
 * The `random_pool` dataset, AIPerf's format: a pool of `{"text": ...}` (or `"texts"`) lines,
 * each with AIPerf's media fields if it likes (`image`/`images`, `audio`/`audios`,
 * `video`/`videos`, read as in `single_turn` files; a line with media may have no text), that
 * requests are drawn from at random, with replacement (the `random` sampler, which the bench picks
 * for this dataset unless told otherwise). Given a directory, each file is a pool and each entry
 * joins one random line of every file, in file-name order (e.g. a query and a passage): their
 * texts one per line, their media in the same order.
 *
 * @example
 * ```ts
 * import { RandomPoolDataset } from "./random_pool_dataset.ts";
 *
 * const file = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(file, '{"text": "one"}\n{"text": "two"}\n');
 * const entries = await new RandomPoolDataset({ path: file }).load();
 * await Deno.remove(file);
 * if (entries.length !== 2) throw new Error("wrong");
 * ```
 */
export class RandomPoolDataset implements Dataset {
  readonly #url: URL;
  readonly #count: number;
  readonly #seed: number | undefined;

  /**
   * @param config `path`, `count`, `seed`.
   * @param context `baseUrl` for a relative path.
   * @throws {TypeError} When `path` is missing.
   */
  constructor(config: RandomPoolDatasetConfig, context: DatasetContext = {}) {
    this.#url = datasetUrl("random_pool", config.path, context);
    this.#count = config.count ?? 100;
    this.#seed = config.seed;
  }

  /**
   * Reads the pool (or pools).
   *
   * @throws {DatasetFileError} Naming the file, line and field of every bad line.
   */
  async load(): Promise<readonly DatasetEntry[]> {
    let files = [this.#url];
    if (
      this.#url.protocol === "file:" && (await Deno.stat(this.#url).catch(() => null))?.isDirectory
    ) {
      const names: string[] = [];
      for await (const item of Deno.readDir(this.#url)) if (item.isFile) names.push(item.name);
      const dir = this.#url.href.endsWith("/") ? this.#url.href : this.#url.href + "/";
      files = names.sort().map((name) => new URL(encodeURIComponent(name), dir));
    }
    const pools: DatasetEntry[][] = [];
    for (const url of files) {
      const problems = new Problems(displayName(url));
      const pool: DatasetEntry[] = [];
      for (const { line, value } of parseJsonLines(await readText(url), problems)) {
        checkKeys(value, LINE_KEYS, line, problems);
        const media = turnMedia(value, line, problems);
        const text = turnText(value, line, problems, "", Object.keys(media).length > 0);
        if (text !== undefined) pool.push({ prompt: text, ...media });
      }
      problems.check();
      pools.push(pool);
    }
    if (pools.length === 1) return pools[0]!;
    const random = randomSource(this.#seed);
    return Array.from(
      { length: this.#count },
      () => joined(pools.map((pool) => pool[Math.floor(random() * pool.length)]!)),
    );
  }
}
