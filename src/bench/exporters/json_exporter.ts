import { join } from "node:path";
import { writeOutputFile } from "../_write_output_file.ts";
import type { BenchmarkResult, Exporter, ExporterContext } from "../types.ts";

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
export class JsonExporter implements Exporter {
  readonly #filename: string;
  readonly #dir: string | undefined;

  /**
   * @param config `filename`.
   * @param context The output directory.
   */
  constructor(config: JsonExporterConfig, context: ExporterContext) {
    this.#filename = config.filename ?? "profile_export.json";
    this.#dir = context.outputDir;
  }

  /** Writes the file; returns its path (none without an output directory). */
  async export(result: BenchmarkResult): Promise<readonly string[]> {
    if (this.#dir === undefined) return [];
    // Everything but the records (which are not even read: they may be streamed to a file).
    const rest = Object.fromEntries(Object.entries(result).filter(([key]) => key !== "records"));
    const text = JSON.stringify(rest, null, 2) + "\n";
    return [await writeOutputFile(join(this.#dir, this.#filename), text)];
  }
}
