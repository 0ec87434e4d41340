// Workloads through the command line against a real server on loopback that records what it
// received: an OpenAI-compatible server written here, independently of the embedded one.
import { encode } from "gpt-tokenizer/encoding/cl100k_base";
import { assert, assertBetween, assertEquals } from "./_assert.ts";
import { runMain, serveLoopback, tempTree } from "./_helpers.ts";
import { PREFLIGHT_PROMPT } from "../../src/bench/run/preflight.ts";

interface Received {
  readonly path: string;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
  /** Milliseconds since the server started. */
  readonly at: number;
}

/** Whether a request is the bench's pre-flight check rather than part of the workload. */
function isPreflight(body: Record<string, unknown>): boolean {
  const messages = body.messages as { content: string }[] | undefined;
  const text = body.input ?? body.prompt ?? messages?.at(-1)?.content;
  return text === PREFLIGHT_PROMPT && (body.max_tokens === 1 || body.input !== undefined);
}

/**
 * A recording server: replies "reply N" (streamed or whole) and embeddings. The workload's
 * requests are in `received`, the pre-flight checks in `preflights`.
 */
function recordingServer() {
  const received: Received[] = [];
  const preflights: Received[] = [];
  const t0 = performance.now();
  const server = serveLoopback(async (request) => {
    const body = await request.json() as Record<string, unknown>;
    const path = new URL(request.url).pathname;
    const record = { path, headers: request.headers, body, at: performance.now() - t0 };
    (isPreflight(body) ? preflights : received).push(record);
    const n = received.length;
    if (path.endsWith("/embeddings")) {
      return Response.json({
        object: "list",
        data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2] }],
        usage: { prompt_tokens: 3, total_tokens: 3 },
      });
    }
    const text = `reply ${n}`;
    const usage = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 };
    if (body.stream !== true) {
      return Response.json({
        choices: [{ index: 0, message: { role: "assistant", content: text }, text }],
        usage,
      });
    }
    const chunk = (content: string) =>
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, text: content }] })}\n\n`;
    return new Response(
      chunk("reply") + chunk(` ${n}`) + `data: ${JSON.stringify({ choices: [], usage })}\n\n` +
        "data: [DONE]\n\n",
      { headers: { "content-type": "text/event-stream" } },
    );
  });
  return { ...server, received, preflights, t0 };
}

const QUIET = ["--no-progress", "--warmup-request-count", "0"];

Deno.test("workloads: a Mooncake trace replays on its timestamps, sized by input_length", async () => {
  const server = recordingServer();
  const dir = await tempTree({
    "trace.jsonl": [
      { timestamp: 0, input_length: 600, output_length: 11, hash_ids: [7, 9] },
      { timestamp: 150, input_length: 700, output_length: 22, hash_ids: [7, 8] },
      { timestamp: 300, text_input: "Exactly this text", output_length: 33 },
      { timestamp: 450, input_length: 40, output_length: 44 },
    ].map((r) => JSON.stringify(r)).join("\n") + "\n",
  });
  try {
    const start = performance.now() - server.t0;
    const { status, stderr, stdout } = await runMain([
      "--url",
      server.url,
      "--input-file",
      `${dir}/trace.jsonl`,
      "--custom-dataset-type",
      "mooncake_trace",
      "--fixed-schedule",
      ...QUIET,
    ]);
    assertEquals(status, 0, stderr);
    assert(stdout.includes("Sent behind schedule"), stdout);
    assertEquals(server.received.length, 4);
    assertEquals(server.preflights.length, 1);
    assert(server.preflights[0]!.at < server.received[0]!.at, "pre-flight after the replay");
    const got = server.received.map((r) => r.body);
    assertEquals(got.map((b) => b.max_tokens), [11, 22, 33, 44]);
    const prompts = got.map((b) => (b.messages as { content: string }[])[0]!.content);
    assertEquals(prompts.map((p, i) => i === 2 ? p : encode(p).length), [
      600,
      700,
      "Exactly this text",
      40,
    ]);
    // hash_ids [7, 9] then [7, 8]: both start with block 7 (512 tokens), then differ.
    const block = encode(prompts[0]!).slice(0, 500);
    assertEquals(encode(prompts[1]!).slice(0, 500), block, "block 7 not shared");
    assert(prompts[0]!.slice(0, 3000) !== prompts[1]!.slice(0, 3000), "blocks 8 and 9 equal");
    // On their timestamps: arrival gaps as in the trace, within a few ms.
    const at = server.received.map((r) => r.at - server.received[0]!.at);
    for (const [i, want] of [0, 150, 300, 450].entries()) {
      assertBetween(at[i]!, want - 10, want + 15, `request ${i} arrival (ms)`);
    }
    assertBetween(server.received[0]!.at - start, 0, 1000, "first request");
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("workloads: a multi-turn file sends each turn with its whole history and delay", async () => {
  const server = recordingServer();
  const dir = await tempTree({
    "chat.jsonl": [
      { session_id: "a", turns: [{ text: "A1" }, { text: "A2", delay: 120 }, { text: "A3" }] },
      { session_id: "b", turns: [{ text: "B1" }, { text: "B2" }] },
    ].map((r) => JSON.stringify(r)).join("\n") + "\n",
  });
  try {
    const out = `${dir}/out`;
    const { status, stderr, stdout } = await runMain([
      "-u",
      server.url,
      "--input-file",
      `${dir}/chat.jsonl`,
      "--custom-dataset-type",
      "multi_turn",
      "--concurrency",
      "2",
      "--output",
      out,
      ...QUIET,
    ]);
    assertEquals(status, 0, stderr);
    assertEquals(server.received.length, 5);
    assertEquals(server.preflights.map((r) => r.body.max_tokens), [1]);
    const messages = (r: Received) => r.body.messages as { role: string; content: string }[];
    const a3 = server.received.find((r) => messages(r).at(-1)!.content === "A3")!;
    const history = messages(a3);
    assertEquals(history.map((m) => m.role), ["user", "assistant", "user", "assistant", "user"]);
    assertEquals([history[0]!.content, history[2]!.content], ["A1", "A2"]);
    // The server's own replies come back in the history.
    const replyTo = (text: string) =>
      server.received.findIndex((r) => messages(r).at(-1)!.content === text) + 1;
    assertEquals(history[1]!.content, `reply ${replyTo("A1")}`);
    assertEquals(history[3]!.content, `reply ${replyTo("A2")}`);
    // A2 waited its delay after A1's reply; B ran beside A (concurrency 2).
    const a1 = server.received.find((r) => messages(r).at(-1)!.content === "A1")!;
    const a2 = server.received.find((r) => messages(r).at(-1)!.content === "A2")!;
    assertBetween(a2.at - a1.at, 118, 400, "A2 after A1 (ms)");
    const b1 = server.received.find((r) => messages(r).at(-1)!.content === "B1")!;
    assert(b1.at < a2.at, "conversations did not run concurrently");
    assert(stdout.includes("Turn 2: 1 requests"), stdout);
    const profile = JSON.parse(await Deno.readTextFile(`${out}/profile_export.json`));
    assertEquals(Object.keys(profile.phases.profiling.metrics_by_turn), ["0", "1", "2"]);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("workloads: synthetic prompts hit their token lengths, distinct, repeatable", async () => {
  const prompts = async (seed: string) => {
    const server = recordingServer();
    try {
      const { status, stderr } = await runMain([
        "--url",
        server.url,
        "--synthetic-input-tokens-mean",
        "200",
        "--synthetic-input-tokens-stddev",
        "20",
        "--output-tokens-mean",
        "16",
        "--extra-inputs",
        "ignore_eos:true",
        "--request-count",
        "30",
        "--random-seed",
        seed,
        ...QUIET,
      ]);
      assertEquals(status, 0, stderr);
      return server.received.map((r) => r.body);
    } finally {
      await server.close();
    }
  };
  const bodies = await prompts("7");
  const texts = bodies.map((b) => (b.messages as { content: string }[])[0]!.content);
  assertEquals(new Set(texts).size, 30, "prompts repeat");
  const lengths = texts.map((t) => encode(t).length);
  const mean = lengths.reduce((a, b) => a + b) / lengths.length;
  assertBetween(mean, 185, 215, "mean prompt tokens");
  assert(new Set(lengths).size > 5, "no spread");
  assert(bodies.every((b) => b.max_tokens === 16 && b.ignore_eos === true));
  assertEquals((await prompts("7")).map((b) => b.messages), bodies.map((b) => b.messages));
  assert(JSON.stringify(await prompts("8")) !== JSON.stringify(bodies), "seed ignored");
});

Deno.test("workloads: shared prefixes, exact lengths", async () => {
  const server = recordingServer();
  try {
    const { status, stderr } = await runMain([
      "--url",
      server.url,
      "--endpoint-type",
      "completions",
      "--synthetic-input-tokens-mean",
      "64",
      "--prefix-prompt-length",
      "100",
      "--num-prefix-prompts",
      "2",
      "--request-count",
      "12",
      ...QUIET,
    ]);
    assertEquals(status, 0, stderr);
    const texts = server.received.map((r) => r.body.prompt as string);
    assert(server.received.every((r) => r.path === "/v1/completions"));
    assert(texts.every((t) => encode(t).length === 164), texts.map((t) => encode(t).length).join());
    assertEquals(new Set(texts.map((t) => t.slice(0, 150))).size, 2);
    assertEquals(new Set(texts).size, 12);
  } finally {
    await server.close();
  }
});

Deno.test("workloads: headers, custom path, extra inputs, models and embeddings reach the server", async () => {
  const server = recordingServer();
  try {
    const { status, stderr } = await runMain([
      "--url",
      server.url,
      "--custom-endpoint",
      "/custom/v9/chat",
      "-H",
      "X-Tenant: blue",
      "--header",
      "Authorization: Bearer t0k",
      "--extra-inputs",
      '{"temperature": 0.5, "top_k": 3}',
      "--extra-inputs",
      "min_tokens:4",
      "-m",
      "alpha,beta",
      "--request-count",
      "4",
      "--concurrency",
      "1",
      ...QUIET,
    ]);
    assertEquals(status, 0, stderr);
    assertEquals(server.received.map((r) => r.path), Array(4).fill("/custom/v9/chat"));
    // The pre-flight check took the same route, headers and first model, outside the rotation.
    assertEquals(server.preflights.map((r) => [r.path, r.body.model]), [
      ["/custom/v9/chat", "alpha"],
    ]);
    assertEquals(server.preflights[0]!.headers.get("x-tenant"), "blue");
    assertEquals(server.received.map((r) => r.body.model), ["alpha", "beta", "alpha", "beta"]);
    for (const r of server.received) {
      assertEquals(r.headers.get("x-tenant"), "blue");
      assertEquals(r.headers.get("authorization"), "Bearer t0k");
      assertEquals([r.body.temperature, r.body.top_k, r.body.min_tokens], [0.5, 3, 4]);
    }
    server.received.length = 0;
    const embed = await runMain([
      "--url",
      server.url,
      "--endpoint-type",
      "embeddings",
      "--request-count",
      "3",
      ...QUIET,
    ]);
    assertEquals(embed.status, 0, embed.stderr);
    assertEquals(server.received.length, 3);
    assert(server.received.every((r) => r.path === "/v1/embeddings"));
    assertEquals(server.preflights.at(-1)!.path, "/v1/embeddings");
    assert(server.received.every((r) => typeof r.body.input === "string" && !("stream" in r.body)));
  } finally {
    await server.close();
  }
});

Deno.test("workloads: the embedded server serves embeddings", async () => {
  const { status, stderr, stdout } = await runMain([
    "--endpoint-type",
    "embeddings",
    "--request-count",
    "5",
    ...QUIET,
  ]);
  assertEquals(status, 0, stderr);
  assert(stdout.includes("Phase profiling: 5 ok, 0 errors"), stdout);
});

Deno.test("workloads: single_turn, random_pool and ShareGPT files", async () => {
  const server = recordingServer();
  const dir = await tempTree({
    "single.jsonl": '{"text": "one"}\n{"texts": ["two", "three"]}\n',
    "pool/a.jsonl": '{"text": "query"}\n',
    "pool/b.jsonl": '{"text": "passage"}\n',
    "share.json": JSON.stringify([
      { id: "x", conversations: [{ from: "human", value: "What is the tallest mountain?" }] },
      {
        id: "y",
        conversations: [
          { from: "human", value: "Name three colours of the rainbow, please." },
          { from: "gpt", value: "Red, orange and yellow are three of them." },
        ],
      },
    ]),
  });
  try {
    const run = (type: string, path: string, ...more: string[]) =>
      runMain([
        "--url",
        server.url,
        "--input-file",
        `${dir}/${path}`,
        "--custom-dataset-type",
        type,
        ...more,
        ...QUIET,
      ]);
    const content = (r: Received) => (r.body.messages as { content: string }[])[0]!.content;
    assertEquals((await run("single_turn", "single.jsonl")).status, 0);
    assertEquals(server.received.map(content), ["one", "two\nthree"]);
    server.received.length = 0;
    assertEquals((await run("random_pool", "pool", "--request-count", "3")).status, 0);
    assertEquals(server.received.map(content), Array(3).fill("query\npassage"));
    server.received.length = 0;
    assertEquals((await run("sharegpt", "share.json")).status, 0);
    assertEquals(server.received.map(content), ["Name three colours of the rainbow, please."]);
    assertEquals(
      server.received[0]!.body.max_tokens,
      encode("Red, orange and yellow are three of them.").length,
    );
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("workloads: bad files name the file, line and field, and nothing is sent", async () => {
  const server = recordingServer();
  const dir = await tempTree({
    "trace.jsonl":
      '{"timestamp": 0, "input_length": 10}\n\n{"timestamp": 5, "input_length": -3}\n' +
      '{"timestamp": 9, "output_length": 4}\nnot json\n',
    "multi.jsonl": '{"session_id": "a", "turns": [{"text": "hi"}, {"txt": "typo"}]}\n',
    "single.jsonl": '{"text": "ok", "image": "cat.png", "video": "a.mp4"}\n',
    "share.json": '[{"conversations": [\n  {"from": "human", "value": 3}]}]',
    "broken.json": '[\n{"conversations": []},\n{oops}\n]',
  });
  try {
    const cases: [string, string, RegExp[]][] = [
      ["mooncake_trace", "trace.jsonl", [
        /trace\.jsonl": line 3: input_length: expected a positive integer, got -3/,
        /line 4: input_length: missing: expected "input_length" or "text_input"/,
        /line 5: not valid JSON/,
      ]],
      ["multi_turn", "multi.jsonl", [/line 1: turns\[1\]\.txt: unknown field/]],
      ["single_turn", "single.jsonl", [
        /line 1: images\[0\]: "cat\.png": file not found/,
        /line 1: videos\[0\]: "a\.mp4": file not found/,
      ]],
      ["sharegpt", "share.json", [/\[0\]\.conversations\[0\]\.value: expected a string/]],
      ["sharegpt", "broken.json", [/broken\.json": line 3: not valid JSON/]],
    ];
    for (const [type, file, patterns] of cases) {
      const { status, stderr } = await runMain([
        "--url",
        server.url,
        "--input-file",
        `${dir}/${file}`,
        "--custom-dataset-type",
        type,
        ...QUIET,
      ]);
      assertEquals(status, 2, `${file}: ${stderr}`);
      for (const pattern of patterns) assert(pattern.test(stderr), `${file}: ${stderr}`);
    }
    const missing = await runMain(["--url", server.url, "--input-file", `${dir}/none.jsonl`]);
    assertEquals(missing.status, 2);
    assert(/none\.jsonl": file not found/.test(missing.stderr), missing.stderr);
    assertEquals(server.received.length + server.preflights.length, 0);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
