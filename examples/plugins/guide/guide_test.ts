// The guide's plugin in real benchmarks: against the embedded server, and its TGI endpoint
// against a TGI-style /generate_stream server on 127.0.0.1 written here.
import { main } from "@plugmap/plugmap/bench";
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { join } from "node:path";

const HERE = new URL(".", import.meta.url).pathname;

interface TgiServer {
  readonly url: string;
  readonly bodies: unknown[];
  close(): Promise<void>;
}

// Plays TGI: one `data:` event per token, then the one with generated_text and details.
function tgiServer(
  mode: "ok" | "error_event" | "cut" | "http_500" = "ok",
  tokens = 5,
): TgiServer {
  const bodies: unknown[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      if (
        new URL(req.url).pathname !== "/generate_stream" ||
        req.method !== "POST"
      ) {
        return new Response("not found", { status: 404 });
      }
      const body = await req.json() as {
        parameters?: { max_new_tokens?: number };
      };
      bodies.push(body);
      if (mode === "http_500") {
        return new Response("overloaded", {
          status: 500,
        });
      }
      const count = Math.min(tokens, body.parameters?.max_new_tokens ?? tokens);
      const encoder = new TextEncoder();
      const stream = new ReadableStream<Uint8Array>({
        async start(controller) {
          const send = (data: unknown) =>
            controller.enqueue(
              encoder.encode(`data:${JSON.stringify(data)}\n\n`),
            );
          const words: string[] = [];
          for (let i = 0; i < count; i++) {
            await new Promise((r) => setTimeout(r, i === 0 ? 15 : 2));
            if (mode === "error_event" && i === 2) {
              send({
                error: "Request failed during generation",
                error_type: "generation",
              });
              controller.close();
              return;
            }
            if (mode === "cut" && i === 2) {
              controller.close();
              return;
            }
            words.push(` w${i}`);
            send({
              index: i + 1,
              token: {
                id: 100 + i,
                text: ` w${i}`,
                logprob: -0.5,
                special: false,
              },
              generated_text: null,
              details: null,
            });
          }
          // TGI's last event: the end-of-sequence token is special, and not output text.
          send({
            index: count + 1,
            token: { id: 2, text: "</s>", logprob: 0, special: true },
            generated_text: words.join(""),
            details: {
              finish_reason: "length",
              generated_tokens: count,
              seed: null,
            },
          });
          controller.close();
        },
      });
      return new Response(stream, {
        headers: { "content-type": "text/event-stream" },
      });
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    bodies,
    close: () => server.shutdown(),
  };
}

async function bench(args: string[]) {
  let stdout = "";
  let stderr = "";
  const status = await main([...args, "--no-progress"], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    terminal: false,
    signals: false,
  });
  return { status, stdout, stderr };
}

async function csvRows(path: string): Promise<string[][]> {
  const lines = (await Deno.readTextFile(path)).trimEnd().split("\n");
  return lines.map((line) => line.split(","));
}

Deno.test("guide: its dataset, hook and exporter run against the embedded server", async () => {
  const out = await Deno.makeTempDir();
  try {
    const run = await bench([
      "--config",
      join(HERE, "benchmark.yaml"),
      "--output",
      join(out, "new"),
    ]);
    equal(run.status, 0, run.stderr);
    match(run.stderr, /^phase_log: profiling started$/m);
    match(
      run.stderr,
      /^phase_log: profiling: 20 completed, 0 failed, median latency \d+\.\d ms$/m,
    );
    const rows = await csvRows(join(out, "new", "records.csv"));
    deepEqual(rows[0], [
      "index",
      "latency_ms",
      "ttft_ms",
      "output_tokens",
      "error",
    ]);
    equal(rows.length, 1 + 20);
    ok(
      rows.slice(1).every((r) => Number(r[1]) > 0 && Number(r[2]) > 0 && r[4] === ""),
      String(rows),
    );
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("guide: the tgi endpoint against a TGI-style server: tokens, TTFT, the request body", async () => {
  const server = tgiServer("ok", 5);
  const out = await Deno.makeTempDir();
  try {
    const run = await bench([
      "--config",
      join(HERE, "tgi.yaml"),
      "--url",
      server.url,
      "--output",
      out,
      "--request-count",
      "6",
      "--warmup-request-count",
      "0",
    ]);
    equal(run.status, 0, run.stderr);
    // The pre-flight request, then the prompts of prompts.txt in turn (the sampler's order).
    deepEqual(server.bodies[1], {
      inputs: "Say hello in French",
      parameters: { max_new_tokens: 64, details: true },
    });
    const profile = JSON.parse(
      await Deno.readTextFile(join(out, "profile_export.json")),
    );
    equal(profile.benchmark.endpoint, "tgi");
    equal(profile.benchmark.url, `${server.url}/generate_stream`);
    equal(profile.metrics.request_count.avg, 6);
    equal(profile.metrics.output_sequence_length.avg, 5); // details.generated_tokens
    deepEqual(profile.token_counting.output_sources, { endpoint: 6 });
    // The first token comes 15 ms after the request, the others 2 ms apart.
    ok(
      profile.metrics.time_to_first_token.p50 >= 14,
      JSON.stringify(profile.metrics.time_to_first_token),
    );
    ok(
      profile.metrics.inter_token_latency.p50 >= 1.5,
      JSON.stringify(profile.metrics.inter_token_latency),
    );
    const rows = await csvRows(join(out, "records.csv"));
    ok(rows.slice(1).every((r) => r[3] === "5"), String(rows));
  } finally {
    await server.close();
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("guide: tgi failures are errors by kind; phase_log's max_errors fails the run", async () => {
  for (
    const [mode, kind] of [["error_event", "stream"], ["cut", "incomplete"], [
      "http_500",
      "http",
    ]] as const
  ) {
    const server = tgiServer(mode);
    const out = await Deno.makeTempDir();
    try {
      const run = await bench([
        "--config",
        join(HERE, "tgi.yaml"),
        "--url",
        server.url,
        "--output",
        out,
        "--request-count",
        "3",
        "--warmup-request-count",
        "0",
        "--no-preflight",
      ]);
      equal(run.status, 1, run.stderr);
      match(
        run.stderr,
        /FAILED: profiling: 3 failed requests \(max_errors 0\)|no request succeeded/,
      );
      const profile = JSON.parse(
        await Deno.readTextFile(join(out, "profile_export.json")),
      );
      equal(profile.error_summary[0]?.error_details.type, kind, mode);
      equal(profile.error_summary[0]?.count, 3, mode);
    } finally {
      await server.close();
      await Deno.remove(out, { recursive: true });
    }
  }
});
