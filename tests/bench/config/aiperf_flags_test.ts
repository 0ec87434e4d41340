// AIPerf flags users paste, with AIPerf's meaning, through the command line against a server on
// loopback that records what it received.
import { assert, assertBetween, assertEquals } from "../_assert.ts";
import { runMain, serveLoopback, tempTree } from "../_helpers.ts";
import { parseBenchArgs } from "../../../src/bench/config/parse_bench_args.ts";
import { BenchConfigError } from "../../../src/bench/config/bench_config_error.ts";
import { loadTokenizer } from "../../../src/bench/tokens/load_tokenizer.ts";
import { PREFLIGHT_PROMPT } from "../../../src/bench/run/preflight.ts";

interface Seen {
  readonly model: string;
  readonly prompt: string;
  /** Milliseconds since the server started. */
  readonly at: number;
}

/** Replies "ok" (streamed) after `delayMs(prompt)`; keeps the workload's requests in order. */
function server(delayMs: (prompt: string) => number = () => 0) {
  const seen: Seen[] = [];
  const preflights: number[] = [];
  const t0 = performance.now();
  const loopback = serveLoopback(async (request) => {
    const body = await request.json() as { model: string; messages: { content: string }[] };
    const prompt = body.messages.at(-1)!.content;
    const at = performance.now() - t0;
    if (prompt === PREFLIGHT_PROMPT) preflights.push(at);
    else seen.push({ model: body.model, prompt, at });
    await new Promise((r) => setTimeout(r, delayMs(prompt)));
    const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
    return new Response(
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: "ok" } }] })}\n\n` +
        `data: ${JSON.stringify({ choices: [], usage })}\n\ndata: [DONE]\n\n`,
      { headers: { "content-type": "text/event-stream" } },
    );
  });
  return { ...loopback, seen, preflights };
}

const QUIET = ["--no-progress", "--warmup-request-count", "0"];

Deno.test("--fixed-schedule-start/end-offset: only the window is sent, times count from the start offset", async () => {
  const s = server();
  const dir = await tempTree({
    "trace.jsonl": [0, 1000, 1200, 1500, 3000]
      .map((timestamp) => JSON.stringify({ timestamp, text_input: `at ${timestamp}` }))
      .join("\n") + "\n",
  });
  try {
    const out = await runMain([
      "-u",
      s.url,
      "--input-file",
      `${dir}/trace.jsonl`,
      "--custom-dataset-type",
      "mooncake_trace",
      "--fixed-schedule-start-offset",
      "1000",
      "--fixed-schedule-end-offset",
      "1500",
      "--output",
      `${dir}/out`,
      ...QUIET,
    ]);
    assertEquals(out.status, 0, out.stderr);
    // Both ends included, as AIPerf's loader.
    assertEquals(s.seen.map((r) => r.prompt), ["at 1000", "at 1200", "at 1500"]);
    assert(
      out.stderr.includes("2 of 5 dataset entries are outside the schedule window"),
      out.stderr,
    );
    // The entry at the start offset goes at once (not 1 s into the phase), the rest 200 and
    // 500 ms after it: never early; late by what a loaded machine makes timers late (a CI run
    // on a busy machine read 238 for 200), well short of the next entry's 300 ms more.
    assertBetween(s.seen[0]!.at - s.preflights[0]!, 0, 400, "first entry after the pre-flight");
    for (const [i, want] of [0, 200, 500].entries()) {
      assertBetween(s.seen[i]!.at - s.seen[0]!.at, want - 10, want + 150, `entry ${i} (ms)`);
    }
  } finally {
    await s.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--fixed-schedule offsets: bad combinations and an empty window exit 2, nothing sent", async () => {
  const s = server();
  const dir = await tempTree({
    "trace.jsonl": '{"timestamp": 0, "text_input": "a"}\n{"timestamp": 100, "text_input": "b"}\n',
  });
  const trace = ["--input-file", `${dir}/trace.jsonl`];
  try {
    for (
      const [argv, flag] of [
        [
          [...trace, "--fixed-schedule-start-offset", "50", "--fixed-schedule-end-offset", "10"],
          "--fixed-schedule-start-offset",
        ],
        [
          [...trace, "--fixed-schedule-start-offset", "5", "--fixed-schedule-auto-offset"],
          "--fixed-schedule-start-offset",
        ],
        [["--fixed-schedule-end-offset", "10"], "--fixed-schedule-end-offset"],
        [[...trace, "--fixed-schedule-start-offset", "-1"], "--fixed-schedule-start-offset"],
        [[...trace, "--fixed-schedule-start-offset", "200"], "--fixed-schedule-start-offset"],
      ] as const
    ) {
      const out = await runMain(["-u", s.url, ...argv, ...QUIET]);
      assertEquals(out.status, 2, `${argv.join(" ")}: ${out.stderr}`);
      assert(out.stderr.includes(flag), out.stderr);
    }
    assertEquals([s.seen.length, s.preflights.length], [0, 0]);
  } finally {
    await s.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--model-selection-strategy random: uniform picks, the same for the same --random-seed", async () => {
  const s = server();
  const run = async (...extra: string[]) => {
    s.seen.length = 0;
    const out = await runMain([
      "-u",
      s.url,
      "-m",
      "a,b,c",
      "--request-count",
      "60",
      "--concurrency",
      "1",
      ...extra,
      ...QUIET,
    ]);
    assertEquals(out.status, 0, out.stderr);
    return s.seen.map((r) => r.model).join("");
  };
  try {
    const first = await run("--model-selection-strategy", "random", "--random-seed", "7");
    const again = await run("--model-selection-strategy", "random", "--random-seed", "7");
    const other = await run("--model-selection-strategy", "random", "--random-seed", "8");
    assertEquals(again, first);
    assert(other !== first, "another seed, the same picks");
    for (const model of "abc") {
      assertBetween(first.split(model).length - 1, 8, 32, `picks of ${model} in ${first}`);
    }
    assert(!first.startsWith("abcabc"), first);
    // AIPerf's help spells it round-robin: the nth request asks for model n mod 3.
    assertEquals(await run("--model-selection-strategy", "round-robin"), "abc".repeat(20));
  } finally {
    await s.close();
  }
});

Deno.test("--benchmark-grace-period: requests unfinished after it are cancelled, not measured", async () => {
  // Every third request takes 1.5 s; the others 5 ms.
  let n = 0;
  const slow = new Set<string>();
  const s = server((prompt) => {
    if (prompt === PREFLIGHT_PROMPT) return 0;
    if (n++ % 3 === 0) slow.add(prompt);
    return slow.has(prompt) ? 1500 : 5;
  });
  const dir = await Deno.makeTempDir();
  const run = async (grace: string) => {
    const out = await runMain([
      "-u",
      s.url,
      "--benchmark-duration",
      "0.3",
      "--benchmark-grace-period",
      grace,
      "--concurrency",
      "2",
      "--output",
      `${dir}/${grace}`,
      ...QUIET,
    ]);
    const result = JSON.parse(await Deno.readTextFile(`${dir}/${grace}/profile_export.json`));
    const latencies = (await Deno.readTextFile(`${dir}/${grace}/records.jsonl`)).trim().split("\n")
      .map((l) => JSON.parse(l).metrics.request_latency?.value ?? 0);
    return { out, profiling: result.phases.profiling, maxLatency: Math.max(...latencies) };
  };
  try {
    const cut = await run("0.2");
    assert(cut.profiling.cancelled_request_count >= 1, JSON.stringify(cut.profiling));
    assert(cut.maxLatency < 1000, `a slow request was measured: ${cut.maxLatency} ms`);
    const waited = await run("5");
    assertEquals(waited.out.status, 0, waited.out.stderr);
    assertEquals(waited.profiling.cancelled_request_count, 0);
    assert(waited.maxLatency >= 1500, `no slow request was measured: ${waited.maxLatency} ms`);
    // Without a duration AIPerf accepts it and it does nothing; so here.
    const alone = await runMain(["-u", s.url, "--benchmark-grace-period", "1", ...QUIET]);
    assertEquals(alone.status, 0, alone.stderr);
  } finally {
    await s.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("AIPerf's logging flags are accepted; --log-level checks its value", () => {
  assertEquals(parseBenchArgs(["-v"]).logLevel, "debug");
  assertEquals(parseBenchArgs(["--verbose"]).logLevel, "debug");
  assertEquals(parseBenchArgs(["-vv"]).logLevel, "trace");
  assertEquals(parseBenchArgs(["--extra-verbose"]).logLevel, "trace");
  assertEquals(parseBenchArgs(["--log-level", "WARNING"]).logLevel, "warning");
  let error: unknown;
  try {
    parseBenchArgs(["--log-level", "loud"]);
  } catch (e) {
    error = e;
  }
  assert(error instanceof BenchConfigError && error.message.includes("--log-level"), String(error));
});

Deno.test("--tokenizer-revision: the cached snapshot of that branch or commit, and no other", async () => {
  const tokenizer = (words: string[]) =>
    JSON.stringify({
      version: "1.0",
      added_tokens: [],
      normalizer: null,
      pre_tokenizer: { type: "Whitespace" },
      post_processor: null,
      decoder: null,
      model: {
        type: "WordLevel",
        vocab: Object.fromEntries(["[UNK]", ...words].map((w, i) => [w, i])),
        unk_token: "[UNK]",
      },
    });
  const cache = await tempTree({
    "models--acme--rev/refs/main": "c1\n",
    "models--acme--rev/refs/v2": "c2\n",
    "models--acme--rev/snapshots/c1/tokenizer.json": tokenizer(["hello"]),
    "models--acme--rev/snapshots/c2/tokenizer.json": tokenizer(["hello", "world"]),
  });
  const before = Deno.env.get("HF_HUB_CACHE");
  Deno.env.set("HF_HUB_CACHE", cache);
  try {
    const args = ["--tokenizer", "acme/rev", "--tokenizer-revision"];
    for (const [revision, snapshot] of [["v2", "c2"], ["c1", "c1"]]) {
      const { resolveSettings } = await import("../../../src/bench/config/resolve_settings.ts");
      const spec = resolveSettings(parseBenchArgs([...args, revision!])).tokenizer!;
      assert((await loadTokenizer(spec)).name.includes(`/snapshots/${snapshot}/`), spec);
    }
    let error: unknown;
    try {
      await loadTokenizer("acme/rev@v9");
    } catch (e) {
      error = e;
    }
    assert(
      error instanceof BenchConfigError && error.message.includes('revision "v9"') &&
        error.message.includes("--revision v9"),
      String(error),
    );
    // With a path or a built-in encoding (or none) there is nothing to select: ignored, as
    // AIPerf ignores it.
    const out = await runMain(["--tokenizer-revision", "v2", ...QUIET]);
    assertEquals(out.status, 0, out.stderr);
    const { resolveSettings } = await import("../../../src/bench/config/resolve_settings.ts");
    const path = resolveSettings(
      parseBenchArgs(["--tokenizer", "o200k_base", "--tokenizer-revision", "v2"]),
    );
    assertEquals(path.tokenizer, "o200k_base");
  } finally {
    if (before === undefined) Deno.env.delete("HF_HUB_CACHE");
    else Deno.env.set("HF_HUB_CACHE", before);
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("aiperf flags: an AIPerf option not taken here is refused with its reason, not as unknown", () => {
  const refusal = (argv: string[]) => {
    try {
      parseBenchArgs(argv);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error(`accepted: ${argv.join(" ")}`);
  };
  assertEquals(
    refusal(["--user-centric-rate", "5"]),
    "Invalid flag --user-centric-rate: AIPerf's option is not supported here: not implemented " +
      "(see docs/cli.md)",
  );
  assert(refusal(["--download-video-content"]).includes("no video generation endpoint"));
  assert(refusal(["--prefil-concurrency", "5"]).includes("unknown flag"), "a typo stays unknown");
});
