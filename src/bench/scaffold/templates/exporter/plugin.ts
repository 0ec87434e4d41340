import { join } from "node:path";
import type { BenchmarkResult, Exporter, ExporterContext } from "../../../mod.ts";

/** The config of {@linkcode __Class__}, as its `config_schema` in registry.yaml declares it. */
export interface __Class__Config {
  /** The file name inside the output directory. */
  readonly filename: string;
}

/**
 * The "__NAME__" exporter: writes one csv row per profiling request to the output directory. The benchmark creates it
 * through its factory with `new __Class__(config, context)` when a benchmark file selects it.
 */
export class __Class__ implements Exporter {
  readonly #filename: string;
  readonly #dir: string | undefined;

  /**
   * @param config The validated config (defaults applied).
   * @param context The output directory (created by the host before export) and stdout.
   */
  constructor(config: __Class__Config, context: ExporterContext) {
    this.#filename = config.filename;
    this.#dir = context.outputDir;
  }

  /** Writes the file; returns its path (nothing without an output directory). */
  async export(result: BenchmarkResult): Promise<readonly string[]> {
    if (this.#dir === undefined) return [];
    const rows = [["index", "start_ms", "latency_ms", "error"]];
    // One record at a time from the run's streamed records.jsonl (result.records would load them
    // all); result.records when the result was built in memory.
    for (const r of result.readRecords?.() ?? result.records) {
      rows.push([String(r.index), r.start_ms.toFixed(3), r.end_ms.toFixed(3), r.error ?? ""]);
    }
    const csv = rows.map((row) => row.map(cell).join(",")).join("\n") + "\n";
    const path = join(this.#dir, this.#filename);
    await Deno.writeTextFile(path, csv);
    return [path];
  }
}

/** A CSV cell, quoted when it holds a comma, a quote or a line break. */
function cell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
