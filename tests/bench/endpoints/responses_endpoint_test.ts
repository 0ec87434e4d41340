// The Responses API endpoint against an independent server (Node, tests/bench/servers/
// responses_server.mjs) that writes OpenAI's typed events and checks each request on arrival,
// with the chat endpoint's timing accuracy (never early, TTFT at most 15 ms late at the median,
// ITL within 1 ms); and against the embedded server.
import { assert, assertBetween, assertEquals } from "../_assert.ts";
import { runMain, withServerProcess } from "../_helpers.ts";

const SCRIPT = new URL("../servers/responses_server.mjs", import.meta.url).pathname;

async function bench(url: string, extra: string[] = []) {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-responses-" });
  try {
    const out = await runMain([
      "-u",
      url,
      "-m",
      "m",
      "--endpoint-type",
      "responses",
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
    const json = out.status === 2
      ? undefined
      : JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    return { ...out, json };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("responses: typed events timed as the chat endpoint is; usage from response.completed", async () => {
  const run = await withServerProcess(
    "node",
    SCRIPT,
    { ttft_ms: 60, itl_ms: 10, reasoning: 6, output: 10 },
    (url) => bench(url, ["--output-tokens-mean", "10"]),
  );
  assertEquals(run.status, 0, run.stderr);
  const m = run.json.metrics;
  assertBetween(m.time_to_first_token.p50, 59, 75, "ttft p50");
  assertBetween(m.time_to_first_output_token.p50, 60 + 6 * 10 - 1, 60 + 6 * 10 + 15, "ttfo p50");
  assertBetween(m.inter_token_latency.p50, 9, 11, "itl p50");
  assertEquals(m.output_sequence_length.avg, 16);
  assertEquals(m.reasoning_token_count.avg, 6);
  assertEquals(m.input_sequence_length.avg, 7);
  assertEquals(run.json.token_counting.output_sources, { usage: 8 });
});

Deno.test("responses: error events, failed responses, cut streams and refused bodies are errors", async () => {
  for (
    const [fault, kind, text] of [
      ["error_event", "stream", "The model crashed"],
      ["failed", "stream", "Generation failed"],
      ["close_mid", "incomplete", ""],
      ["status_500", "http", "boom"],
    ] as const
  ) {
    const run = await withServerProcess(
      "node",
      SCRIPT,
      { ttft_ms: 1, itl_ms: 1, output: 6, fault },
      (url) => bench(url, ["--no-preflight"]),
    );
    assertEquals(run.json.metrics.error_request_count.avg, 8, `${fault}: ${run.stderr}`);
    const entry = run.json.error_summary[0];
    assertEquals(entry.error_details.type, kind, fault);
    assert(entry.error_details.message.includes(text), `${fault}: ${entry.error_details.message}`);
  }
  // The server checks the body on arrival: ours is a Responses body (input,
  // max_output_tokens), so nothing was refused above; whole replies work too.
  const whole = await withServerProcess(
    "node",
    SCRIPT,
    { ttft_ms: 1, itl_ms: 0, output: 5 },
    (url) => bench(url, ["--no-streaming", "--output-tokens-mean", "5"]),
  );
  assertEquals(whole.status, 0, whole.stderr);
  assertEquals(whole.json.metrics.output_sequence_length.avg, 5);
});

Deno.test("responses: the embedded server answers /v1/responses with typed events", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-responses-" });
  try {
    const out = await runMain([
      "--endpoint-type",
      "responses",
      "--reasoning-tokens",
      "3",
      "--output-tokens",
      "5",
      "--ttft-ms",
      "5",
      "--itl-ms",
      "1",
      "--request-count",
      "6",
      "--warmup-request-count",
      "0",
      "--no-progress",
      "--output",
      dir,
    ]);
    assertEquals(out.status, 0, out.stderr);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    assertEquals(json.metrics.output_sequence_length.avg, 8);
    assertEquals(json.metrics.reasoning_token_count.avg, 3);
    const inputs = JSON.parse(await Deno.readTextFile(`${dir}/inputs.json`));
    assertEquals(typeof inputs.data[0].payloads[0].input, "string");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
