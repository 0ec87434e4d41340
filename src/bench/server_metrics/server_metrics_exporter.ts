import { join } from "node:path";
import { writeOutputFile } from "../_write_output_file.ts";
import type { BenchmarkResult, Exporter, ExporterContext } from "../types.ts";
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
export class ServerMetricsExporter implements Exporter {
  readonly #formats: readonly ServerMetricsFormat[];
  readonly #dir: string | undefined;

  /**
   * @param config `formats`.
   * @param context The output directory.
   */
  constructor(config: ServerMetricsExporterConfig, context: ExporterContext) {
    this.#formats = config.formats ?? ["json", "csv"];
    this.#dir = context.outputDir;
  }

  /** Writes the files; returns their paths. */
  async export(result: BenchmarkResult): Promise<readonly string[]> {
    const dir = this.#dir;
    if (dir === undefined) return [];
    const paths: string[] = [];
    const json = serverMetricsJson(result);
    if (json === undefined) return [];
    if (this.#formats.includes("json")) {
      const text = JSON.stringify(json, null, 2) + "\n";
      paths.push(await writeOutputFile(join(dir, "server_metrics_export.json"), text));
    }
    const csv = this.#formats.includes("csv") ? serverMetricsCsv(result) : undefined;
    if (csv !== undefined) {
      paths.push(await writeOutputFile(join(dir, "server_metrics_export.csv"), csv));
    }
    const live = [
      ...(this.#formats.includes("jsonl") ? ["server_metrics_export.jsonl"] : []),
      "gpu_telemetry_export.jsonl",
    ];
    for (const name of live) {
      const path = join(dir, name);
      if (await Deno.stat(path).then(() => true, () => false)) paths.push(path);
    }
    return paths;
  }
}
