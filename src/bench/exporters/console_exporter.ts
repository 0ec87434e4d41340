import type { BenchmarkResult, Exporter, ExporterContext } from "../types.ts";
import { metricsTable } from "./_metrics_table.ts";

/**
 * The `console` exporter: prints the profiling statistics as a table like AIPerf's, then one
 * line per phase with its counts and duration, and any hook failures.
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

  /**
   * @param _config None.
   * @param context Where to write.
   */
  constructor(_config: Record<string, never>, context: ExporterContext) {
    this.#context = context;
  }

  /** Prints the table and the phase lines; writes no files. */
  export(result: BenchmarkResult): readonly string[] {
    const b = result.benchmark;
    const lines = [
      "",
      metricsTable("plugmap bench | LLM Metrics", result.metrics),
      `Endpoint: ${b.endpoint} ${b.url} (${b.streaming ? "streaming" : "not streaming"})`,
      `Timing: ${b.timing_strategy} | dataset: ${b.dataset} | sampler: ${b.dataset_sampler}` +
      (b.phase_hooks.length > 0 ? ` | hooks: ${b.phase_hooks.join(", ")}` : ""),
    ];
    for (const summary of Object.values(result.phases)) {
      lines.push(
        `Phase ${summary.phase}: ${summary.success_count} ok, ${summary.error_count} errors` +
          (summary.cancelled_count > 0 ? `, ${summary.cancelled_count} cancelled` : "") +
          ` in ${(summary.duration_ms / 1000).toFixed(2)} s` +
          (summary.interrupted ? " (interrupted)" : ""),
      );
      const delay = summary.send_delay_ms;
      if (delay !== undefined) {
        lines.push(
          `  Sent behind schedule: p50 ${fixed(delay.p50)} ms, p99 ${fixed(delay.p99)} ms, ` +
            `max ${fixed(delay.max)} ms (${delay.count} requests)`,
        );
      }
      for (const [turn, metrics] of Object.entries(summary.metrics_by_turn ?? {})) {
        const avg = (name: string) => fixed(metrics[name]?.avg);
        lines.push(
          `  Turn ${turn}: ${metrics.request_latency?.count ?? 0} requests, ` +
            `latency ${avg("request_latency")} ms, TTFT ${avg("time_to_first_token")} ms, ` +
            `ISL ${avg("input_sequence_length")}, OSL ${avg("output_sequence_length")}`,
        );
      }
    }
    for (const f of result.hook_failures) {
      lines.push(`Hook "${f.hook}" failed in ${f.event} (${f.phase}): ${f.message}`);
    }
    if (result.interrupted) lines.push("Interrupted: the figures cover what completed.");
    this.#context.write(lines.join("\n") + "\n");
    return [];
  }
}

function fixed(value: number | undefined): string {
  return value === undefined ? "-" : value.toFixed(2);
}
