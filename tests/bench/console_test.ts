// The console table: fitted to the width, per phase on request, errors below, timing named.
import { assert, assertEquals } from "./_assert.ts";
import { ConsoleExporter } from "../../src/bench/exporters/console_exporter.ts";
import type { BenchmarkResult } from "../../src/bench/types.ts";

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
  const summary = (phase: "warmup" | "profiling") => ({
    phase,
    request_count: 3,
    success_count: 2,
    error_count: 1,
    cancelled_count: 0,
    duration_ms: 1000,
    started_at: "2025-01-01T00:00:00Z",
    interrupted: false,
    metrics,
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
    },
    phases: { warmup: summary("warmup"), profiling: summary("profiling") },
    metrics,
    records: [
      {
        phase: "profiling",
        index: 0,
        start_ms: 0,
        request_latency_ms: 5,
        output_sequence_length: 0,
        output_token_throughput: 0,
        status: 503,
        error: "HTTP 503: overloaded",
      },
      {
        phase: "profiling",
        index: 1,
        start_ms: 1,
        request_latency_ms: 5,
        output_sequence_length: 0,
        output_token_throughput: 0,
        status: 503,
        error: "HTTP 503: overloaded",
      },
      {
        phase: "profiling",
        index: 2,
        start_ms: 2,
        request_latency_ms: 5,
        output_sequence_length: 0,
        output_token_throughput: 0,
        error: "timed out",
      },
    ],
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
  // Narrower: std goes first, then min, then the names shorten (TTFT).
  const narrow = render({ width: 100 });
  assert(!narrow.includes(" std ┃") && !narrow.includes(" min ┃"), narrow);
  assert(narrow.includes("TTFT (ms)") && narrow.includes(" max ┃"), narrow);
});

Deno.test("console: one table per phase when asked, errors below, timing named", () => {
  const out = render({ width: 100, per_phase: true });
  assert(out.includes("LLM Metrics | warmup") && out.includes("LLM Metrics | profiling"), out);
  assertEquals(out.match(/┏/g)?.length, 2);
  assert(/ 2 {2}HTTP 503: overloaded \(HTTP 503\)/.test(out), out);
  assert(/ 1 {2}timed out/.test(out), out);
  assert(
    out.includes("Timing: request_rate (request rate 20, arrival poisson, max concurrency 4)"),
    out,
  );
  assertEquals(render({ width: 100 }).match(/┏/g)?.length, 1);
});
