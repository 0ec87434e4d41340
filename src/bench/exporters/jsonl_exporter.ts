import { join, resolve } from "node:path";
import type { BenchmarkResult, ExporterContext } from "../types.ts";
import { FileExporter, type OutputFile } from "../_file_exporter.ts";

/** Configuration of {@linkcode JsonlExporter}. */
export interface JsonlExporterConfig {
  /** The file name inside the output directory; default `records.jsonl`. */
  readonly filename?: string;
}

/**
 * The `jsonl` exporter: writes `<output>/records.jsonl`, one JSON object per profiling request
 * (latency, TTFT, ITL, lengths, status, error). Writes nothing without an output directory.
 *
 * @example
 * ```ts
 * import { JsonlExporter } from "./jsonl_exporter.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const [path] = await new JsonlExporter({}, { outputDir: dir, write: () => {} }).export({
 *   benchmark: { endpoint: "e", url: "u", streaming: false, timing_strategy: "t", dataset: "d",
 *     dataset_sampler: "s", phase_hooks: [], started_at: "", workers: 1 },
 *   error_summary: [], token_counting: { output_sources: {} }, warnings: [],
 *   phases: {}, metrics: {}, interrupted: false, hook_failures: [], failures: [],
 *   records: [{ phase: "profiling", index: 0, start_ms: 0, conversation_index: 0, turn_index: 0,
 *     end_ms: 5, chunks_ms: [],
 *     tokens: { output: 1, reasoning: 0, output_source: "usage", reasoning_source: "usage",
 *       input_source: "none" },
 *     metrics: { request_latency: { value: 5, unit: "ms" } } }],
 * });
 * const lines = (await Deno.readTextFile(path!)).trim().split("\n");
 * await Deno.remove(dir, { recursive: true });
 * if (lines.length !== 1) throw new Error("wrong");
 * ```
 */
export class JsonlExporter extends FileExporter {
  readonly #filename: string;

  /**
   * @param config `filename`.
   * @param context The output directory.
   */
  constructor(config: JsonlExporterConfig, context: ExporterContext) {
    super(context);
    this.#filename = config.filename ?? "records.jsonl";
  }

  /** The file: one record a line (or the one the run streamed its records to). */
  async files(result: BenchmarkResult, dir: string): Promise<OutputFile[]> {
    const name = this.#filename;
    const path = join(dir, name);
    // The run streamed its records to this very file as they finished: it is complete.
    if (result.recordsFile !== undefined && resolve(result.recordsFile) === resolve(path)) {
      try {
        if ((await Deno.stat(path)).isFile) return [{ name, written: true }];
      } catch (error) {
        throw new Error(
          `Cannot write "${path}": the records streamed there are gone (${
            (error as Error).message
          })`,
          { cause: error },
        );
      }
    }
    const records = (result.readRecords?.() ?? result.records)[Symbol.iterator]();
    // Written in pieces as they are read, never the whole file in one string.
    const lines = new ReadableStream<string>({
      pull(controller) {
        let text = "";
        for (let next = records.next(); !next.done; next = records.next()) {
          text += JSON.stringify(next.value) + "\n";
          if (text.length > 256 * 1024) break;
        }
        if (text === "") controller.close();
        else controller.enqueue(text);
      },
    });
    return [{ name, text: lines }];
  }
}
