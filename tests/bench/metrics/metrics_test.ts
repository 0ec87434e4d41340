import { computeStatistics } from "../../../src/bench/metrics/compute_statistics.ts";
import { summarizePhase } from "../../../src/bench/metrics/summarize_phase.ts";
import { buildRecord } from "../../../src/bench/metrics/build_record.ts";
import { parseGoodput } from "../../../src/bench/metrics/parse_goodput.ts";
import type { TokenCounter } from "../../../src/bench/tokens/load_tokenizer.ts";
import type { EndpointResult, RequestRecord } from "../../../src/bench/types.ts";
import { assert, assertBetween, assertEquals, assertThrows } from "../_assert.ts";

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

function built(r: EndpointResult, tokenizer?: TokenCounter): RequestRecord {
  return buildRecord(r, {
    phase: "profiling",
    index: 0,
    phaseStart: 0,
    prompt: "one two three",
    ...(tokenizer === undefined ? {} : { tokenizer }),
  });
}

const FACTS = {
  phase: "profiling" as const,
  startedAt: "2025-01-01T00:00:00.000Z",
  durationMs: 2000,
  cancelledCount: 1,
  interrupted: true,
};

Deno.test("record: AIPerf's definitions of ttft, ttst, ttfo, itl, icl and osl", () => {
  // 2 reasoning chunks then 2 content chunks, 2 tokens each; usage says 8 (3 reasoning).
  const r = built({
    start: 100,
    end: 200,
    chunks: [120, 130, 150, 190],
    firstOutputChunk: 150,
    reasoningChunks: 2,
    outputText: "abcd",
    reasoningText: "xyz",
    usage: { completion_tokens: 8, prompt_tokens: 5, reasoning_tokens: 3 },
  });
  const m = (name: string) => r.metrics[name]?.value;
  assertEquals(m("time_to_first_token"), 20);
  assertEquals(m("time_to_second_token"), 10);
  assertEquals(m("time_to_first_output_token"), 50);
  // AIPerf's request_latency ends at the last chunk carrying content (190), not the stream's
  // end (200, still end_ms).
  assertEquals(m("request_latency"), 90);
  assertEquals(r.end_ms - r.start_ms, 100);
  close(m("inter_token_latency") as number, (90 - 20) / (8 - 1), "itl");
  close(m("output_token_throughput_per_user") as number, 1000 / (70 / 7), "per user");
  assertEquals(m("inter_chunk_latency"), [10, 20, 40]);
  assertEquals([m("output_sequence_length"), m("output_token_count")], [8, 5]);
  assertEquals([m("reasoning_token_count"), m("input_sequence_length")], [3, 5]);
  assertEquals(r.chunks_ms, [20, 30, 50, 90]);
  assertEquals(r.tokens.output_source, "usage");
});

Deno.test("record: tokens from the tokenizer without usage, chunks without either", () => {
  const words: TokenCounter = { name: "words", count: (t) => t.split(" ").filter(Boolean).length };
  const result: EndpointResult = {
    start: 0,
    end: 40,
    chunks: [10, 20],
    reasoningChunks: 1,
    firstOutputChunk: 20,
    outputText: "a b c d",
    reasoningText: "x y",
  };
  const counted = built(result, words);
  assertEquals(counted.tokens, {
    output: 4,
    reasoning: 2,
    input: 3,
    output_source: "tokenizer",
    reasoning_source: "tokenizer",
    input_source: "tokenizer",
  });
  assertEquals(counted.metrics.inter_token_latency?.value, (20 - 10) / 5);
  const guessed = built(result);
  assertEquals([guessed.tokens.output, guessed.tokens.reasoning], [1, 1]);
  assertEquals([guessed.tokens.output_source, guessed.tokens.input_source], ["chunks", "none"]);
  // Usage and a tokenizer: usage wins, the tokenizer's figure is kept beside it.
  const both = built({ ...result, usage: { completion_tokens: 7 } }, words);
  assertEquals([both.tokens.output, both.tokens.reasoning], [5, 2]);
  assertEquals(both.tokens.tokenizer_output_sequence_length, 6);
});

Deno.test("summary: failed requests count as errors, grouped by kind, out of the statistics", () => {
  const ok = (ttft: number, end: number) =>
    built({ start: 0, end, chunks: [ttft, end], usage: { completion_tokens: 10 } });
  const summary = summarizePhase([
    ok(10, 100),
    ok(30, 300),
    built({ start: 0, end: 1, status: 500, error: "HTTP 500: a", errorKind: "http" }),
    built({ start: 0, end: 1, status: 500, error: "HTTP 500: b", errorKind: "http" }),
    built({ start: 0, end: 1, error: "connection refused: x", errorKind: "connection_refused" }),
  ], FACTS);
  assertEquals(
    [summary.request_count, summary.error_request_count, summary.cancelled_request_count],
    [2, 3, 1],
  );
  assertEquals(summary.interrupted, true);
  assertEquals(summary.metrics.time_to_first_token?.avg, 20);
  assertEquals(summary.metrics.request_latency?.min, 100);
  assertEquals(summary.metrics.request_latency?.max, 300);
  assertEquals(summary.metrics.request_throughput, { unit: "requests/sec", avg: 1 });
  assertEquals(summary.metrics.output_token_throughput, { unit: "tokens/sec", avg: 10 });
  assertEquals(summary.metrics.request_count?.avg, summary.request_count);
  assertEquals(summary.metrics.error_request_count?.avg, 3);
  assertEquals(summary.metrics.inter_chunk_latency?.count, 2);
  assertEquals(summary.error_summary, [
    { error_details: { code: 500, type: "http", message: "HTTP 500: a" }, count: 2 },
    {
      error_details: { code: null, type: "connection_refused", message: "connection refused: x" },
      count: 1,
    },
  ]);
  for (const p of ["p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99"]) {
    assert(p in summary.metrics.request_latency!, p);
  }
  const few = summarizePhase([ok(10, 100)], { ...FACTS, percentiles: [50] });
  assertEquals(Object.keys(few.metrics.request_latency!), [
    "unit",
    "avg",
    "min",
    "max",
    "p50",
    "std",
    "count",
  ]);
});

Deno.test("summary: goodput is 0 when no request meets the SLOs, the throughput when all do", () => {
  const records = [10, 20, 30, 40].map((ttft) =>
    built({ start: 0, end: 100, chunks: [ttft, 100], usage: { completion_tokens: 2 } })
  );
  const at = (text: string) =>
    summarizePhase(records, { ...FACTS, goodput: parseGoodput(text) }).metrics;
  assertEquals(at("time_to_first_token:5").goodput?.avg, 0);
  const all = at("time_to_first_token:40 inter_token_latency:90");
  assertEquals(all.goodput?.avg, all.request_throughput?.avg);
  assertEquals(at("time_to_first_token:25").good_request_count?.avg, 2);
  assertThrows(() => parseGoodput("time_to_first_token"));
  assertThrows(() => parseGoodput("ttft:20"));
});

Deno.test("summary: whole responses have no ttft or itl statistics", () => {
  const summary = summarizePhase([built({ start: 0, end: 5, outputText: "x" })], {
    ...FACTS,
    durationMs: 0,
  });
  assertEquals(summary.metrics.time_to_first_token, undefined);
  assertEquals(summary.metrics.inter_token_latency, undefined);
  assertEquals(summary.metrics.request_throughput?.avg, 0);
});
