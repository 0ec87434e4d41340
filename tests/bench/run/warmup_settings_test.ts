// AIPerf's warmup options: its stops (--warmup-duration, --num-warmup-sessions, with
// --warmup-request-count whichever comes first, --warmup-grace-period) and its own load
// (--warmup-concurrency, --warmup-request-rate, --warmup-arrival-pattern, the ramps), seen by a
// loopback server that counts the requests in flight.
import { assert, assertEquals } from "../_assert.ts";
import { runMain, serveLoopback } from "../_helpers.ts";
import { parseBenchArgs } from "../../../src/bench/config/parse_bench_args.ts";
import { resolveSettings } from "../../../src/bench/config/resolve_settings.ts";

const settings = (argv: string[]) => resolveSettings(parseBenchArgs(argv));

Deno.test("warmup settings: stops, grace period and the warmup's own timing", () => {
  assertEquals(settings(["--warmup-duration", "2", "--warmup-request-count", "5"]).warmup, {
    requestCount: 5,
    durationMs: 2000,
  });
  assertEquals(
    settings(["--warmup-duration", "2", "--warmup-grace-period", "1"]).warmup,
    { durationMs: 2000, gracePeriodMs: 1000 },
  );
  assertEquals(settings(["--num-warmup-sessions", "3"]).warmup, { conversationCount: 3 });
  assertEquals(settings(["--concurrency", "4"]).warmupTiming, undefined);
  const c = settings(["--concurrency", "8", "--warmup-concurrency", "2"]);
  assertEquals(c.timing.config.concurrency, 8);
  assertEquals(c.warmupTiming?.name, c.timing.name);
  assertEquals(c.warmupTiming?.config.concurrency, 2);
  const r = settings([
    "--request-rate",
    "50",
    "--warmup-request-rate",
    "10",
    "--warmup-arrival-pattern",
    "constant",
    "--arrival-pattern",
    "gamma",
  ]);
  assertEquals([r.timing.config.request_rate, r.timing.config.arrival], [50, "gamma"]);
  assertEquals(r.warmupTiming?.name, "request_rate");
  assertEquals([r.warmupTiming?.config.request_rate, r.warmupTiming?.config.arrival], [
    10,
    "constant",
  ]);
});

// A chat server answering after 40 ms, counting the requests in flight; `peaks[i]` is the most
// in flight while request i (in arrival order) was.
function countingServer() {
  let inFlight = 0;
  const peaks: number[] = [];
  const open = new Set<number>();
  const server = serveLoopback(async (request) => {
    // Only completions count (not a /metrics scrape).
    if (request.method !== "POST") return new Response("not here", { status: 404 });
    const index = peaks.length;
    inFlight++;
    open.add(index);
    peaks.push(0);
    for (const i of open) peaks[i] = Math.max(peaks[i]!, inFlight);
    await new Promise((r) => setTimeout(r, 40));
    inFlight--;
    open.delete(index);
    return Response.json({
      id: "x",
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
    });
  });
  return { ...server, peaks };
}

Deno.test("warmup settings: --warmup-concurrency holds the warmup, the run gets --concurrency", async () => {
  const server = countingServer();
  try {
    const run = await runMain([
      "-u",
      server.url,
      "-m",
      "m",
      "--no-streaming",
      "--no-progress",
      "--concurrency",
      "6",
      "--warmup-concurrency",
      "2",
      "--warmup-request-count",
      "12",
      "--request-count",
      "24",
    ]);
    assertEquals(run.status, 0, run.stderr);
    // The pre-flight request, 12 warmup requests, then 24 of the run.
    assertEquals(server.peaks.length, 37);
    const warmup = server.peaks.slice(1, 13);
    const profiling = server.peaks.slice(13);
    assert(Math.max(...warmup) === 2, `warmup in flight: ${warmup}`);
    assert(Math.max(...profiling) === 6, `run in flight: ${profiling}`);
  } finally {
    await server.close();
  }
});

Deno.test("warmup settings: --num-warmup-sessions warms up with whole conversations", async () => {
  const server = countingServer();
  try {
    const run = await runMain([
      "-u",
      server.url,
      "-m",
      "m",
      "--no-streaming",
      "--no-progress",
      "--session-turns-mean",
      "3",
      "--num-warmup-sessions",
      "2",
      "--request-count",
      "6",
    ]);
    assertEquals(run.status, 0, run.stderr);
    // The pre-flight request, 2 conversations of 3 turns, then the 6 requests of the run.
    assertEquals(server.peaks.length, 13);
  } finally {
    await server.close();
  }
});
