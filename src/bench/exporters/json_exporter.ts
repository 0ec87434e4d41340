import type { BenchmarkResult, ExporterContext } from "../types.ts";
import { FileExporter, type OutputFile } from "../_file_exporter.ts";

/** Configuration of {@linkcode JsonExporter}. */
export interface JsonExporterConfig {
  /** The file name inside the output directory; default `profile_export.json`. */
  readonly filename?: string;
}

/**
 * The `json` exporter: writes `<output>/profile_export.json` with the benchmark description, a
 * `metrics` object (keyed `request_latency`, `time_to_first_token`, ..., each with `unit` and
 * its statistics) and a `phases` object (per-phase counts, durations and statistics). Writes
 * nothing without an output directory.
 *
 * @example
 * ```ts
 * import { JsonExporter } from "./json_exporter.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const [path] = await new JsonExporter({}, { outputDir: dir, write: () => {} }).export({
 *   benchmark: { endpoint: "e", url: "u", streaming: false, timing_strategy: "t", dataset: "d",
 *     dataset_sampler: "s", phase_hooks: [], started_at: "", workers: 1 },
 *   error_summary: [], token_counting: { output_sources: {} }, warnings: [],
 *   phases: {}, metrics: { request_throughput: { unit: "requests/sec", avg: 3 } },
 *   records: [], interrupted: false, hook_failures: [], failures: [],
 * });
 * const json = JSON.parse(await Deno.readTextFile(path!));
 * await Deno.remove(dir, { recursive: true });
 * if (json.metrics.request_throughput.avg !== 3) throw new Error("wrong");
 * ```
 */
export class JsonExporter extends FileExporter {
  readonly #filename: string;

  /**
   * @param config `filename`.
   * @param context The output directory.
   */
  constructor(config: JsonExporterConfig, context: ExporterContext) {
    super(context);
    this.#filename = config.filename ?? "profile_export.json";
  }

  /** The file: everything but the records (not even read: they may be streamed to a file). */
  files(result: BenchmarkResult): OutputFile[] {
    const rest = Object.fromEntries(Object.entries(result).filter(([key]) => key !== "records"));
    return [{ name: this.#filename, text: JSON.stringify(rest, null, 2) + "\n" }];
  }
}
