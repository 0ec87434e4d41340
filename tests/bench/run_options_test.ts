// `deno task bench` in process: --url, --duration, unreachable servers, jsonl datasets.
import { startServer } from "../../src/bench/server/start_server.ts";
import { assert, assertEquals } from "./_assert.ts";
import { closedPort, runMain, tempTree } from "./_helpers.ts";

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
    assertEquals(server.requestCount, 7);
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
    assert(profiling.success_count > 0);
    assertEquals(profiling.interrupted, false);
    assertEquals(json.phases.warmup, undefined);
    assertEquals(json.benchmark.timing_strategy, "fixed_concurrency");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main: nothing succeeding exits 1 with the first error", async () => {
  const { status, stdout, stderr } = await runMain([
    "--url",
    `http://127.0.0.1:${closedPort()}`,
    "--request-count",
    "3",
    "--warmup-request-count",
    "0",
  ]);
  assertEquals(status, 1, stderr);
  assert(stderr.includes("error: no request succeeded (first error: "), stderr);
  assert(stdout.includes("Phase profiling: 0 ok, 3 errors"), stdout);
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
      records.map((r) => `${r.input_sequence_length}:${r.output_sequence_length}`),
    );
    assertEquals([...lengths].sort(), ["1:5", "2:2"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main: an interrupt during warmup skips profiling and exits 130", async () => {
  const interrupt = new AbortController();
  setTimeout(() => interrupt.abort(), 150);
  const { status, stdout } = await runMain([
    "--warmup-request-count",
    "100000",
    "--ttft-ms",
    "1",
    "--itl-ms",
    "0",
  ], interrupt.signal);
  assertEquals(status, 130);
  assert(/Phase warmup: \d+ ok, 0 errors.*\(interrupted\)/.test(stdout), stdout);
  assert(!stdout.includes("Phase profiling"), stdout);
});
