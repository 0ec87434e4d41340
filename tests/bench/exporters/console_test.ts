// The console table: fitted to the width, per phase on request, errors below, timing named.
import { assert, assertEquals } from "../_assert.ts";
import { ConsoleExporter } from "../../../src/bench/exporters/console_exporter.ts";
import type { BenchmarkResult } from "../../../src/bench/types.ts";

const stats = (unit: string, base: number) => ({
  unit,
  avg: base * 1234.5678,
  min: base,
  max: base * 99999.99,
  p50: base * 1000.5,
  p90: base * 5000.25,
  p99: base * 90000.75,
  std: base * 777.77,
});
// Today's metric names and issue 8's longer AIPerf ones.
const metrics = {
  time_to_first_token: stats("ms", 1),
  time_to_first_output_token: stats("ms", 1),
  output_token_throughput_per_user: stats("tokens/sec/user", 1),
  output_token_throughput_per_request: stats("tokens/sec", 1),
  request_throughput: { unit: "requests/sec", avg: 12.5 },
};

function result(): BenchmarkResult {
  const errors = [
    {
      error_details: { code: 503, type: "http" as const, message: "HTTP 503: overloaded" },
      count: 2,
    },
    { error_details: { code: null, type: "timeout" as const, message: "timed out" }, count: 1 },
  ];
  const delay = { p50: 0.5, p90: 1, p99: 1.5, max: 2 };
  const summary = (phase: "warmup" | "profiling") => ({
    phase,
    request_count: 2,
    error_request_count: 3,
    cancelled_request_count: 0,
    duration_ms: 1000,
    started_at: "2025-01-01T00:00:00Z",
    interrupted: false,
    metrics,
    error_summary: errors,
    client_lateness: { event_loop_delay_ms: delay, send_delay_ms: delay },
  });
  return {
    benchmark: {
      endpoint: "openai_chat",
      url: "http://127.0.0.1:1/v1/chat/completions",
      streaming: true,
      timing_strategy: "request_rate",
      timing_config: { request_rate: 20, arrival: "poisson", max_concurrency: 4 },
      dataset: "synthetic",
      dataset_sampler: "sequential",
      phase_hooks: [],
      started_at: "2025-01-01T00:00:00Z",
      workers: 1,
    },
    phases: { warmup: summary("warmup"), profiling: summary("profiling") },
    metrics,
    error_summary: errors,
    token_counting: { output_sources: {} },
    warnings: [],
    records: [],
    interrupted: false,
    hook_failures: [],
    failures: [],
  };
}

function render(config: { width?: number; per_phase?: boolean }): string {
  let out = "";
  new ConsoleExporter(config, { write: (t) => void (out += t) }).export(result());
  return out;
}

Deno.test("console: the table fits 100 columns, or the width given", () => {
  for (const width of [100, 80, 140]) {
    const out = render({ width });
    const table = out.split("\n").filter((l) => /^[┏┃┡│└]/.test(l));
    assert(table.length > 5, out);
    for (const line of table) assert([...line].length <= width, `${width}: ${line}`);
    assert(out.includes("p99") && out.includes("p50") && out.includes("avg"), out);
  }
  // Wide enough: every column and the full names.
  const wide = render({ width: 200 });
  assert(wide.includes("Output Token Throughput Per User (tokens/sec/user)"), wide);
  assert(wide.includes(" std ┃"), wide);
  // Narrower: std goes first, then the longest names shorten, then min (then p90, max).
  const narrow = render({ width: 100 });
  assert(!narrow.includes(" std ┃") && !narrow.includes(" min ┃"), narrow);
  assert(narrow.includes("Output TPS/User (tokens/sec/user)"), narrow);
  assert(narrow.includes("Time to First Token (ms)"), narrow);
  const roomy = render({ width: 116 });
  assert(roomy.includes(" min ┃") && roomy.includes("Time to First Token (ms)"), roomy);
  assert(roomy.includes("Output TPS/User (tokens/sec/user)"), roomy);
});

Deno.test("console: one table per phase when asked, errors below, timing named", () => {
  const out = render({ width: 100, per_phase: true });
  assert(out.includes("LLM Metrics | warmup") && out.includes("LLM Metrics | profiling"), out);
  assertEquals(out.match(/┏/g)?.length, 2);
  assert(/ 2 {2}http 503: HTTP 503: overloaded/.test(out), out);
  assert(/ 1 {2}timeout: timed out/.test(out), out);
  // Below the table.
  assert(out.lastIndexOf("└") < out.indexOf("timeout: timed out"), out);
  assert(
    out.includes("Timing: request_rate (request rate 20, arrival poisson, max concurrency 4)"),
    out,
  );
  assertEquals(render({ width: 100 }).match(/┏/g)?.length, 1);
});
