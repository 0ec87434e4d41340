/**
 * What the harness adds per request. Two views:
 *
 * - On the wire: one streamed request (16 tokens, ttft = itl = 0, server in a Worker) sent by
 *   a bare `fetch` that only drains the body, versus the `openai_chat` endpoint (SSE parsing,
 *   JSON per event, timestamps), versus the whole pipeline per request (the phase runner with
 *   a record, hooks and statistics, at concurrency 1). The differences are the overhead.
 * - In memory: the phase runner with an endpoint that answers at once, so the time per request
 *   is the harness's own CPU cost (issue, sample, record, summarize), with no network at all.
 */
import { OpenAIChatEndpoint } from "../../src/bench/endpoints/openai_chat_endpoint.ts";
import { runPhase } from "../../src/bench/run/run_phase.ts";
import { SequentialSampler } from "../../src/bench/samplers/sequential_sampler.ts";
import { startServerWorker } from "../../src/bench/server/start_server_worker.ts";
import { FixedConcurrency } from "../../src/bench/timing/fixed_concurrency.ts";
import type { Endpoint } from "../../src/bench/types.ts";

const TOKENS = 16;
const never = new AbortController().signal;
let server: ReturnType<typeof startServerWorker> | undefined;
const url = async () =>
  (await (server ??= startServerWorker({ ttftMs: 0, itlMs: 0, outputTokens: TOKENS }))).url;

const body = JSON.stringify({
  model: "plugmap-mock",
  messages: [{ role: "user", content: "alpha bravo charlie" }],
  stream: true,
  stream_options: { include_usage: true },
});

Deno.bench({
  name: "bare fetch, body drained",
  group: "one streamed request on the wire",
  baseline: true,
  async fn() {
    const response = await fetch(`${await url()}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    for await (const _ of response.body!) { /* drain */ }
  },
});

let endpoint: OpenAIChatEndpoint | undefined;
Deno.bench({
  name: "openai_chat endpoint (SSE parse, timing)",
  group: "one streamed request on the wire",
  async fn() {
    endpoint ??= new OpenAIChatEndpoint({ url: await url() });
    const result = await endpoint.send({ prompt: "alpha bravo charlie", signal: never });
    if (result.usage?.completion_tokens !== TOKENS) throw new Error(result.error ?? "wrong length");
  },
});

const PHASE_REQUESTS = 100;
Deno.bench({
  name:
    `whole pipeline: a ${PHASE_REQUESTS}-request phase at concurrency 1 (time / ${PHASE_REQUESTS} = per request)`,
  group: "whole pipeline, one request at a time",
  n: 20,
  async fn(b) {
    endpoint ??= new OpenAIChatEndpoint({ url: await url() });
    b.start();
    await runPhase({
      phase: "profiling",
      requestCount: PHASE_REQUESTS,
      endpoint,
      timing: new FixedConcurrency({ concurrency: 1 }),
      entries: [{ prompt: "alpha bravo charlie" }],
      sampler: new SequentialSampler(),
      hooks: [{ name: "noop", instance: { onRequestComplete() {} } }],
      interrupt: never,
      onHookFailure() {},
    });
    b.end();
  },
});

const instant: Endpoint = {
  url: "memory:",
  streaming: true,
  send() {
    const t = performance.now();
    return Promise.resolve({ start: t, chunks: [t], end: t, outputTokens: TOKENS });
  },
};
const MEMORY_REQUESTS = 10_000;
Deno.bench({
  name: `harness only, ${MEMORY_REQUESTS} in-memory requests, concurrency 16`,
  group: "harness CPU per request",
  async fn() {
    const { summary } = await runPhase({
      phase: "profiling",
      requestCount: MEMORY_REQUESTS,
      endpoint: instant,
      timing: new FixedConcurrency({ concurrency: 16 }),
      entries: [{ prompt: "a" }, { prompt: "b" }],
      sampler: new SequentialSampler(),
      hooks: [],
      interrupt: never,
      onHookFailure() {},
    });
    if (summary.request_count !== MEMORY_REQUESTS) throw new Error("lost requests");
  },
});

globalThis.addEventListener("unload", () => {
  void server?.then((s) => s.close());
});
