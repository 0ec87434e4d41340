// The bench against a server written independently of ours (Python's stdlib, started here):
// reasoning in both fields, several tokens per chunk without usage, SSE framing variants,
// error events and a server that dies mid-run. Figures must be within the README's accuracy:
// never early (-1 ms), TTFT/TTFO at most 15 ms late at the median, ITL within 1 ms.
import { assert, assertBetween, assertEquals } from "./_assert.ts";
import { runMain, withServerProcess } from "./_helpers.ts";

const SCRIPT = new URL("./servers/sse_server.py", import.meta.url).pathname;

function withServer<T>(
  options: Record<string, unknown>,
  fn: (url: string) => Promise<T>,
): Promise<T> {
  return withServerProcess("python3", SCRIPT, options, fn);
}

interface Run {
  status: number;
  stderr: string;
  stdout: string;
  json: {
    metrics: Record<string, Record<string, number>>;
    error_summary: { error_details: { type: string; code: number | null }; count: number }[];
    phases: Record<string, { request_count: number; stopped?: string }>;
    failures: string[];
  };
  records: { tokens: Record<string, unknown>; metrics: Record<string, { value: unknown }> }[];
}

async function bench(url: string, extra: string[]): Promise<Run> {
  const dir = await Deno.makeTempDir();
  try {
    const { status, stdout, stderr } = await runMain([
      "--url",
      url,
      "--request-count",
      "12",
      "--warmup-request-count",
      "1",
      "--concurrency",
      "2",
      "--no-progress",
      "--output",
      dir,
      ...extra,
    ]);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    const lines = (await Deno.readTextFile(`${dir}/records.jsonl`)).trim().split("\n");
    return {
      status,
      stdout,
      stderr,
      json,
      records: lines.filter(Boolean).map((l) => JSON.parse(l)),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function near(run: Run, metric: string, expected: number, late: number) {
  const stats = run.json.metrics[metric];
  assert(stats !== undefined, `${metric} missing: ${Object.keys(run.json.metrics)}`);
  console.log(`${metric}: p50 ${stats.p50!.toFixed(2)} (expected ${expected})`);
  // A late first read shortens that request's ITL, so only latencies from the start have a floor.
  if (metric !== "inter_token_latency") {
    assertBetween(stats.min!, expected - 1, expected + late + 30, `${metric} min`);
  }
  assertBetween(stats.p50!, expected - 1, expected + late, `${metric} p50`);
}

for (const field of ["reasoning", "reasoning_content"]) {
  Deno.test(`independent server: ${field} stream, 24 reasoning + 8 content tokens`, async () => {
    const run = await withServer(
      { ttft_ms: 80, gap_ms: 15, reasoning: 24, output: 8, field },
      (url) => bench(url, []),
    );
    assertEquals(run.status, 0, run.stderr);
    near(run, "time_to_first_token", 80, 15);
    near(run, "time_to_first_output_token", 80 + 24 * 15, 15);
    near(run, "inter_token_latency", 15, 1);
    assertEquals(run.json.metrics.output_sequence_length!.avg, 32);
    assertEquals(run.json.metrics.reasoning_token_count!.avg, 24);
    assertEquals(run.json.metrics.output_token_count!.avg, 8);
  });
}

Deno.test("independent server: 32 tokens in 8 chunks, no usage, counted by --tokenizer", async () => {
  const options = { ttft_ms: 40, gap_ms: 20, output: 32, per_chunk: 4, usage: false };
  const run = await withServer(options, (url) => bench(url, ["--tokenizer", "cl100k_base"]));
  assertEquals(run.status, 0, run.stderr);
  assertEquals(run.json.metrics.output_sequence_length!.avg, 32);
  assertEquals(run.records[0]!.tokens.output_source, "tokenizer");
  near(run, "time_to_first_token", 40, 15);
  // AIPerf's ITL: (latency - TTFT) / (OSL - 1) = 7 gaps of 20 ms over 31 tokens.
  near(run, "inter_token_latency", (7 * 20) / 31, 1);
  // One late read shortens the next gap, so only the median of the gaps is bounded.
  assertBetween(run.json.metrics.inter_chunk_latency!.p50!, 19, 21, "inter_chunk_latency p50");
  assert(!run.stderr.includes("--tokenizer NAME|PATH"), run.stderr);

  // Without a tokenizer: chunks are counted, and the bench says so once.
  const guessed = await withServer(options, (url) => bench(url, []));
  assertEquals(guessed.json.metrics.output_sequence_length!.avg, 8);
  assertEquals(guessed.stderr.split("--tokenizer NAME|PATH").length - 1, 1, guessed.stderr);
});

Deno.test("independent server: plain stream with CRLF, no space after data:, comments, split JSON", async () => {
  for (
    const framing of [
      { crlf: true, nospace: true, comments: true },
      { cr: true, multiline: true },
    ]
  ) {
    const run = await withServer(
      { ttft_ms: 30, gap_ms: 10, output: 16, ...framing },
      (url) => bench(url, []),
    );
    assertEquals(run.status, 0, run.stderr);
    assertEquals(run.json.metrics.output_sequence_length!.avg, 16);
    near(run, "time_to_first_token", 30, 15);
    near(run, "inter_token_latency", 10, 1);
  }
});

Deno.test("independent server: not streamed, no usage: OSL from the tokenizer", async () => {
  const run = await withServer(
    { ttft_ms: 5, output: 21, usage: false },
    (url) => bench(url, ["--no-streaming", "--tokenizer", "o200k_base"]),
  );
  assertEquals(run.status, 0, run.stderr);
  assertEquals(run.json.metrics.output_sequence_length!.min, 21);
  assertEquals(run.json.metrics.time_to_first_token, undefined);
});

Deno.test("independent server: an error event mid-stream is an error by kind", async () => {
  const run = await withServer(
    { ttft_ms: 1, gap_ms: 1, output: 8, error_at: 3 },
    (url) => bench(url, ["--request-count", "4"]),
  );
  assertEquals(run.status, 1, run.stderr);
  assertEquals(run.json.error_summary, [
    {
      error_details: { code: 200, type: "stream", message: "Server error: engine overloaded" },
      count: 4,
    },
  ]);
  assert(run.stdout.includes("4  stream 200: Server error: engine overloaded"), run.stdout);
});

Deno.test("independent server: a server that dies mid-run keeps partial results, exits 1", async () => {
  const run = await withServer(
    { ttft_ms: 5, gap_ms: 5, output: 8, crash_after: 10 },
    (url) => bench(url, ["--benchmark-duration", "30", "--request-count", "100000"]),
  );
  assertEquals(run.status, 1, run.stderr);
  const profiling = run.json.phases.profiling!;
  assert(profiling.request_count >= 6, `kept ${profiling.request_count}`);
  assert(profiling.stopped?.includes("connection refused"), profiling.stopped);
  assert(
    run.stderr.includes("FAILED: profiling stopped: the server cannot be reached"),
    run.stderr,
  );
  assert(run.records.length > profiling.request_count, "errors are recorded too");
});
