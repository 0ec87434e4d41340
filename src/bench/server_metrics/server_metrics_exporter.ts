import { join } from "node:path";
import type { BenchmarkResult, ExporterContext } from "../types.ts";
import { FileExporter, type OutputFile } from "../_file_exporter.ts";
import type { ServerMetricsFormat } from "./server_metrics_args.ts";
import { serverMetricsCsv } from "./server_metrics_csv.ts";
import { serverMetricsJson } from "./server_metrics_json.ts";

/** Configuration of {@linkcode ServerMetricsExporter}. */
export interface ServerMetricsExporterConfig {
  /** AIPerf's `--server-metrics-formats`: json and csv by default; jsonl is written live. */
  readonly formats?: readonly ServerMetricsFormat[];
}

/**
 * The `server_metrics` exporter: writes AIPerf's `server_metrics_export.json` and
 * `server_metrics_export.csv` (the profiling phase's server metrics) into the output directory;
 * nothing when no metrics endpoint answered or without an output directory. The JSONL time
 * series (`jsonl` format) and AIPerf's GPU telemetry series (`gpu_telemetry_export.jsonl`, with
 * `--gpu-telemetry`) are written while the run goes, and listed here when present.
 *
 * @example
 * ```ts
 * import { ServerMetricsExporter } from "./server_metrics_exporter.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const paths = await new ServerMetricsExporter({}, { outputDir: dir, write: () => {} })
 *   .export({ phases: {}, benchmark: {} } as never);
 * await Deno.remove(dir, { recursive: true });
 * if (paths.length !== 0) throw new Error("nothing collected, nothing written");
 * ```
 */
export class ServerMetricsExporter extends FileExporter {
  readonly #formats: readonly ServerMetricsFormat[];

  /**
   * @param config `formats`.
   * @param context The output directory.
   */
  constructor(config: ServerMetricsExporterConfig, context: ExporterContext) {
    super(context);
    this.#formats = config.formats ?? ["json", "csv"];
  }

  /** The files of the formats asked for (none when nothing was collected). */
  async files(result: BenchmarkResult, dir: string): Promise<OutputFile[]> {
    const json = serverMetricsJson(result);
    if (json === undefined) return [];
    const files: OutputFile[] = [];
    if (this.#formats.includes("json")) {
      files.push({
        name: "server_metrics_export.json",
        text: JSON.stringify(json, null, 2) + "\n",
      });
    }
    const csv = this.#formats.includes("csv") ? serverMetricsCsv(result) : undefined;
    if (csv !== undefined) files.push({ name: "server_metrics_export.csv", text: csv });
    // Written during the run as the samples came: reported when they are there.
    const live = [
      ...(this.#formats.includes("jsonl") ? ["server_metrics_export.jsonl"] : []),
      "gpu_telemetry_export.jsonl",
    ];
    for (const name of live) {
      if (await Deno.stat(join(dir, name)).then(() => true, () => false)) {
        files.push({ name, written: true });
      }
    }
    return files;
  }
}
