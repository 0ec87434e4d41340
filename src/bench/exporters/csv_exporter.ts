import { profileCsv } from "../report/profile_csv.ts";
import type { BenchmarkResult, ExporterContext } from "../types.ts";
import { FileExporter, type OutputFile } from "../_file_exporter.ts";

/** Configuration of {@linkcode CsvExporter}. */
export interface CsvExporterConfig {
  /** The file name inside the output directory; default `profile_export.csv`. */
  readonly filename?: string;
}

/**
 * The `csv` exporter: writes `<output>/profile_export.csv`, one row per profiling metric with
 * its unit and statistics, in the layout and column order of AIPerf's CSV export. Writes
 * nothing without an output directory.
 *
 * @example
 * ```ts
 * import { CsvExporter } from "./csv_exporter.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const [path] = await new CsvExporter({}, { outputDir: dir, write: () => {} }).export({
 *   benchmark: { endpoint: "e", url: "u", streaming: false, timing_strategy: "t", dataset: "d",
 *     dataset_sampler: "s", phase_hooks: [], started_at: "", workers: 1 },
 *   phases: {}, metrics: { request_throughput: { unit: "requests/sec", avg: 3.5 } },
 *   error_summary: [], token_counting: { output_sources: {} }, warnings: [],
 *   records: [], interrupted: false, hook_failures: [], failures: [],
 * });
 * const csv = await Deno.readTextFile(path!);
 * await Deno.remove(dir, { recursive: true });
 * if (csv !== "Metric,Value\nRequest Throughput (requests/sec),3.50\n") throw new Error(csv);
 * ```
 */
export class CsvExporter extends FileExporter {
  readonly #filename: string;

  /**
   * @param config `filename`.
   * @param context The output directory.
   */
  constructor(config: CsvExporterConfig, context: ExporterContext) {
    super(context);
    this.#filename = config.filename ?? "profile_export.csv";
  }

  /** The file: one row per profiling metric. */
  files(result: BenchmarkResult): OutputFile[] {
    return [{ name: this.#filename, text: profileCsv(result.metrics) }];
  }
}
