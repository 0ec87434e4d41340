// The embedded server against the official `openai` npm client, over real HTTP on 127.0.0.1.
import OpenAI from "npm:openai@^7.0.0";
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { encode } from "gpt-tokenizer/encoding/cl100k_base";
import { runMain } from "../_helpers.ts";
import { startServer } from "../../../src/bench/server/start_server.ts";

async function withServer(
  options: Parameters<typeof startServer>[0],
  fn: (client: OpenAI, url: string) => Promise<void>,
) {
  const server = await startServer(options);
  try {
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "test", maxRetries: 0 });
    await fn(client, server.url);
  } finally {
    await server.close();
  }
}

Deno.test("openai client: streamed chat completion with usage", async () => {
  await withServer({ ttftMs: 1, itlMs: 0, outputTokens: 5 }, async (client) => {
    const stream = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "one two three" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let contentChunks = 0;
    let usage;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) {
        text += choice.delta.content;
        contentChunks++;
      }
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    assertEquals(contentChunks, 5);
    assertEquals(text, " the quick brown fox jumps");
    assertEquals(finish, "stop");
    assertEquals(usage, { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 });
  });
});

Deno.test("openai client: whole chat completion honours max_tokens", async () => {
  await withServer({ ttftMs: 0, itlMs: 0, outputTokens: 10 }, async (client) => {
    const completion = await client.chat.completions.create({
      model: "my-model",
      messages: [{ role: "system", content: "be brief" }, { role: "user", content: "hi" }],
      max_tokens: 3,
    });
    assertEquals(completion.model, "my-model");
    assertEquals(completion.choices[0]?.message.content, " the quick brown");
    assertEquals(completion.choices[0]?.finish_reason, "length");
    assertEquals(completion.usage?.completion_tokens, 3);
    // The messages' texts, one per line, in cl100k_base: "be", " brief", "\n", "hi".
    assertEquals(completion.usage?.prompt_tokens, encode("be brief\nhi").length);
    assertEquals(completion.usage?.prompt_tokens, 4);
  });
});

Deno.test("openai client: ignore_eos gives exactly max_tokens", async () => {
  await withServer({ ttftMs: 0, itlMs: 0, outputTokens: 4 }, async (client) => {
    const completion = await client.completions.create({
      model: "m",
      prompt: "x",
      max_tokens: 9,
      // vLLM's extension, passed through as an extra body field
      ...({ ignore_eos: true } as Record<string, unknown>),
    });
    assertEquals(completion.usage?.completion_tokens, 9);
  });
});

Deno.test("openai client: streamed and whole text completions", async () => {
  await withServer({ ttftMs: 0, itlMs: 0, outputTokens: 3 }, async (client) => {
    const whole = await client.completions.create({ model: "m", prompt: "a b" });
    assertEquals(whole.object, "text_completion");
    assertEquals(whole.choices[0]?.text, " the quick brown");
    assertEquals(whole.usage?.total_tokens, 5);
    const stream = await client.completions.create({
      model: "m",
      prompt: ["a", "b"],
      stream: true,
      stream_options: { include_usage: true },
    });
    const texts: string[] = [];
    let usage;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.text) texts.push(chunk.choices[0].text);
      if (chunk.usage) usage = chunk.usage;
    }
    assertEquals(texts, [" the", " quick", " brown"]);
    assertEquals(usage?.completion_tokens, 3);
  });
});

Deno.test("openai client: models list", async () => {
  await withServer({ model: "bench-model" }, async (client) => {
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    assertEquals(models, ["bench-model"]);
  });
});

Deno.test("openai client: bad requests are OpenAI errors", async () => {
  await withServer({}, async (client, url) => {
    const error = await assertRejects(() =>
      client.chat.completions.create({ model: "m", messages: [] })
    );
    assert(error instanceof OpenAI.BadRequestError, String(error));
    assertEquals(error.status, 400);
    assert(error.message.includes("messages"), error.message);
    const notFound = await fetch(`${url}/v1/nope`, { method: "POST", body: "{}" });
    assertEquals(notFound.status, 404);
    assertEquals((await notFound.json()).error.type, "not_found");
    const badJson = await fetch(`${url}/v1/completions`, { method: "POST", body: "{" });
    assertEquals(badJson.status, 400);
    await badJson.body?.cancel();
    const health = await fetch(`${url}/health`);
    assertEquals(await health.text(), "ok");
  });
});

Deno.test("server: errorEvery fails every n-th completion request with HTTP 500", async () => {
  await withServer({ ttftMs: 0, itlMs: 0, outputTokens: 1, errorEvery: 3 }, async (_c, url) => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${url}/v1/completions`, {
        method: "POST",
        body: JSON.stringify({ model: "m", prompt: "p" }),
      });
      statuses.push(response.status);
      await response.body?.cancel();
    }
    assertEquals(statuses, [200, 200, 500, 200, 200, 500]);
  });
});

Deno.test("server: a streamed response keeps its schedule: token i at ttft + i * itl", async () => {
  await withServer({ ttftMs: 30, itlMs: 10, outputTokens: 6 }, async (_c, url) => {
    const start = performance.now();
    const response = await fetch(`${url}/v1/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "m", prompt: "p", stream: true }),
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const times: number[] = [];
    let buffer = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const now = performance.now();
      buffer += value;
      const events = buffer.split("\n\n");
      buffer = events.pop() ?? "";
      for (const event of events) {
        if (event !== "data: [DONE]") times.push(now - start);
      }
    }
    assertEquals(times.length, 6);
    // Never early (1 ms of clock slack); lateness is not asserted, it depends on the machine.
    times.forEach((t, i) => assert(t >= 30 + i * 10 - 1, `token ${i} at ${t} ms`));
  });
});

Deno.test("server: close() ends streams in progress, without [DONE]", async () => {
  const server = await startServer({ ttftMs: 0, itlMs: 1000, outputTokens: 100 });
  const response = await fetch(`${server.url}/v1/completions`, {
    method: "POST",
    body: JSON.stringify({ model: "m", prompt: "p", stream: true }),
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  await reader.read(); // the first token
  await server.close();
  let rest = "";
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += r.value;
  } catch {
    // the connection may be cut instead: also a stream that never finished
  }
  assert(!rest.includes("[DONE]"), rest);
});

Deno.test("embedded server: usage.prompt_tokens is the prompt's length in cl100k_base, so ISL is right", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = await runMain([
      "--synthetic-input-tokens-mean",
      "120",
      "--request-count",
      "6",
      "--warmup-request-count",
      "0",
      "--ttft-ms",
      "1",
      "--output",
      dir,
      "--no-progress",
    ]);
    assertEquals(out.status, 0, out.stderr);
    const result = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    // Synthetic prompts are exactly 120 cl100k_base tokens (about 90 words): usage says 120.
    const isl = result.metrics.input_sequence_length;
    assertEquals([isl.min, isl.max], [120, 120]);
    const records = (await Deno.readTextFile(`${dir}/records.jsonl`)).trim().split("\n");
    for (const line of records) assertEquals(JSON.parse(line).tokens.input_source, "usage");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
