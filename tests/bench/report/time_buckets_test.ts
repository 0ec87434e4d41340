// The throughput-over-time chart's buckets: rates per second of each bucket's real span.
import { assertEquals } from "../_assert.ts";
import { timeBuckets } from "../../../src/bench/report/_chart_data.ts";
import { requestColumns } from "../../../src/bench/report/request_columns.ts";

Deno.test("timeBuckets: a phase's last bucket is divided by the part of it the phase lasted", () => {
  // One completion every 10 ms from 5 to 1025 ms (100 per second), 2 output tokens each.
  const requests = Array.from({ length: 103 }, (_, i) => ({
    phase: "profiling",
    startMs: 4 + i * 10,
    endMs: 5 + i * 10,
    outputTokens: 2,
  }));
  const b = timeBuckets(requestColumns(requests), ["profiling"]);
  assertEquals(b.widthS, 0.05);
  const rates = b.requests[0]!;
  // Full buckets: 5 completions in 50 ms.
  for (let i = 0; i < 20; i++) assertEquals(rates[i], 100, `bucket ${i}`);
  // The last, [1000, 1050) ms: 3 completions (1005, 1015, 1025) while the phase lasted 25 ms
  // of it; over the full 50 ms it would read 60.
  assertEquals(rates[20], 3 / 0.025);
  assertEquals(b.tokens[0]![20], 6 / 0.025);
  // A phase that ends on another phase's timeline keeps its own last bucket.
  const two = timeBuckets(
    requestColumns([...requests, { phase: "warmup", startMs: 0, endMs: 120, outputTokens: 1 }]),
    ["warmup", "profiling"],
  );
  assertEquals(two.requests[0]![2], 1 / 0.02);
  assertEquals(two.requests[1]![20], 3 / 0.025);
});
