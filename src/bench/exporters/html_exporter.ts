import { runReportHtml } from "../report/run_report_html.ts";
import { toRunView } from "../report/run_view.ts";
import type { BenchmarkResult, ExporterContext } from "../types.ts";
import { FileExporter, type OutputFile } from "../_file_exporter.ts";

/** Configuration of {@linkcode HtmlExporter}. */
export interface HtmlExporterConfig {
  /** The file name inside the output directory; default `report.html`. */
  readonly filename?: string;
  /** The page title; default `plugmap bench report`. */
  readonly title?: string;
}

/**
 * The `html` exporter: writes `<output>/report.html`, one self-contained page (styles, the
 * uPlot charting library and the data inlined; nothing fetched) with the metrics, TTFT, ITL
 * and latency distributions, latency, throughput and errors over the run per phase, the error
 * breakdown, the client lateness guard and the run's settings. Writes nothing without an
 * output directory.
 *
 * @example
 * ```ts
 * import { HtmlExporter } from "./html_exporter.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const [path] = await new HtmlExporter({}, { outputDir: dir, write: () => {} }).export({
 *   benchmark: { endpoint: "e", url: "u", streaming: false, timing_strategy: "t", dataset: "d",
 *     dataset_sampler: "s", phase_hooks: [], started_at: "", workers: 1 },
 *   phases: {}, metrics: { request_throughput: { unit: "requests/sec", avg: 3.5 } },
 *   error_summary: [], token_counting: { output_sources: {} }, warnings: [],
 *   records: [], interrupted: false, hook_failures: [], failures: [],
 * });
 * const html = await Deno.readTextFile(path!);
 * await Deno.remove(dir, { recursive: true });
 * if (!html.startsWith("<!doctype html>") || !html.includes("Request Throughput")) {
 *   throw new Error("wrong");
 * }
 * ```
 */
export class HtmlExporter extends FileExporter {
  readonly #filename: string;
  readonly #title: string | undefined;

  /**
   * @param config `filename`, `title`.
   * @param context The output directory.
   */
  constructor(config: HtmlExporterConfig, context: ExporterContext) {
    super(context);
    this.#filename = config.filename ?? "report.html";
    this.#title = config.title;
  }

  /** The page. */
  files(result: BenchmarkResult): OutputFile[] {
    const view = toRunView(result, result.readRecords?.() ?? result.records);
    return [{ name: this.#filename, text: runReportHtml(view, this.#title) }];
  }
}
