import { join } from "node:path";
import type { BenchmarkResult, Exporter, ExporterContext } from "@plugmap/plugmap/bench";

/** The config of {@linkcode RecordsCsv}, as its `config_schema` declares it. */
export interface RecordsCsvConfig {
  /** The file name inside the output directory. */
  readonly filename: string;
}

/**
 * The `records_csv` exporter: one CSV row per profiling request, with its latency, time to
 * first token, output tokens and error. Writes nothing without an output directory.
 */
export class RecordsCsv implements Exporter {
  readonly #filename: string;
  readonly #dir: string | undefined;

  constructor(config: RecordsCsvConfig, context: ExporterContext) {
    this.#filename = config.filename;
    this.#dir = context.outputDir; // created by the host before export() is called
  }

  async export(result: BenchmarkResult): Promise<readonly string[]> {
    if (this.#dir === undefined) return [];
    const rows = [["index", "latency_ms", "ttft_ms", "output_tokens", "error"]];
    // One record at a time from the streamed records.jsonl (result.records would load them all).
    for (const r of result.readRecords?.() ?? result.records) {
      const ttft = r.metrics.time_to_first_token?.value;
      rows.push([
        String(r.index),
        r.end_ms.toFixed(3),
        typeof ttft === "number" ? ttft.toFixed(3) : "",
        String(r.tokens.output),
        r.error ?? "",
      ]);
    }
    const path = join(this.#dir, this.#filename);
    await Deno.writeTextFile(
      path,
      rows.map((row) => row.map(cell).join(",")).join("\n") + "\n",
    );
    return [path];
  }
}

/** A CSV cell, quoted when it holds a comma, a quote or a line break. */
function cell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
