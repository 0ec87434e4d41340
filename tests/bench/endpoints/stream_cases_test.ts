// The embedded server plays every stream case; the endpoint understands each; tokenizers load
// from a name or a tokenizer.json; --workers gives one merged result.
import { OpenAIChatEndpoint } from "../../../src/bench/endpoints/openai_chat_endpoint.ts";
import { startServer } from "../../../src/bench/server/start_server.ts";
import { loadTokenizer } from "../../../src/bench/tokens/load_tokenizer.ts";
import { BenchConfigError } from "../../../src/bench/config/bench_config_error.ts";
import { randomSource } from "../../../src/bench/_random.ts";
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { runMain, serveLoopback, tempTree } from "../_helpers.ts";

const never = new AbortController().signal;

Deno.test("embedded server: reasoning in either field, tokens per chunk, no usage", async () => {
  for (const field of ["reasoning", "reasoning_content"] as const) {
    const server = await startServer({
      ttftMs: 0,
      itlMs: 0,
      outputTokens: 6,
      reasoningTokens: 4,
      reasoningField: field,
      tokensPerChunk: 4,
      usage: false,
    });
    try {
      const raw = await (await fetch(`${server.url}/v1/chat/completions`, {
        method: "POST",
        body: JSON.stringify({ messages: [{ role: "user", content: "x" }], stream: true }),
      })).text();
      assert(raw.includes(`"${field}":" the quick brown fox"`), raw);
      assert(!raw.includes('"usage":{'), raw);
      const r = await new OpenAIChatEndpoint({ url: server.url }).send({
        prompt: "x",
        signal: never,
      });
      // 4 reasoning tokens in one chunk, then 6 output tokens in chunks of 4 and 2.
      assertEquals([r.chunks?.length, r.reasoningChunks], [3, 1]);
      assertEquals(r.reasoningText, " the quick brown fox");
      assertEquals(r.outputText, " the quick brown fox jumps over");
      assertEquals(r.usage, undefined);
      const whole = await new OpenAIChatEndpoint({ url: server.url, streaming: false })
        .send({ prompt: "x", signal: never });
      assertEquals(whole.reasoningText, " the quick brown fox");
    } finally {
      await server.close();
    }
  }
});

Deno.test("embedded server: usage counts reasoning; crash after N requests", async () => {
  const server = await startServer({
    ttftMs: 0,
    itlMs: 0,
    outputTokens: 3,
    reasoningTokens: 2,
    crashAfter: 1,
  });
  const endpoint = new OpenAIChatEndpoint({ url: server.url });
  const r = await endpoint.send({ prompt: "x", signal: never });
  assertEquals(r.usage, { completion_tokens: 5, prompt_tokens: 1, reasoning_tokens: 2 });
  const gone = await endpoint.send({ prompt: "x", signal: never });
  assert(gone.error !== undefined, "the second request fails");
  await server.close();
  const after = await endpoint.send({ prompt: "x", signal: never });
  assertEquals(after.errorKind, "connection_refused");
});

Deno.test("endpoint: tool calls, usage-only and role-only chunks, lone CR, event: error", async () => {
  const events = [
    'data:{"choices":[{"delta":{"role":"assistant"}}]}',
    'data: {"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"name":"f","arguments":""}}]}}]}',
    'data: {"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"a\\":1}"}}]}}]}',
    ": ping",
    'data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":9}}',
    "data: [DONE]",
  ];
  let body = events.map((e) => e + "\r\r").join("");
  const server = serveLoopback(() =>
    new Response(body, { headers: { "content-type": "text/event-stream" } })
  );
  try {
    const endpoint = new OpenAIChatEndpoint({ url: server.url });
    const r = await endpoint.send({ prompt: "x", signal: never });
    assertEquals(r.error, undefined);
    assertEquals([r.chunks?.length, r.outputText], [2, 'f{"a":1}']);
    assertEquals(r.firstOutputChunk, r.chunks?.[0]);
    assertEquals(r.usage, { prompt_tokens: 3, completion_tokens: 9 });
    body = 'data: {"choices":[{"delta":{"content":"a"}}]}\n\nevent: error\ndata: "overloaded"\n\n';
    const e = await endpoint.send({ prompt: "x", signal: never });
    assertEquals([e.errorKind, e.error], ["stream", 'Server error: "overloaded"']);
  } finally {
    await server.close();
  }
});

Deno.test("tokenizer: encodings by name, a tokenizer.json file or folder, clear errors", async () => {
  assertEquals((await loadTokenizer("o200k_base")).count(" hello hello"), 2);
  const vocab = { "[UNK]": 0, hello: 1, world: 2 };
  const json = JSON.stringify({
    version: "1.0",
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: { type: "Whitespace" },
    post_processor: null,
    decoder: null,
    model: { type: "WordLevel", vocab, unk_token: "[UNK]" },
  });
  const dir = await tempTree({ "tok/tokenizer.json": json, "bad/tokenizer.json": "{" });
  try {
    for (const spec of [`${dir}/tok`, `${dir}/tok/tokenizer.json`]) {
      assertEquals((await loadTokenizer(spec)).count("hello world hello"), 3);
    }
    for (const spec of ["gpt9_base", `${dir}/bad`]) {
      const error = await assertRejects(() => loadTokenizer(spec));
      assert(
        error instanceof BenchConfigError && error.message.startsWith("Invalid flag --tokenizer"),
        error.message,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main: --workers 2 merges into one result; usage vs tokenizer reported", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { status, stdout, stderr } = await runMain([
      "--workers",
      "2",
      "--request-count",
      "20",
      "--warmup-request-count",
      "0",
      "--tokenizer",
      "cl100k_base",
      "--goodput",
      "time_to_first_token:100000",
      "--ttft-ms",
      "1",
      "--output",
      dir,
    ]);
    assertEquals(status, 0, stderr);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    assertEquals(json.benchmark.workers, 2);
    assertEquals(json.metrics.request_count.avg, 20);
    assertEquals(json.metrics.goodput.avg, json.metrics.request_throughput.avg);
    assertEquals(json.token_counting.output_sources, { usage: 20 });
    assertEquals(json.token_counting.usage_vs_tokenizer.requests, 20);
    assert(stdout.includes("Usage vs tokenizer over 20 requests"), stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main: --workers with random model selection: worker i draws from --random-seed + i", async () => {
  const models = ["m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7"];
  const first = (seed: number) => models[Math.floor(randomSource(seed)() * models.length)]!;
  // A seed whose next one picks another first model, so equal seeds would show.
  let seed = 1;
  while (first(seed) === first(seed + 1)) seed++;
  const asked: string[] = [];
  const server = serveLoopback(async (request) => {
    const body = await request.json();
    asked.push(body.model);
    return Response.json({
      choices: [{ index: 0, message: { role: "assistant", content: "ok" } }],
      usage: { prompt_tokens: 1, completion_tokens: 1 },
    });
  });
  try {
    // Two requests at concurrency 2: the least busy worker takes each, one per worker.
    const { status, stderr } = await runMain([
      "-u",
      server.url,
      "-m",
      models.join(","),
      "--model-selection-strategy",
      "random",
      "--random-seed",
      String(seed),
      "--workers",
      "2",
      "--concurrency",
      "2",
      "--request-count",
      "2",
      "--warmup-request-count",
      "0",
      "--no-preflight",
      "--no-streaming",
      "--no-progress",
    ]);
    assertEquals(status, 0, stderr);
    assertEquals(asked.sort(), [first(seed), first(seed + 1)].sort());
  } finally {
    await server.close();
  }
});

Deno.test("endpoint: <think> tags cut inside chunks that also carry reasoning and the answer", async () => {
  const content = ["<thi", "nk>Let me", " think</th", "ink>\n\nThe", " answer"];
  const body =
    content.map((c) =>
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: c } }] })}\n\n`
    ).join("") + "data: [DONE]\n\n";
  const server = serveLoopback(() =>
    new Response(body, { headers: { "content-type": "text/event-stream" } })
  );
  try {
    const r = await new OpenAIChatEndpoint({ url: server.url }).send({
      prompt: "x",
      signal: never,
    });
    assertEquals(r.error, undefined);
    assertEquals([r.reasoningText, r.outputText], ["Let me think", "\n\nThe answer"]);
    // "<thi", "nk>Let me" and " think</th" carry no answer; "ink>\n\nThe" is the first that does.
    assertEquals([r.chunks?.length, r.reasoningChunks], [5, 3]);
    assertEquals(r.firstOutputChunk, r.chunks?.[3]);
    assertEquals(r.thinkTags, true);
    const off = await new OpenAIChatEndpoint({ url: server.url, think_tags: false })
      .send({ prompt: "x", signal: never });
    assertEquals([off.reasoningText, off.outputText], [undefined, content.join("")]);
    assertEquals(off.thinkTags, undefined);
  } finally {
    await server.close();
  }
});
