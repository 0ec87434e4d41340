// Steady state and time slices, against a loopback server whose latency is known from its load:
// 40 ms per request in flight at arrival. At concurrency 4 the first four requests (ramp-up)
// take 40, 80, 120 and 160 ms; every later one arrives with three others in flight: 160 ms.
import { assert, assertBetween, assertEquals } from "../_assert.ts";
import { runMain, serveLoopback } from "../_helpers.ts";

function loadServer() {
  let inFlight = 0;
  return serveLoopback(async (request) => {
    await request.json();
    inFlight++;
    await new Promise((resolve) => setTimeout(resolve, 40 * inFlight));
    inFlight--;
    return Response.json({
      id: "x",
      object: "chat.completion",
      model: "m",
      choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
    });
  });
}

Deno.test("time windows: the steady state leaves ramp-up out; slices cover every request", async () => {
  const server = loadServer();
  const dir = await Deno.makeTempDir({ prefix: "plugmap-windows-" });
  try {
    const { status, stdout, stderr } = await runMain([
      "--url",
      server.url,
      "--no-streaming",
      "--concurrency",
      "4",
      "--request-count",
      "32",
      "--warmup-request-count",
      "0",
      "--slice-duration",
      "0.3",
      "--output",
      dir,
      "--no-progress",
    ]);
    assertEquals(status, 0, stderr);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    const whole = json.metrics.request_latency;
    const steady = json.steady_state;
    // The whole phase holds the ramp-up's 40 ms request; the steady state does not.
    assertBetween(whole.min, 35, 80, "whole-phase min latency");
    assertBetween(steady.metrics.request_latency.min, 150, 200, "steady-state min latency");
    assert(steady.left_out >= 3, `left out: ${steady.left_out}`);
    assertEquals(steady.request_count + steady.left_out, 32);
    const slices = json.time_slices;
    assertEquals(slices.slice_ms, 300);
    assert(slices.slices.length >= 3, `${slices.slices.length} slices`);
    const counted = slices.slices.reduce(
      (n: number, s: { request_count: number }) => n + s.request_count,
      0,
    );
    assertEquals(counted, 32);
    assert(stdout.includes("Steady state (") && stdout.includes("ramp-up and drain left out"));
    const html = await Deno.readTextFile(`${dir}/report.html`);
    assert(html.includes("Steady state and time slices") && html.includes("Time slices of 0.3"));
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
