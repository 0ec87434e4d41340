// The webhook against a receiver on 127.0.0.1.
import { deepStrictEqual, ok as assert } from "node:assert/strict";
import type { PhaseSummary } from "@plugmap/plugmap/bench";
import { WebhookHook, type WebhookPayload } from "./webhook.ts";

interface Received {
  path: string;
  headers: Headers;
  body: WebhookPayload;
}

function receiver(status = 200) {
  const received: Received[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    received.push({
      path: new URL(req.url).pathname,
      headers: req.headers,
      body: await req.json(),
    });
    return new Response("ok", { status });
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, received, close: () => server.shutdown() };
}

const summary: PhaseSummary = {
  phase: "profiling",
  request_count: 3,
  error_request_count: 0,
  metrics: { request_latency: { unit: "ms", avg: 12.5 } },
  cancelled_request_count: 0,
  duration_ms: 250,
  started_at: "2025-01-01T00:00:00.000Z",
  interrupted: false,
  error_summary: [],
  client_lateness: {
    event_loop_delay_ms: { p50: 0.1, p90: 0.2, p99: 0.5, max: 1 },
    send_delay_ms: { p50: 0, p90: 0, p99: 0.1, max: 0.2 },
  },
};

Deno.test("webhook: POSTs the phase summary as JSON, with configured headers", async () => {
  const r = receiver();
  try {
    const hook = new WebhookHook({
      url: `${r.url}/hooks/bench`,
      headers: { Authorization: "Bearer t0ken" },
    });
    await hook.onPhaseStart({ phase: "profiling", started_at: summary.started_at }); // on_start is off by default
    await hook.onPhaseComplete(summary);
    deepStrictEqual(r.received.length, 1);
    const [got] = r.received;
    deepStrictEqual(got?.path, "/hooks/bench");
    deepStrictEqual(got?.headers.get("content-type"), "application/json");
    deepStrictEqual(got?.headers.get("authorization"), "Bearer t0ken");
    deepStrictEqual(got?.body.event, "phase_complete");
    deepStrictEqual(got?.body.phase, "profiling");
    deepStrictEqual(got?.body.data, summary);
    assert(!Number.isNaN(Date.parse(got!.body.sent_at)));
  } finally {
    await r.close();
  }
});

Deno.test("webhook: on_start and the phases filter", async () => {
  const r = receiver();
  try {
    const hook = new WebhookHook({ url: r.url, on_start: true, phases: ["profiling"] });
    await hook.onPhaseStart({ phase: "warmup", started_at: summary.started_at });
    await hook.onPhaseComplete({ ...summary, phase: "warmup" });
    await hook.onPhaseStart({
      phase: "profiling",
      request_count: 3,
      started_at: summary.started_at,
    });
    await hook.onPhaseComplete(summary);
    deepStrictEqual(r.received.map((x) => `${x.body.event} ${x.body.phase}`), [
      "phase_start profiling",
      "phase_complete profiling",
    ]);
  } finally {
    await r.close();
  }
});

Deno.test("webhook: a non-2xx answer or an unreachable receiver throws", async () => {
  const r = receiver(503);
  try {
    let error: unknown;
    try {
      await new WebhookHook({ url: r.url }).onPhaseComplete(summary);
    } catch (e) {
      error = e;
    }
    assert(error instanceof Error && error.message.endsWith("answered HTTP 503"), String(error));
  } finally {
    await r.close();
  }
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  let error: unknown;
  try {
    await new WebhookHook({ url: `http://127.0.0.1:${port}` }).onPhaseComplete(summary);
  } catch (e) {
    error = e;
  }
  assert(error instanceof Error && error.message.startsWith("Webhook POST to"), String(error));
});

Deno.test("webhook: bad config is refused when created", () => {
  for (
    const config of [{ url: "not a url" }, { url: "ftp://x" }, {
      url: "http://x",
      headers: { a: 1 },
    }]
  ) {
    let error: unknown;
    try {
      new WebhookHook(config as never);
    } catch (e) {
      error = e;
    }
    assert(error instanceof TypeError, JSON.stringify(config));
  }
});
