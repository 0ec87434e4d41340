// A run's end needs no copy of its records: the bench, with every default exporter, finishes a
// run whose records would not fit in its heap if they were all read back at once. Measured with
// --trace-gc (live heap after a mark-compact, 8,000 requests x 576 chunks): main usually needs
// about 33 MB (40 MB with the machine loaded at 5 on 2 cores), but on a freshly cloned CI run it
// twice jumped from 24 to about 68 MB live in 60 ms near the end of the run (not found yet; it
// did not recur in 35 later runs). Main before the confidence intervals were computed from the
// kept values (203dee2) read every record back at the end, needed about 97 MB and died of "out
// of memory" under 56, 64, 72, 80 and 88 MB. The limit sits above the jump and below that.
import { assert, assertEquals } from "../_assert.ts";
import { serveLoopback } from "../_helpers.ts";

const REQUESTS = 8000;
// Each record carries one time per chunk and one gap per chunk: about 9 KB each read back.
const CHUNKS = 576;
// The V8 heap limit (old space) the bench runs under, in MB.
const HEAP_LIMIT_MB = 88;
const MAIN = new URL("../../../src/bench/main.ts", import.meta.url).pathname;

function streamBody(): Uint8Array<ArrayBuffer> {
  const chunk = (content: string) =>
    `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;
  const usage = { prompt_tokens: 32, completion_tokens: CHUNKS, total_tokens: 32 + CHUNKS };
  return new TextEncoder().encode(
    Array.from({ length: CHUNKS }, (_, i) => chunk(`t${i} `)).join("") +
      `data: ${JSON.stringify({ choices: [], usage })}\n\ndata: [DONE]\n\n`,
  );
}

Deno.test("memory: every default export is written under a heap limit the records would pass", async () => {
  const body = streamBody();
  const server = serveLoopback((request) =>
    new URL(request.url).pathname.endsWith("/models")
      ? Response.json({ data: [{ id: "fast" }] })
      : new Response(body, { headers: { "content-type": "text/event-stream" } })
  );
  const dir = await Deno.makeTempDir({ prefix: "plugmap-memory-" });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `--v8-flags=--max-old-space-size=${HEAP_LIMIT_MB}`,
        MAIN,
        "--url",
        server.url,
        "--request-count",
        String(REQUESTS),
        "--warmup-request-count",
        "0",
        "--concurrency",
        "32",
        "--no-progress",
        "--output",
        dir,
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assertEquals(out.code, 0, stderr.slice(-2000));
    const files = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    for (
      const name of [
        "inputs.json",
        "profile_export.csv",
        "profile_export.json",
        "profile_export.jsonl",
        "profile_export_aiperf.csv",
        "profile_export_aiperf.json",
        "records.jsonl",
        "report.html",
      ]
    ) assert(files.includes(name), `${name} missing: ${files.join(", ")}`);
    let lines = 0;
    for await (const bytes of (await Deno.open(`${dir}/records.jsonl`)).readable) {
      for (const byte of bytes) if (byte === 10) lines++;
    }
    assertEquals(lines, REQUESTS);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    assertEquals(json.metrics.request_count.avg, REQUESTS);
    // The intervals were computed (from the kept values).
    assert(json.confidence_intervals?.metrics?.time_to_first_token?.p50 !== undefined);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
