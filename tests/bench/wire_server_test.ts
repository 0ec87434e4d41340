// The bench against a second independent server (Node's node:http, tests/bench/servers/
// wire_server.mjs) that writes the exact bytes of vLLM, OpenAI, TGI, Ollama and OpenRouter
// streams, cuts events across TCP writes or packs several into one, and plays their error shapes:
// vLLM's {"object": "error"} event, TGI's {"error": "..."} event, a 200 answer with a JSON error
// body. Figures within the README's accuracy: never early (-1 ms), TTFT/TTFO at most 15 ms late
// at the median, ITL within 1 ms; counts exact.
import { assert, assertBetween, assertEquals } from "./_assert.ts";
import { runMain, tempTree, withServerProcess } from "./_helpers.ts";
import { parseBenchArgs } from "../../src/bench/config/parse_bench_args.ts";
import { BenchConfigError } from "../../src/bench/config/bench_config_error.ts";
import { loadTokenizer } from "../../src/bench/tokens/load_tokenizer.ts";

const SCRIPT = new URL("./servers/wire_server.mjs", import.meta.url).pathname;

function withServer<T>(
  options: Record<string, unknown>,
  fn: (url: string) => Promise<T>,
): Promise<T> {
  return withServerProcess("node", SCRIPT, options, fn);
}

interface Run {
  status: number;
  stderr: string;
  json: {
    metrics: Record<string, Record<string, number>>;
    error_summary: { error_details: { type: string; message: string }; count: number }[];
    token_counting: { tokenizer?: string; output_sources: Record<string, number> };
    warnings: string[];
  };
}

async function bench(url: string, extra: string[]): Promise<Run> {
  const dir = await Deno.makeTempDir();
  try {
    const { status, stderr } = await runMain([
      "-u",
      url,
      "-m",
      "m",
      "--request-count",
      "8",
      "--warmup-request-count",
      "0",
      "--concurrency",
      "2",
      "--no-progress",
      "--output",
      dir,
      ...extra,
    ]);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    return { status, stderr, json };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function near(run: Run, metric: string, expected: number, late: number) {
  const stats = run.json.metrics[metric];
  assert(stats !== undefined, `${metric} missing`);
  assertBetween(stats.p50!, expected - 1, expected + late, `${metric} p50`);
}

Deno.test("wire server: vLLM reasoning stream (role-only first chunk, usage-only last chunk)", async () => {
  const run = await withServer(
    { style: "vllm", ttft_ms: 60, itl_ms: 10, reasoning: 12, output: 6 },
    (url) => bench(url, ["--endpoint-type", "chat", "--streaming"]),
  );
  assertEquals(run.status, 0, run.stderr);
  near(run, "time_to_first_token", 60, 15);
  near(run, "time_to_first_output_token", 60 + 12 * 10, 15);
  near(run, "inter_token_latency", 10, 1);
  assertEquals(run.json.metrics.output_sequence_length!.avg, 18);
  assertEquals(run.json.metrics.reasoning_token_count!.avg, 12);
});

Deno.test("wire server: OpenAI, TGI, Ollama, OpenRouter framings; events cut or packed in TCP writes", async () => {
  for (
    const shape of [
      { style: "openai" },
      { style: "tgi" },
      { style: "ollama" },
      { style: "openrouter", crlf: true },
      { style: "vllm", split: true },
      { style: "vllm", batch: true },
    ]
  ) {
    const run = await withServer(
      { ttft_ms: 40, itl_ms: 8, output: 12, ...shape },
      (url) => bench(url, []),
    );
    const what = JSON.stringify(shape);
    assertEquals(run.status, 0, `${what}: ${run.stderr}`);
    assertEquals(run.json.metrics.error_request_count!.avg, 0, what);
    assertEquals(run.json.metrics.output_sequence_length!.avg, 12, what);
    near(run, "time_to_first_token", 40, 15);
    // A cut event lands 1 ms later; packed events land with the later one of each pair.
    near(run, "inter_token_latency", 8, shape.batch ? 2 : 1);
  }
});

Deno.test("wire server: completions stream (choices[0].text) with and without usage", async () => {
  for (const usage of [true, false]) {
    const run = await withServer(
      { style: "openai", ttft_ms: 30, itl_ms: 8, output: 10, usage },
      (url) => bench(url, ["--endpoint-type", "completions"]),
    );
    assertEquals(run.status, 0, run.stderr);
    assertEquals(run.json.metrics.output_sequence_length!.avg, 10);
    near(run, "inter_token_latency", 8, 1);
  }
});

Deno.test("wire server: error shapes are failed requests with the server's message", async () => {
  for (
    const [fault, message] of [
      ["vllm_error_event", "engine dead"],
      ["tgi_error_event", "CUDA OOM"],
      ["json_error_200", "model overloaded"],
      ["status_429", "status 429"],
    ]
  ) {
    const run = await withServer(
      { ttft_ms: 10, itl_ms: 2, output: 6, fault, fault_every: 2 },
      (url) => bench(url, []),
    );
    assertEquals(run.status, 0, run.stderr);
    assertEquals(run.json.metrics.request_count!.avg, 4, fault);
    assertEquals(run.json.metrics.error_request_count!.avg, 4, fault);
    const [group] = run.json.error_summary;
    assert(group?.error_details.message.includes(message!), `${fault}: ${JSON.stringify(group)}`);
  }
});

Deno.test("wire server: non-streamed replies without usage are counted, reasoning too", async () => {
  const plain = await withServer(
    { ttft_ms: 10, itl_ms: 2, output: 16, usage: false },
    (url) => bench(url, ["--no-streaming"]),
  );
  assertEquals(plain.status, 0, plain.stderr);
  assertEquals(plain.json.metrics.output_sequence_length!.avg, 16);
  assertEquals(plain.json.token_counting.tokenizer, "cl100k_base");
  assertEquals(plain.json.warnings.filter((w) => w.includes("--tokenizer")).length, 1);
  // Usage without completion_tokens_details: the reasoning text is counted.
  const reasoning = await withServer(
    { ttft_ms: 10, itl_ms: 2, output: 16, reasoning: 8, field: "reasoning_content" },
    (url) => bench(url, ["--no-streaming"]),
  );
  assertEquals(reasoning.json.metrics.output_sequence_length!.avg, 24);
  assertEquals(reasoning.json.metrics.reasoning_token_count!.avg, 8);
  assertEquals(reasoning.json.warnings, []);
});

Deno.test("AIPerf flags: --artifact-dir, --num-requests, --ui-type, --model-selection-strategy", () => {
  const args = parseBenchArgs([
    "--artifact-dir",
    "out",
    "--num-requests",
    "7",
    "--num-warmup-requests",
    "2",
    "--ui-type",
    "none",
    "--model-selection-strategy",
    "round_robin",
    "--tokenizer-trust-remote-code",
  ]);
  assertEquals([args.output, args.requestCount, args.warmupRequestCount, args.progress], [
    "out",
    7,
    2,
    false,
  ]);
  assertEquals(parseBenchArgs(["--output-artifact-dir", "o", "--ui", "simple"]).progress, true);
  for (
    const argv of [["--ui-type", "fancy"], ["--model-selection-strategy", "fastest"]]
  ) {
    let error: unknown;
    try {
      parseBenchArgs(argv);
    } catch (e) {
      error = e;
    }
    assert(error instanceof BenchConfigError && error.message.includes(argv[0]!), String(error));
  }
});

Deno.test("--tokenizer ORG/NAME: found in the Hugging Face cache, else a message that says how", async () => {
  const json = JSON.stringify({
    version: "1.0",
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: { type: "Whitespace" },
    post_processor: null,
    decoder: null,
    model: { type: "WordLevel", vocab: { "[UNK]": 0, hello: 1 }, unk_token: "[UNK]" },
  });
  const cache = await tempTree({
    "models--acme--tiny/refs/main": "abc\n",
    "models--acme--tiny/snapshots/abc/tokenizer.json": json,
  });
  const before = Deno.env.get("HF_HUB_CACHE");
  Deno.env.set("HF_HUB_CACHE", cache);
  try {
    assertEquals((await loadTokenizer("acme/tiny")).count("hello hello"), 2);
    let error: unknown;
    try {
      await loadTokenizer("acme/absent");
    } catch (e) {
      error = e;
    }
    assert(
      error instanceof BenchConfigError && error.message.includes("huggingface-cli download"),
      String(error),
    );
  } finally {
    if (before === undefined) Deno.env.delete("HF_HUB_CACHE");
    else Deno.env.set("HF_HUB_CACHE", before);
    await Deno.remove(cache, { recursive: true });
  }
});
