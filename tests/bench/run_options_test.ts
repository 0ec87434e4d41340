// `deno task bench` in process: --url, --duration, unreachable servers, jsonl datasets.
import { startServer } from "../../src/bench/server/start_server.ts";
import { assert, assertEquals } from "./_assert.ts";
import { closedPort, runMain, serveLoopback, tempTree } from "./_helpers.ts";

Deno.test("main: --url benchmarks that server instead of the embedded one", async () => {
  const server = await startServer({ ttftMs: 0, itlMs: 0, outputTokens: 3 });
  try {
    const { status, stdout, stderr } = await runMain([
      "--url",
      server.url,
      "--request-count",
      "5",
      "--warmup-request-count",
      "2",
      "--endpoint",
      "openai_completions",
    ]);
    assertEquals(status, 0, stderr);
    assert(!stderr.includes("Embedded server"), stderr);
    assertEquals(server.requestCount, 1 + 2 + 5); // pre-flight, warmup, profiling
    assert(stdout.includes(`openai_completions ${server.url}/v1/completions (streaming)`), stdout);
  } finally {
    await server.close();
  }
});

Deno.test("main: --duration stops the profiling phase by time", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { status, stderr } = await runMain([
      "--duration",
      "0.3",
      "--ttft-ms",
      "5",
      "--itl-ms",
      "0",
      "--warmup-request-count",
      "0",
      "--output",
      dir,
    ]);
    assertEquals(status, 0, stderr);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    const profiling = json.phases.profiling;
    assert(profiling.request_count > 0);
    assertEquals(profiling.interrupted, false);
    assertEquals(json.phases.warmup, undefined);
    assertEquals(json.benchmark.timing_strategy, "fixed_concurrency");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main: nothing succeeding exits 1 with the first error", async () => {
  const server = await startServer({ ttftMs: 0, itlMs: 0, errorEvery: 2 });
  try {
    // The pre-flight request succeeds (request 1); then every other request fails.
    const { status, stdout, stderr } = await runMain([
      "--url",
      server.url,
      "--request-count",
      "3",
      "--warmup-request-count",
      "0",
      "--concurrency",
      "1",
      "--no-progress",
    ]);
    assertEquals(status, 0, stderr);
    assert(stdout.includes("Phase profiling: 1 ok, 2 errors"), stdout);
    assert(/ +2 {2}http 500: HTTP 500: Injected failure/.test(stdout), stdout);
  } finally {
    await server.close();
  }
  const always = await startServer({ ttftMs: 0, itlMs: 0, errorEvery: 1 });
  try {
    const { status, stdout, stderr } = await runMain([
      "--url",
      always.url,
      "--request-count",
      "3",
      "--warmup-request-count",
      "0",
    ]);
    assertEquals(status, 1, stderr);
    assert(stderr.includes("warning: the pre-flight request to"), stderr);
    assert(stderr.includes("error: no request succeeded (first error: HTTP 500"), stderr);
    assert(stdout.includes("Phase profiling: 0 ok, 3 errors"), stdout);
  } finally {
    await always.close();
  }
});

Deno.test("main: a closed port fails the pre-flight check at once, naming it", async () => {
  const url = `http://127.0.0.1:${closedPort()}`;
  const started = performance.now();
  const { status, stdout, stderr } = await runMain(["--url", url, "--benchmark-duration", "2"]);
  const seconds = (performance.now() - started) / 1000;
  assertEquals(status, 1, stderr);
  assert(stderr.includes(`connection refused: ${url}/v1/chat/completions`), stderr);
  assert(!stdout.includes("Phase"), stdout);
  console.log(`closed port: exit ${status} after ${seconds.toFixed(2)} s`);
});

Deno.test("main: a jsonl dataset relative to the benchmark file, random sampler", async () => {
  const dir = await tempTree({
    "prompts/p.jsonl":
      '{"prompt": "one two", "max_tokens": 2}\n{"prompt": "three", "max_tokens": 5}\n',
    "bench.yaml": `
dataset: { name: jsonl, config: { path: ./prompts/p.jsonl } }
dataset_sampler: { name: random, config: { seed: 1 } }
phases: { warmup: { request_count: 0 }, profiling: { request_count: 20 } }
server: { ttft_ms: 0, itl_ms: 0, output_tokens: 50 }
`,
  });
  try {
    const { status, stderr } = await runMain([
      "--config",
      `${dir}/bench.yaml`,
      "--output",
      `${dir}/out`,
    ]);
    assertEquals(status, 0, stderr);
    const records = (await Deno.readTextFile(`${dir}/out/records.jsonl`)).trim().split("\n")
      .map((l) => JSON.parse(l));
    const lengths = new Set(
      records.map((r) => `${r.tokens.input}:${r.metrics.output_sequence_length.value}`),
    );
    assertEquals([...lengths].sort(), ["1:5", "2:2"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main: an interrupt during warmup skips profiling and exits 130", async () => {
  // Interrupted once the warmup is under way (the pre-flight request and 4 warmup requests
  // seen), however long the start-up took.
  const interrupt = new AbortController();
  let seen = 0;
  const server = serveLoopback(() => {
    if (++seen === 5) interrupt.abort();
    const body = 'data: {"choices":[{"delta":{"content":"hi"}}]}\n\ndata: [DONE]\n\n';
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  try {
    const { status, stdout } = await runMain([
      "--url",
      server.url,
      "--warmup-request-count",
      "100000",
      "--concurrency",
      "1",
    ], interrupt.signal);
    assertEquals(status, 130);
    assert(/Phase warmup: \d+ ok, 0 errors.*\(interrupted\)/.test(stdout), stdout);
    assert(!stdout.includes("Phase profiling"), stdout);
  } finally {
    await server.close();
  }
});
