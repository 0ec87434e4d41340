import { computeStatistics } from "../../src/bench/metrics/compute_statistics.ts";
import { summarizePhase } from "../../src/bench/metrics/summarize_phase.ts";
import type { RequestRecord } from "../../src/bench/types.ts";
import { assertBetween, assertEquals } from "./_assert.ts";

const close = (actual: number | undefined, expected: number, what: string) =>
  assertBetween(actual ?? NaN, expected - 1e-9, expected + 1e-9, what);

Deno.test("statistics: match numpy (linear percentiles, population std)", () => {
  // numpy: np.percentile(range(1, 11), [50, 90, 99]) = 5.5, 9.1, 9.91; np.std = 2.8722813232690143
  const s = computeStatistics([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], "ms")!;
  assertEquals([s.unit, s.avg, s.min, s.max, s.count], ["ms", 5.5, 1, 10, 10]);
  close(s.p50, 5.5, "p50");
  close(s.p90, 9.1, "p90");
  close(s.p99, 9.91, "p99");
  close(s.std, 2.8722813232690143, "std");
});

Deno.test("statistics: one value, no values, unsorted input left alone", () => {
  const one = computeStatistics([42], "tokens")!;
  assertEquals([one.avg, one.p50, one.p99, one.std], [42, 42, 42, 0]);
  assertEquals(computeStatistics([], "ms"), undefined);
  const input = [3, 1, 2];
  computeStatistics(input, "ms");
  assertEquals(input, [3, 1, 2]);
});

function record(partial: Partial<RequestRecord>): RequestRecord {
  return {
    phase: "profiling",
    index: 0,
    start_ms: 0,
    conversation_index: 0,
    turn_index: 0,
    request_latency_ms: 100,
    output_sequence_length: 10,
    output_token_throughput: 100,
    ...partial,
  };
}

Deno.test("summary: failed requests count as errors and stay out of the statistics", () => {
  const summary = summarizePhase([
    record({ time_to_first_token_ms: 10, inter_token_latency_ms: 2 }),
    record({ time_to_first_token_ms: 30, inter_token_latency_ms: 4, request_latency_ms: 300 }),
    record({ error: "HTTP 500", request_latency_ms: 1, output_sequence_length: 0 }),
  ], {
    phase: "profiling",
    startedAt: "2025-01-01T00:00:00.000Z",
    durationMs: 2000,
    cancelledCount: 1,
    interrupted: true,
  });
  assertEquals(
    [summary.request_count, summary.success_count, summary.error_count, summary.cancelled_count],
    [3, 2, 1, 1],
  );
  assertEquals(summary.interrupted, true);
  assertEquals(summary.metrics.time_to_first_token?.avg, 20);
  assertEquals(summary.metrics.inter_token_latency?.avg, 3);
  assertEquals(summary.metrics.request_latency?.min, 100);
  assertEquals(summary.metrics.request_latency?.max, 300);
  assertEquals(summary.metrics.request_throughput, { unit: "requests/sec", avg: 1 });
  assertEquals(summary.metrics.output_token_throughput, { unit: "tokens/sec", avg: 10 });
  assertEquals(summary.metrics.error_request_count?.avg, 1);
});

Deno.test("summary: whole responses have no ttft or itl statistics", () => {
  const summary = summarizePhase([record({})], {
    phase: "warmup",
    startedAt: "",
    durationMs: 0,
    cancelledCount: 0,
    interrupted: false,
  });
  assertEquals(summary.metrics.time_to_first_token, undefined);
  assertEquals(summary.metrics.inter_token_latency, undefined);
  assertEquals(summary.metrics.request_throughput?.avg, 0);
});
