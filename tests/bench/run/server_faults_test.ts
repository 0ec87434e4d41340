// What a user sees when the server refuses the load (429) or the port cannot be used at all.
import { assert, assertEquals } from "../_assert.ts";
import { runMain, serveLoopback } from "../_helpers.ts";
import { PREFLIGHT_PROMPT } from "../../../src/bench/run/preflight.ts";

const QUIET = ["--no-progress", "--warmup-request-count", "0"];

Deno.test("HTTP 429 with Retry-After: rate_limited errors, with the status, never retried or waited for", async () => {
  let workload = 0;
  const server = serveLoopback(async (request) => {
    const body = await request.json() as { messages: { content: string }[] };
    const preflight = body.messages.at(-1)!.content === PREFLIGHT_PROMPT;
    if (!preflight && workload++ % 2 === 1) {
      return Response.json(
        { error: { message: "Too many requests", type: "rate_limit_exceeded" } },
        { status: 429, headers: { "retry-after": "30" } },
      );
    }
    return Response.json({
      choices: [{ index: 0, message: { role: "assistant", content: "ok" } }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
  });
  const dir = await Deno.makeTempDir();
  try {
    const out = await runMain([
      "-u",
      server.url,
      "--no-streaming",
      "--request-count",
      "6",
      "--concurrency",
      "1",
      "--output",
      dir,
      ...QUIET,
    ]);
    assertEquals(out.status, 0, out.stderr);
    // Six requests asked for, six sent: none sent again after its 429.
    assertEquals(workload, 6);
    const result = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    assertEquals(result.error_summary.length, 1, JSON.stringify(result.error_summary));
    const [{ error_details: details, count }] = result.error_summary;
    assertEquals([details.code, details.type, count], [429, "rate_limited", 3]);
    assert(details.message.includes("Too many requests"), details.message);
    assert(details.message.includes("Retry-After: 30, not retried"), details.message);
    assert(out.stdout.includes("rate_limited"), out.stdout);
    assert(/rate-limited 3 of 6 requests \(HTTP 429\)/.test(out.stderr), out.stderr);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a port fetch blocks: closed, it is connection refused; open, it is named as blocked", async () => {
  const closed = await runMain(["-u", "http://127.0.0.1:1", ...QUIET]);
  assertEquals(closed.status, 1);
  assert(
    closed.stderr.includes(
      "connection refused: http://127.0.0.1:1/v1/chat/completions (nothing listens on port 1;",
    ),
    closed.stderr,
  );
  // A port on the blocked list with a server on it (the first of these that is free).
  let listener: Deno.Listener | undefined;
  for (const port of [6000, 6665, 6666, 6667, 6668, 6669, 5060, 5061, 10080]) {
    try {
      listener = Deno.listen({ hostname: "127.0.0.1", port });
      break;
    } catch {
      // taken: try the next
    }
  }
  assert(listener !== undefined, "no blocked port is free to listen on");
  const port = (listener.addr as Deno.NetAddr).port;
  const accepting = (async () => {
    for await (const conn of listener) conn.close();
  })();
  try {
    const open = await runMain(["-u", `http://127.0.0.1:${port}`, ...QUIET]);
    assertEquals(open.status, 1);
    assert(
      open.stderr.includes(
        `port blocked: http://127.0.0.1:${port}/v1/chat/completions (fetch refuses port ${port}`,
      ) && open.stderr.includes("a server listens there"),
      open.stderr,
    );
  } finally {
    listener.close();
    await accepting.catch(() => {});
  }
});
