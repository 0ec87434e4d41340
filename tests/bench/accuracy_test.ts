// The numbers are right: against the embedded server with known time to first token,
// inter-token latency and length, the reported figures match. Lower bounds are exact (the
// server is never early); upper bounds leave room for a slow, loaded 2-core machine.
import { assertBetween, assertEquals } from "./_assert.ts";
import { runMain } from "./_helpers.ts";

const TTFT = 40;
const ITL = 8;
const TOKENS = 16;
const LATENCY = TTFT + (TOKENS - 1) * ITL; // 160 ms
const CONCURRENCY = 4;

interface Stats {
  unit: string;
  avg: number;
  min?: number;
  max?: number;
  p50?: number;
  p90?: number;
  p99?: number;
  std?: number;
}

async function profile(extra: string[]) {
  const dir = await Deno.makeTempDir();
  try {
    const { status, stderr } = await runMain([
      "--ttft-ms",
      String(TTFT),
      "--itl-ms",
      String(ITL),
      "--output-tokens",
      String(TOKENS),
      "--concurrency",
      String(CONCURRENCY),
      "--request-count",
      "40",
      "--warmup-request-count",
      "4",
      "--no-progress",
      "--output",
      dir,
      ...extra,
    ]);
    assertEquals(status, 0, stderr);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    const records = (await Deno.readTextFile(`${dir}/records.jsonl`)).trim().split("\n")
      .map((line) => JSON.parse(line));
    return { json, records, metrics: json.metrics as Record<string, Stats> };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function report(name: string, measured: number, expected: number) {
  const error = measured - expected;
  console.log(
    `${name}: measured ${measured.toFixed(3)}, expected ${expected}, error ${
      error >= 0 ? "+" : ""
    }${error.toFixed(3)} (${((error / expected) * 100).toFixed(2)}%)`,
  );
}

Deno.test("accuracy: streaming chat reports the server's ttft, itl, length and latency", async () => {
  const { json, records, metrics } = await profile([]);
  const ttft = metrics.time_to_first_token!;
  const itl = metrics.inter_token_latency!;
  const latency = metrics.request_latency!;
  const osl = metrics.output_sequence_length!;
  report("time_to_first_token.p50 (ms)", ttft.p50!, TTFT);
  report("time_to_first_token.avg (ms)", ttft.avg, TTFT);
  report("inter_token_latency.avg (ms)", itl.avg, ITL);
  report("request_latency.p50 (ms)", latency.p50!, LATENCY);

  assertEquals([osl.min, osl.max, osl.avg], [TOKENS, TOKENS, TOKENS]);
  assertBetween(ttft.min!, TTFT - 1, TTFT + 40, "ttft min");
  assertBetween(ttft.p50!, TTFT - 1, TTFT + 15, "ttft p50");
  assertBetween(itl.avg, ITL - 1, ITL + 2, "itl avg");
  assertBetween(latency.min!, LATENCY - 1, LATENCY + 60, "latency min");
  assertBetween(latency.p50!, LATENCY - 1, LATENCY + 25, "latency p50");
  assertEquals(ttft.unit, "ms");

  // Aggregates are consistent with the counts and the phase duration, and can never beat the
  // ideal (concurrency / latency).
  const profiling = json.phases.profiling;
  assertEquals([profiling.request_count, profiling.error_request_count], [40, 0]);
  assertEquals(json.phases.warmup.request_count, 4);
  const rps = metrics.request_throughput!.avg;
  assertBetween(
    rps,
    40 / (profiling.duration_ms / 1000) - 1e-9,
    40 / (profiling.duration_ms / 1000) + 1e-9,
    "rps",
  );
  assertBetween(rps, 0.1, (CONCURRENCY * 1000) / LATENCY + 0.01, "rps vs ideal");
  assertBetween(
    metrics.output_token_throughput!.avg,
    rps * TOKENS - 1e-6,
    rps * TOKENS + 1e-6,
    "tps",
  );

  // Records agree with the statistics.
  assertEquals(records.length, 40);
  const p = records.map((r) => r.metrics.time_to_first_token.value).sort((a, b) => a - b);
  assertBetween(ttft.max!, p[p.length - 1] - 1e-9, p[p.length - 1] + 1e-9, "ttft max from records");
  for (const r of records) assertEquals(r.metrics.output_sequence_length.value, TOKENS);
});

Deno.test("accuracy: whole responses report latency = ttft + (n - 1) * itl, no ttft", async () => {
  const { metrics } = await profile(["--no-streaming", "--endpoint", "openai_completions"]);
  const latency = metrics.request_latency!;
  report("request_latency.p50, not streaming (ms)", latency.p50!, LATENCY);
  assertEquals(metrics.time_to_first_token, undefined);
  assertEquals(metrics.inter_token_latency, undefined);
  assertEquals(metrics.output_sequence_length!.avg, TOKENS);
  assertBetween(latency.min!, LATENCY - 1, LATENCY + 60, "latency min");
  assertBetween(latency.p50!, LATENCY - 1, LATENCY + 25, "latency p50");
});

Deno.test("accuracy: request rate with Poisson arrivals issues every request", async () => {
  const { json, metrics } = await profile(["--request-rate", "100", "--arrival", "poisson"]);
  assertEquals(json.benchmark.timing_strategy, "request_rate");
  assertEquals(json.phases.profiling.request_count, 40);
  assertBetween(metrics.time_to_first_token!.p50!, TTFT - 1, TTFT + 15, "ttft p50");
});
