// The OpenAI endpoints over real HTTP: timing fields, errors, cancellation, SSE framing.
import { OpenAIChatEndpoint } from "../../../src/bench/endpoints/openai_chat_endpoint.ts";
import { OpenAICompletionsEndpoint } from "../../../src/bench/endpoints/openai_completions_endpoint.ts";
import { startServer } from "../../../src/bench/server/start_server.ts";
import { assert, assertEquals, assertThrows } from "../_assert.ts";
import { closedPort, serveLoopback } from "../_helpers.ts";

const never = new AbortController().signal;

Deno.test("endpoint: url forms resolve to the route", () => {
  for (
    const url of ["http://h:1", "http://h:1/", "http://h:1/v1", "http://h:1/v1/chat/completions"]
  ) {
    assertEquals(new OpenAIChatEndpoint({ url }).url, "http://h:1/v1/chat/completions");
  }
  assertEquals(
    new OpenAICompletionsEndpoint({ url: "http://h:1/v1" }).url,
    "http://h:1/v1/completions",
  );
  assert(assertThrows(() => new OpenAIChatEndpoint({ url: "nope" })) instanceof TypeError);
  assert(assertThrows(() => new OpenAIChatEndpoint({ url: "ftp://h" })) instanceof TypeError);
});

Deno.test("endpoint: streamed chat records first/last token times and usage", async () => {
  const server = await startServer({ ttftMs: 20, itlMs: 5, outputTokens: 5 });
  try {
    const endpoint = new OpenAIChatEndpoint({ url: server.url });
    const r = await endpoint.send({ prompt: "a b c d", signal: never });
    assertEquals(r.error, undefined);
    assertEquals(r.status, 200);
    assertEquals(r.usage, { completion_tokens: 5, prompt_tokens: 4 });
    const chunks = r.chunks!;
    assertEquals(chunks.length, 5);
    assert(chunks[0]! - r.start >= 19, `ttft ${chunks[0]! - r.start}`);
    // The server sends token i at ttft + i * itl after the request arrived (never early; under
    // load the first may be late, so the span between chunks is no bound, the schedule is).
    assert(chunks[4]! - r.start >= 20 + 4 * 5 - 1, `last ${chunks[4]! - r.start}`);
    assert(chunks[4]! > chunks[0]!, "the five tokens arrived at one instant");
    assert(r.end >= chunks[4]!);
    assertEquals(r.firstOutputChunk, chunks[0]);
    assertEquals(r.outputText, " the quick brown fox jumps");
  } finally {
    await server.close();
  }
});

Deno.test("endpoint: whole responses have no token times; max_tokens is sent", async () => {
  const server = await startServer({ ttftMs: 0, itlMs: 0, outputTokens: 50 });
  try {
    for (const Endpoint of [OpenAIChatEndpoint, OpenAICompletionsEndpoint]) {
      const endpoint = new Endpoint({ url: server.url, streaming: false, max_tokens: 7 });
      const r = await endpoint.send({ prompt: "x", signal: never });
      assertEquals(r.error, undefined);
      assertEquals(r.usage?.completion_tokens, 7);
      assertEquals(r.chunks, undefined);
      const own = await endpoint.send({ prompt: "x", maxTokens: 3, signal: never });
      assertEquals(own.usage?.completion_tokens, 3);
    }
  } finally {
    await server.close();
  }
});

Deno.test("endpoint: HTTP errors become error results with the server's message", async () => {
  const server = await startServer({ ttftMs: 0, itlMs: 0, errorEvery: 1 });
  try {
    const r = await new OpenAIChatEndpoint({ url: server.url }).send({
      prompt: "x",
      signal: never,
    });
    assertEquals(r.status, 500);
    assertEquals(r.error, "HTTP 500: Injected failure");
    assertEquals(r.errorKind, "http");
  } finally {
    await server.close();
  }
});

Deno.test("endpoint: a refused connection is an error result, not a throw", async () => {
  const endpoint = new OpenAIChatEndpoint({ url: `http://127.0.0.1:${closedPort()}` });
  const r = await endpoint.send({ prompt: "x", signal: never });
  assertEquals(r.errorKind, "connection_refused");
  assert(r.error!.startsWith(`connection refused: ${endpoint.url}`), r.error);
  assertEquals(r.status, undefined);
  assertEquals(r.cancelled, undefined);
});

Deno.test("endpoint: interrupting cancels; a timeout is an error", async () => {
  const server = await startServer({ ttftMs: 5000, itlMs: 0, outputTokens: 1 });
  try {
    const controller = new AbortController();
    const pending = new OpenAIChatEndpoint({ url: server.url }).send({
      prompt: "x",
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    const r = await pending;
    assertEquals(r.cancelled, true);
    const timed = await new OpenAIChatEndpoint({ url: server.url, timeout_ms: 30 })
      .send({ prompt: "x", signal: never });
    assertEquals(timed.error, "Timed out after 30 ms");
    assertEquals(timed.cancelled, undefined);
  } finally {
    await server.close();
  }
});

Deno.test("endpoint: SSE split across writes, CRLF framing, no usage (tokens counted)", async () => {
  const events = [
    'data: {"choices":[{"delta":{"role":"assistant"}}]}',
    'data: {"choices":[{"delta":{"content":"he"}}]}',
    'data: {"choices":[{"delta":{"content":"llö"}}]}',
    ": a comment line",
    'data: {"choices":[{"delta":{"content":"!"}}]}',
    "data: [DONE]",
  ];
  const text = events.map((e) => e + "\r\n\r\n").join("");
  const bytes = new TextEncoder().encode(text);
  const server = serveLoopback(() => {
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        // 7-byte pieces: events and even UTF-8 boundaries split between reads
        for (let i = 0; i < bytes.length; i += 7) {
          controller.enqueue(bytes.slice(i, i + 7));
          await new Promise((r) => setTimeout(r, 0));
        }
        controller.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  try {
    const r = await new OpenAIChatEndpoint({ url: server.url }).send({
      prompt: "x",
      signal: never,
    });
    assertEquals(r.error, undefined);
    assertEquals(r.chunks?.length, 3);
    assertEquals(r.outputText, "hellö!");
    assertEquals(r.usage, undefined);
  } finally {
    await server.close();
  }
});

Deno.test("endpoint: a stream without [DONE] or with an error event is an error", async () => {
  let mode = "no-done";
  const server = serveLoopback(() => {
    const body = mode === "no-done"
      ? 'data: {"choices":[{"delta":{"content":"x"}}]}\n\n'
      : 'data: {"error":{"message":"overloaded"}}\n\ndata: [DONE]\n\n';
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  try {
    const endpoint = new OpenAIChatEndpoint({ url: server.url });
    const r = await endpoint.send({ prompt: "x", signal: never });
    assertEquals(r.error, "Stream ended without data: [DONE]");
    mode = "error";
    const e = await endpoint.send({ prompt: "x", signal: never });
    assertEquals(e.error, "Server error: overloaded");
  } finally {
    await server.close();
  }
});

Deno.test("endpoint: api_key and extra_body are sent", async () => {
  let seen: { auth: string | null; body: Record<string, unknown> } | undefined;
  const server = serveLoopback(async (request) => {
    seen = { auth: request.headers.get("authorization"), body: await request.json() };
    return Response.json({ choices: [{ text: "hi" }], usage: { completion_tokens: 1 } });
  });
  try {
    const r = await new OpenAICompletionsEndpoint({
      url: server.url,
      streaming: false,
      api_key: "sk-test",
      model: "m1",
      extra_body: { ignore_eos: true },
    }).send({ prompt: "p", signal: never });
    assertEquals(r.error, undefined);
    assertEquals(seen?.auth, "Bearer sk-test");
    assertEquals(seen?.body, { model: "m1", prompt: "p", ignore_eos: true });
  } finally {
    await server.close();
  }
});
