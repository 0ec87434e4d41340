/**
 * How much memory `deno task bench` keeps per finished request. Starts a minimal fast OpenAI
 * server in this process, runs the bench as a child process against it (so the child's memory is
 * the bench's alone), samples the child's resident set size (`VmRSS`) while it runs, and prints
 * the RSS after about 10k, 100k and every further 100k finished requests, and the bytes per
 * request between them.
 *
 *   deno run -A scripts/bench_memory.ts [--requests 500000] [--tokens 8] [--concurrency 64]
 *     [--exporters console,json,jsonl,csv] [--timeline]
 *
 * The bench runs with `--output` and its default exporters (console, json, jsonl, csv, html,
 * aiperf, server_metrics) unless `--exporters` names others.
 *
 * It also prints the peak RSS, and the peak once every request had finished (the summary and
 * the exports). `--exporters` picks the exporters (to find which one holds memory at the end);
 * `--timeline` prints the RSS every half second and shows the bench's own output (run it with
 * `DENO_V8_FLAGS=--trace-gc` to see the heap).
 *
 * Linux only (reads /proc). The server streams `--tokens` content chunks (one token each) and a
 * usage chunk; a request keeps 8 bytes per metric value: about 11 per-request metrics plus one
 * inter-chunk latency per chunk gap (`--tokens` - 1), every value kept for exact percentiles.
 *
 * @module
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    requests: { type: "string", default: "500000" },
    tokens: { type: "string", default: "8" },
    concurrency: { type: "string", default: "64" },
    // The bench's own default exporters (console, json, jsonl, csv, html, aiperf, server_metrics)
    // unless given.
    exporters: { type: "string" },
    timeline: { type: "boolean", default: false },
  },
});
const requests = Number(values.requests);
const tokens = Number(values.tokens);

const encoder = new TextEncoder();
const chunk = (content: string) =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;
const body = encoder.encode(
  Array.from({ length: tokens }, (_, i) => chunk(`t${i} `)).join("") +
    `data: ${
      JSON.stringify({
        choices: [],
        usage: { prompt_tokens: 32, completion_tokens: tokens, total_tokens: 32 + tokens },
      })
    }\n\ndata: [DONE]\n\n`,
);
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
  if (new URL(request.url).pathname.endsWith("/models")) {
    return Response.json({ data: [{ id: "fast" }] });
  }
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
});

const out = await Deno.makeTempDir({ prefix: "plugmap-memory-" });
await Deno.writeTextFile(
  `${out}/bench.yaml`,
  values.exporters === undefined ? "{}\n" : `exporters: [${values.exporters}]\n`,
);
const args = [
  "run",
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-import",
  new URL("../src/bench/main.ts", import.meta.url).pathname,
  "--config",
  `${out}/bench.yaml`,
  "--url",
  `http://127.0.0.1:${server.addr.port}`,
  "--request-count",
  String(requests),
  "--warmup-request-count",
  "0",
  "--concurrency",
  values.concurrency,
  "--output",
  `${out}/run`,
];
console.log(`deno ${args.join(" ")}`);
// With --timeline, the bench's own output (and that of DENO_V8_FLAGS=--trace-gc) is shown.
const child = new Deno.Command(Deno.execPath(), {
  args,
  stdout: values.timeline ? "inherit" : "null",
  stderr: "piped",
}).spawn();

// "profiling 12345/500000 requests | ..." once a second (stderr is not a terminal).
let done = 0;
let tail = "";
const progress = (async () => {
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    const m = [...r.value.matchAll(/profiling\s+(\d+)\//g)].at(-1);
    if (m) done = Number(m[1]);
    // The bench's own lines (exports written, warnings) among the samples.
    if (values.timeline) {
      for (const line of r.value.split("\n")) {
        if (line.trim() !== "" && !/^\s*(profiling|warmup)\s+\d/.test(line)) {
          console.log(`  bench: ${line}`);
        }
      }
    }
    tail = (tail + r.value).slice(-4000);
  }
})();

function rss(): number | undefined {
  try {
    const status = Deno.readTextFileSync(`/proc/${child.pid}/status`);
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const marks = [
  10_000,
  ...Array.from({ length: Math.floor(requests / 100_000) }, (_, i) => (i + 1) * 100_000),
];
const seen: { requests: number; rss: number }[] = [];
let peak = 0;
// The highest RSS once every request had finished (the summary, the exports).
let peakAfter = 0;
const started = performance.now();
let lastLine = 0;
const sampler = setInterval(() => {
  const now = rss();
  if (now === undefined) return;
  peak = Math.max(peak, now);
  if (done >= requests) peakAfter = Math.max(peakAfter, now);
  const elapsed = performance.now() - started;
  if (values.timeline && elapsed - lastLine >= 500) {
    lastLine = elapsed;
    console.log(`${(elapsed / 1000).toFixed(1)} s: ${done} requests, RSS ${mb(now)}`);
  }
  while (marks.length > 0 && done >= marks[0]!) {
    seen.push({ requests: done, rss: now });
    marks.shift();
  }
}, 100);
const status = await child.status;
clearInterval(sampler);
await progress;
await server.shutdown();
const seconds = (performance.now() - started) / 1000;
let lines = 0;
let fileBytes = 0;
// Not there when the jsonl exporter is not asked for (the records went to a temporary file).
const records = await Deno.open(`${out}/run/records.jsonl`).catch(() => undefined);
for await (const bytes of records?.readable ?? []) {
  fileBytes += bytes.length;
  for (const byte of bytes) if (byte === 10) lines++;
}
await Deno.remove(out, { recursive: true });

console.log(
  `exit ${status.code}; ${lines} records in records.jsonl (${mb(fileBytes)}); ${
    seconds.toFixed(0)
  } s ` +
    `(${(requests / seconds).toFixed(0)} req/s); ${tokens} chunks a reply; peak RSS ${mb(peak)}, ` +
    `after the last request ${mb(peakAfter)}; exporters ${values.exporters ?? "(defaults)"}`,
);
if (status.code !== 0) console.log(`the bench's last output:\n${tail}`);
const base = seen[0];
for (const mark of seen) {
  const per = base && mark !== base
    ? ` | ${((mark.rss - base.rss) / (mark.requests - base.requests)).toFixed(0)} bytes/request` +
      ` since ${base.requests}`
    : "";
  console.log(`${String(mark.requests).padStart(7)} requests: RSS ${mb(mark.rss)}${per}`);
}
