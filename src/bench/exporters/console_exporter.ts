import { serverMetricsLines } from "../server_metrics/server_metrics_lines.ts";
import { timingText } from "../report/run_report_html.ts";
import { toRunView } from "../report/run_view.ts";
import type { BenchmarkResult, Exporter, ExporterContext, PhaseSummary } from "../types.ts";
import { metricsTable } from "./_metrics_table.ts";

/** Configuration of {@linkcode ConsoleExporter}. */
export interface ConsoleExporterConfig {
  /**
   * The widest the table may be; default the terminal's width. When standard output is not a
   * terminal (a CI log, a file), no width: every column (std included) is kept.
   */
  readonly width?: number;
  /** One metrics table per phase (warmup too) instead of the profiling table alone. */
  readonly per_phase?: boolean;
}

const NO_LIMIT = 10_000;

function terminalWidth(): number {
  try {
    if (Deno.stdout.isTerminal()) return Deno.consoleSize().columns;
  } catch {
    // No terminal (or no permission to ask): the default.
  }
  // Not a terminal: nothing wraps a log line, so no column is dropped to fit.
  return NO_LIMIT;
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
 *     dataset_sampler: "sequential", phase_hooks: [], started_at: "", workers: 1 },
 *   phases: {},
 *   metrics: { request_latency: { unit: "ms", avg: 12.5, min: 10, max: 15 } },
 *   error_summary: [], token_counting: { output_sources: {} }, warnings: [],
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
    // The phases only: the records are not read (they may be streamed to a file).
    const view = toRunView(result, []);
    const tables = this.#perPhase && view.phases.length > 0
      ? view.phases.map((p) =>
        metricsTable(`plugmap bench | LLM Metrics | ${p.name}`, p.metrics as never, this.#width)
      )
      : [metricsTable("plugmap bench | LLM Metrics", result.metrics, this.#width)];
    const lines = ["", ...tables];
    lines.push(
      `Endpoint: ${b.endpoint} ${b.url} (${b.streaming ? "streaming" : "not streaming"})`,
      `Timing: ${timingText(b) ?? b.timing_strategy} | dataset: ${b.dataset} | ` +
        `sampler: ${b.dataset_sampler}` +
        (b.phase_hooks.length > 0 ? ` | hooks: ${b.phase_hooks.join(", ")}` : ""),
    );
    for (const summary of Object.values(result.phases)) {
      const lateness = summary.client_lateness;
      lines.push(
        `Phase ${summary.phase}: ${summary.request_count} ok, ${summary.error_request_count} errors` +
          (summary.cancelled_request_count > 0
            ? `, ${summary.cancelled_request_count} cancelled`
            : "") +
          ` in ${(summary.duration_ms / 1000).toFixed(2)} s` +
          (summary.interrupted ? " (interrupted)" : "") +
          ` | client lateness: event loop p99 ${lateness.event_loop_delay_ms.p99.toFixed(1)} ms,` +
          ` sends behind schedule p50 ${lateness.send_delay_ms.p50.toFixed(1)} ms`,
      );
      if (summary.stopped !== undefined) lines.push(`  Stopped: ${summary.stopped}`);
      lines.push(...prefillLines(summary));
      lines.push(...serverMetricsLines(summary));
      const scheduled = lateness.scheduled_requests ?? 0;
      if (scheduled > 0) {
        const delay = lateness.send_delay_ms;
        lines.push(
          `  Sent behind schedule: p50 ${fixed(delay.p50)} ms, p99 ${fixed(delay.p99)} ms, ` +
            `max ${fixed(delay.max)} ms (${scheduled} scheduled requests)`,
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
    if (result.error_summary.length > 0) {
      lines.push("Errors (profiling), by kind and status:");
      for (const { error_details: e, count } of result.error_summary) {
        lines.push(
          `  ${String(count).padStart(6)}  ${e.type}${
            e.code === null ? "" : ` ${e.code}`
          }: ${e.message}`,
        );
      }
    }
    const tc = result.token_counting;
    const sources = Object.entries(tc.output_sources).map(([k, n]) => `${k} ${n}`).join(", ");
    if (sources) {
      lines.push(
        `Tokens counted by: ${sources}` + (tc.tokenizer ? ` (tokenizer ${tc.tokenizer})` : ""),
      );
    }
    if (tc.usage_vs_tokenizer !== undefined) {
      const d = tc.usage_vs_tokenizer;
      lines.push(
        `Usage vs tokenizer over ${d.requests} requests: ${d.usage_tokens} vs ${d.tokenizer_tokens}` +
          ` output tokens (${d.difference_percent >= 0 ? "+" : ""}${
            d.difference_percent.toFixed(2)
          } %)`,
      );
    }
    for (const warning of result.warnings) lines.push(`Warning: ${warning}`);
    for (const f of result.hook_failures) {
      lines.push(`Hook "${f.hook}" failed in ${f.event} (${f.phase}): ${f.message}`);
    }
    if (result.interrupted) lines.push("Interrupted: the figures cover what completed.");
    const steady = result.steady_state;
    if (steady !== undefined) {
      const m = (name: string, key: "p50" | "p99") => fixed(steady.metrics[name]?.[key]);
      lines.push(
        `Steady state (${steady.request_count} requests; ${steady.left_out} of ramp-up and ` +
          `drain left out): TTFT p50 ${m("time_to_first_token", "p50")} ms, p99 ` +
          `${m("time_to_first_token", "p99")} ms; latency p50 ${m("request_latency", "p50")} ms`,
      );
    }
    if (result.run_config !== undefined && this.#context.outputDir !== undefined) {
      lines.push(`Run it again: deno task bench --rerun ${this.#context.outputDir}`);
    }
    this.#context.write(lines.join("\n") + "\n");
    return [];
  }
}

function fixed(value: number | undefined): string {
  return value === undefined ? "-" : value.toFixed(2);
}

// With --prefill-concurrency: how many requests waited for a slot, and that it is a closed loop.
function prefillLines(summary: PhaseSummary): string[] {
  const prefill = summary.prefill_concurrency;
  if (prefill === undefined) return [];
  return [
    `  Prefill concurrency ${prefill.limit}` +
    (prefill.ramp_ms === undefined ? "" : ` (ramped over ${fixed(prefill.ramp_ms / 1000)} s)`) +
    `: ${prefill.waited_requests} requests waited for a slot before they were sent ` +
    `(wait p50 ${fixed(prefill.wait_ms.p50)} ms, max ${fixed(prefill.wait_ms.max)} ms); ` +
    "a closed loop: latencies are lower than the same load sent open-loop would see",
  ];
}
