import { profileCsv } from "../report/profile_csv.ts";
import type { BenchmarkResult, ExporterContext } from "../types.ts";
import { FileExporter, type OutputFile } from "../_file_exporter.ts";
import { aiperfInputsJson, aiperfRecordsJsonl, aiperfSummaryJson } from "./_aiperf_files.ts";
import { aiperfTimeslicesCsv, aiperfTimeslicesJson } from "./_aiperf_timeslices.ts";

/** AIPerf's `--export-level`: which of its files are written. */
export type ExportLevel = "summary" | "records";

/** Configuration of {@linkcode AiperfExporter}. */
export interface AiperfExporterConfig {
  /**
   * AIPerf's `--profile-export-prefix` (`--profile-export-file`): the stem of every file
   * (`<prefix>.json`, `<prefix>.csv`, `<prefix>.jsonl`); a given extension is dropped. Default:
   * `profile_export_aiperf` for the summary files, `profile_export` for the records.
   */
  readonly prefix?: string;
  /** `summary`: the JSON and CSV summaries only; `records` (default): the records too. */
  readonly export_level?: ExportLevel;
}

/**
 * The `aiperf` exporter: writes AIPerf's files with its names and layouts beside ours, so a
 * script written for AIPerf's output reads ours unchanged: `profile_export_aiperf.json`
 * (metrics at the top level, then `input_config`, `was_cancelled`, `error_summary`,
 * `start_time`, `end_time`), `profile_export_aiperf.csv`, `profile_export.jsonl` (one
 * `{metadata, metrics, error}` line per profiling request; not with `export_level: summary`)
 * and `inputs.json` (the dataset as request bodies), and with time slices (`--slice-duration`)
 * `profile_export_aiperf_timeslices.json` and `.csv`. Writes nothing without an output
 * directory.
 *
 * @example
 * ```ts
 * import { AiperfExporter } from "./aiperf_exporter.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const paths = await new AiperfExporter({}, { outputDir: dir, write: () => {} }).export({
 *   benchmark: { endpoint: "e", url: "u", streaming: false, timing_strategy: "t", dataset: "d",
 *     dataset_sampler: "s", phase_hooks: [], started_at: "2026-01-01T00:00:00.000Z", workers: 1 },
 *   phases: {}, metrics: { request_throughput: { unit: "requests/sec", avg: 3.5 } },
 *   error_summary: [], token_counting: { output_sources: {} }, warnings: [],
 *   records: [], interrupted: false, hook_failures: [], failures: [],
 * });
 * const json = JSON.parse(await Deno.readTextFile(`${dir}/profile_export_aiperf.json`));
 * await Deno.remove(dir, { recursive: true });
 * if (json.request_throughput.avg !== 3.5 || paths.length !== 4) throw new Error("wrong");
 * ```
 */
export class AiperfExporter extends FileExporter {
  readonly #summaryStem: string;
  readonly #recordsStem: string;
  readonly #level: ExportLevel;

  /**
   * @param config `prefix`, `export_level`.
   * @param context The output directory.
   * @throws {TypeError} When `export_level` is not `summary` or `records`.
   */
  constructor(config: AiperfExporterConfig, context: ExporterContext) {
    super(context);
    const prefix = config.prefix?.replace(/\.(jsonl?|csv)$/, "");
    this.#summaryStem = prefix || "profile_export_aiperf";
    this.#recordsStem = prefix || "profile_export";
    const level = config.export_level ?? "records";
    if (level !== "summary" && level !== "records") {
      throw new TypeError(
        `Invalid export_level "${level}": expected summary or records (raw is not supported: ` +
          `the bench keeps no request or response bodies)`,
      );
    }
    this.#level = level;
  }

  /**
   * The files: summary JSON and CSV, the records (at `records` level), inputs.json, the time
   * slices (with `--slice-duration`).
   */
  files(result: BenchmarkResult): OutputFile[] {
    return [
      { name: `${this.#summaryStem}.json`, text: aiperfSummaryJson(result) },
      { name: `${this.#summaryStem}.csv`, text: profileCsv(result.metrics) },
      ...(this.#level === "records"
        ? [{ name: `${this.#recordsStem}.jsonl`, text: aiperfRecordsJsonl(result) }]
        : []),
      { name: "inputs.json", text: aiperfInputsJson(result) },
      ...timeslices(this.#summaryStem, result),
    ];
  }
}

// With --slice-duration, AIPerf's STEM_timeslices.json and .csv.
function timeslices(stem: string, result: BenchmarkResult): OutputFile[] {
  const json = aiperfTimeslicesJson(result);
  const csv = aiperfTimeslicesCsv(result);
  if (json === undefined || csv === undefined) return [];
  return [
    { name: `${stem}_timeslices.json`, text: json },
    { name: `${stem}_timeslices.csv`, text: csv },
  ];
}
