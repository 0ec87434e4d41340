// AIPerf's request cancellation: the chosen requests are really aborted (the server sees its
// stream cancelled) and counted as AIPerf counts them (failed, 499 RequestCancellationError).
import { assert, assertEquals } from "../_assert.ts";
import { runMain, serveLoopback } from "../_helpers.ts";

// A chat server streaming 20 chunks 20 ms apart; it counts the streams a client dropped.
function slowServer() {
  let dropped = 0;
  const encoder = new TextEncoder();
  const server = serveLoopback(() => {
    let i = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        return new Promise((resolve) => {
          timer = setTimeout(() => {
            if (i < 20) {
              const chunk = { choices: [{ index: 0, delta: { content: " w" } }] };
              controller.enqueue(encoder.encode(`data: ${JSON.stringify(chunk)}\n\n`));
            } else {
              const usage = { choices: [], usage: { prompt_tokens: 3, completion_tokens: 20 } };
              controller.enqueue(
                encoder.encode(`data: ${JSON.stringify(usage)}\n\ndata: [DONE]\n\n`),
              );
              controller.close();
            }
            i++;
            resolve();
          }, i === 0 ? 5 : 20);
        });
      },
      cancel() {
        clearTimeout(timer);
        dropped++;
      },
    });
    return new Response(stream, { headers: { "content-type": "text/event-stream" } });
  });
  return { ...server, dropped: () => dropped };
}

Deno.test("request cancellation: chosen requests are aborted and counted as AIPerf does", async () => {
  const server = slowServer();
  const dir = await Deno.makeTempDir({ prefix: "plugmap-cancel-" });
  try {
    const out = await runMain([
      "-u",
      server.url,
      "--request-count",
      "12",
      "--warmup-request-count",
      "0",
      "--concurrency",
      "4",
      "--request-cancellation-rate",
      "50",
      "--request-cancellation-delay",
      "0.1",
      "--random-seed",
      "7",
      "--no-preflight",
      "--no-progress",
      "--output",
      dir,
    ]);
    assertEquals(out.status, 0, out.stderr);
    const records = (await Deno.readTextFile(`${dir}/records.jsonl`)).trim().split("\n")
      .map((line) => JSON.parse(line));
    const cancelled = records.filter((r) => r.error_kind === "cancelled");
    assert(cancelled.length > 0 && cancelled.length < 12, `${cancelled.length} cancelled`);
    // Aborted at the delay, long before the 400 ms the full stream takes.
    for (const r of cancelled) assert(r.end_ms - r.start_ms < 300, JSON.stringify(r));
    // The server saw each of those streams dropped.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assertEquals(server.dropped(), cancelled.length);
    // AIPerf's files: was_cancelled, code 499, and the summary counts them as errors.
    const lines = (await Deno.readTextFile(`${dir}/profile_export.jsonl`)).trim().split("\n")
      .map((line) => JSON.parse(line));
    const marked = lines.filter((l) => l.metadata.was_cancelled);
    assertEquals(marked.length, cancelled.length);
    assertEquals(marked[0].error.code, 499);
    assertEquals(marked[0].error.type, "RequestCancellationError");
    assert(marked.every((l) => typeof l.metadata.cancellation_time_ns === "number"));
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/profile_export_aiperf.json`));
    assertEquals(summary.error_request_count.avg, cancelled.length);
    assertEquals(summary.request_count.avg, 12 - cancelled.length);
    // The same seed chooses the same requests.
    const again = await runMain([
      "-u",
      server.url,
      "--request-count",
      "12",
      "--warmup-request-count",
      "0",
      "--concurrency",
      "4",
      "--request-cancellation-rate",
      "50",
      "--request-cancellation-delay",
      "0.1",
      "--random-seed",
      "7",
      "--no-preflight",
      "--no-progress",
    ]);
    assertEquals(again.status, 0);
    const delayAlone = await runMain(["--request-cancellation-delay", "1", "--no-progress"]);
    assertEquals(delayAlone.status, 2);
    assert(delayAlone.stderr.includes("needs --request-cancellation-rate"), delayAlone.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await server.close();
  }
});
