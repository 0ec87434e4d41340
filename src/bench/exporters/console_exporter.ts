import { timingText } from "../report/run_report_html.ts";
import { toRunView } from "../report/run_view.ts";
import type { BenchmarkResult, Exporter, ExporterContext } from "../types.ts";
import { metricsTable } from "./_metrics_table.ts";

/** Configuration of {@linkcode ConsoleExporter}. */
export interface ConsoleExporterConfig {
  /** The widest the table may be; default the terminal's width, or 100 when not a terminal. */
  readonly width?: number;
  /** One metrics table per phase (warmup too) instead of the profiling table alone. */
  readonly per_phase?: boolean;
}

function terminalWidth(): number {
  try {
    if (Deno.stdout.isTerminal()) return Deno.consoleSize().columns;
  } catch {
    // No terminal (or no permission to ask): the default.
  }
  return 100;
}

/**
 * The `console` exporter: prints the profiling statistics as a table like AIPerf's (fitted to
 * the terminal's width, or 100 columns; with `per_phase`, one table per phase), the error
 * breakdown by kind and status, the endpoint and timing settings, one line per phase with its
 * counts and duration, and any hook failures.
 *
 * @example
 * ```ts
 * import { ConsoleExporter } from "./console_exporter.ts";
 *
 * let out = "";
 * new ConsoleExporter({}, { write: (t) => out += t }).export({
 *   benchmark: { endpoint: "openai_chat", url: "http://127.0.0.1:1/v1/chat/completions",
 *     streaming: true, timing_strategy: "fixed_concurrency", dataset: "synthetic",
 *     dataset_sampler: "sequential", phase_hooks: [], started_at: "" },
 *   phases: {},
 *   metrics: { request_latency: { unit: "ms", avg: 12.5, min: 10, max: 15 } },
 *   records: [], interrupted: false, hook_failures: [], failures: [],
 * });
 * if (!out.includes("Request Latency (ms)")) throw new Error(out);
 * ```
 */
export class ConsoleExporter implements Exporter {
  readonly #context: ExporterContext;
  readonly #width: number;
  readonly #perPhase: boolean;

  /**
   * @param config `width`, `per_phase`.
   * @param context Where to write.
   */
  constructor(config: ConsoleExporterConfig, context: ExporterContext) {
    this.#context = context;
    this.#width = config.width ?? terminalWidth();
    this.#perPhase = config.per_phase ?? false;
  }

  /** Prints the table and the phase lines; writes no files. */
  export(result: BenchmarkResult): readonly string[] {
    const b = result.benchmark;
    const view = toRunView(result);
    const tables = this.#perPhase && view.phases.length > 0
      ? view.phases.map((p) =>
        metricsTable(`plugmap bench | LLM Metrics | ${p.name}`, p.metrics as never, this.#width)
      )
      : [metricsTable("plugmap bench | LLM Metrics", result.metrics, this.#width)];
    const lines = ["", ...tables];
    if (view.errors.length > 0) {
      lines.push("Errors by kind:");
      for (const e of view.errors) {
        lines.push(
          `  ${String(e.count).padStart(6)}  ${e.kind}` +
            (e.status === undefined ? "" : ` (HTTP ${e.status})`) +
            (e.message === undefined ? "" : `: ${e.message}`),
        );
      }
      lines.push("");
    }
    lines.push(
      `Endpoint: ${b.endpoint} ${b.url} (${b.streaming ? "streaming" : "not streaming"})`,
      `Timing: ${timingText(b) ?? b.timing_strategy} | dataset: ${b.dataset} | ` +
        `sampler: ${b.dataset_sampler}` +
        (b.phase_hooks.length > 0 ? ` | hooks: ${b.phase_hooks.join(", ")}` : ""),
    );
    for (const summary of Object.values(result.phases)) {
      lines.push(
        `Phase ${summary.phase}: ${summary.success_count} ok, ${summary.error_count} errors` +
          (summary.cancelled_count > 0 ? `, ${summary.cancelled_count} cancelled` : "") +
          ` in ${(summary.duration_ms / 1000).toFixed(2)} s` +
          (summary.interrupted ? " (interrupted)" : ""),
      );
    }
    for (const f of result.hook_failures) {
      lines.push(`Hook "${f.hook}" failed in ${f.event} (${f.phase}): ${f.message}`);
    }
    if (result.interrupted) lines.push("Interrupted: the figures cover what completed.");
    this.#context.write(lines.join("\n") + "\n");
    return [];
  }
}
