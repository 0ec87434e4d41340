// No silently wrong number (docs/metrics-truth.md): streams whose own figures cannot be taken as
// they come, played by the independent Node server (tests/bench/servers/wire_server.mjs), and a
// TLS server whose certificate a private CA signed. Each case is measured right, or named in a
// warning on the console, in profile_export.json (per phase) and in records.jsonl (per request).
import { assert, assertBetween, assertEquals } from "../_assert.ts";
import { ROOT, runMain, withServerProcess } from "../_helpers.ts";

const SCRIPT = new URL("../servers/wire_server.mjs", import.meta.url).pathname;

interface Phase {
  request_count: number;
  stream_checks?: Record<string, number>;
  warnings?: string[];
}

interface Run {
  status: number;
  stderr: string;
  json: {
    metrics: Record<string, Record<string, number>>;
    phases: Record<string, Phase>;
    warnings: string[];
  };
  records: {
    tokens: Record<string, unknown>;
    chunks_ms: number[];
    start_ms: number;
    end_ms: number;
    metrics: Record<string, { value: number }>;
  }[];
}

async function bench(options: Record<string, unknown>, extra: string[] = []): Promise<Run> {
  const dir = await Deno.makeTempDir();
  try {
    const { status, stderr } = await withServerProcess("node", SCRIPT, options, (url) =>
      runMain([
        "-u",
        url,
        "-m",
        "m",
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
      ]));
    const json = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    const lines = (await Deno.readTextFile(`${dir}/records.jsonl`)).trim().split("\n");
    return { status, stderr, json, records: lines.map((l) => JSON.parse(l)) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function p50(run: Run, metric: string): number {
  const stats = run.json.metrics[metric];
  assert(stats?.p50 !== undefined, `${metric} missing: ${Object.keys(run.json.metrics)}`);
  return stats.p50;
}

// The check is named in the console, in the phase's export and in every record it touched.
function named(run: Run, check: string, words: string): void {
  const profiling = run.json.phases.profiling!;
  assertEquals(profiling.stream_checks?.[check], profiling.request_count, check);
  const warning = profiling.warnings?.find((w) => w.includes(words));
  assert(warning !== undefined, `${words} not in ${JSON.stringify(profiling.warnings)}`);
  assert(run.stderr.includes(warning), run.stderr);
  assert(run.json.warnings.includes(`profiling: ${warning}`), JSON.stringify(run.json.warnings));
  for (const r of run.records) {
    assert((r.tokens.checks as string[]).includes(check), JSON.stringify(r.tokens));
  }
}

Deno.test("usage.completion_tokens below the content chunks: the chunks are counted, named", async () => {
  // 28 one-token chunks 10 ms apart; usage says 4 (ITL would read 9x too high).
  const stream = { ttft_ms: 40, itl_ms: 10, output: 28, usage_completion: 4 };
  const run = await bench(stream);
  assertEquals(run.status, 0, run.stderr);
  assertEquals(run.json.metrics.output_sequence_length!.avg, 28);
  // ITL = (request_latency - TTFT) / (28 - 1), request_latency ending at the last chunk: about
  // the 10 ms gap (a loaded machine reads late).
  for (const r of run.records) {
    const itl = (r.chunks_ms[27]! - r.chunks_ms[0]!) / 27;
    assertBetween(r.metrics.inter_token_latency!.value, itl - 1e-6, itl + 1e-6, "record ITL");
  }
  assertBetween(p50(run, "inter_token_latency"), 9, 14, "inter_token_latency p50");
  named(run, "usage_below_chunks", "usage.completion_tokens (e.g. 4) is below");
  assertEquals(run.records[0]!.tokens.usage_output_sequence_length, 4);
  assertEquals(run.records[0]!.tokens.output_source, "chunks");
  assert(!run.stderr.includes("the server sent no usage"), run.stderr);

  // With a tokenizer, its count (28 " hello") stands in.
  const counted = await bench(stream, ["--tokenizer", "cl100k_base"]);
  assertEquals(counted.json.metrics.output_sequence_length!.avg, 28);
  assertEquals(counted.records[0]!.tokens.output_source, "tokenizer");
});

Deno.test("several choices in one stream: choice 0 measured, named; n > 1 refused before the run", async () => {
  const run = await bench({ ttft_ms: 40, itl_ms: 10, output: 16, choices: 2 });
  assertEquals(run.status, 0, run.stderr);
  assertEquals(run.json.metrics.output_sequence_length!.avg, 16);
  for (const r of run.records) assertEquals(r.chunks_ms.length, 16);
  assertBetween(p50(run, "inter_token_latency"), 9, 14, "inter_token_latency p50");
  named(run, "several_choices", "carried several choices (n > 1)");
  assertEquals(run.records[0]!.tokens.usage_output_sequence_length, 32);

  const log = await Deno.makeTempFile();
  try {
    const refused = await withServerProcess(
      "node",
      SCRIPT,
      { log },
      (url) =>
        runMain(["-u", url, "--extra-inputs", "n:2", "--request-count", "2", "--no-progress"]),
    );
    assertEquals(refused.status, 2, refused.stderr);
    assert(refused.stderr.includes('extra_body "n": 2'), refused.stderr);
    assert(refused.stderr.includes("send n separate requests"), refused.stderr);
    assertEquals(await Deno.readTextFile(log), "", "nothing was sent");
  } finally {
    await Deno.remove(log);
  }
});

const THINK_SHAPES: readonly (readonly [string, number])[] = [
  ["open", 1 + 12 + 1],
  ["split", 2 + 12 + 2],
  ["close_only", 12 + 1],
];
for (const [think, before] of THINK_SHAPES) {
  Deno.test(`<think> in the content (${think}): reasoning, TTFO after </think>; --no-think-tags`, async () => {
    // 12 reasoning tokens inside the tags, then 6 answer tokens; chunks 10 ms apart.
    const stream = { ttft_ms: 60, itl_ms: 10, reasoning: 12, output: 6, think };
    const run = await bench(stream);
    assertEquals(run.status, 0, run.stderr);
    // TTFO is the arrival of the first chunk after </think>; TTFT that of the first chunk.
    for (const r of run.records) {
      assertEquals(r.metrics.time_to_first_token!.value, r.chunks_ms[0]);
      assertEquals(r.metrics.time_to_first_output_token!.value, r.chunks_ms[before]);
    }
    assertBetween(
      p50(run, "time_to_first_output_token"),
      60 + before * 10 - 1,
      60 + before * 10 + 40,
      "TTFO p50",
    );
    // usage counts each tag chunk as a token; without a tokenizer the reasoning is its chunks.
    assertEquals(run.json.metrics.reasoning_token_count!.avg, before);
    assertEquals(run.json.metrics.output_token_count!.avg, 6);
    named(run, "think_tags", "inside <think>");

    const off = await bench(stream, ["--no-think-tags"]);
    assertEquals(off.json.metrics.reasoning_token_count!.avg, 0);
    for (const r of off.records) {
      assertEquals(r.metrics.time_to_first_output_token!.value, r.chunks_ms[0]);
    }
    assertEquals(off.json.phases.profiling!.stream_checks, undefined);
  });
}

Deno.test("<think> in a whole (not streamed) reply: reasoning counted", async () => {
  const run = await bench({ reasoning: 12, output: 6, think: "open" }, ["--no-streaming"]);
  assertEquals(run.status, 0, run.stderr);
  // usage says 18; the default tokenizer counts the 12 reasoning tokens inside the tags.
  assertEquals(run.json.metrics.reasoning_token_count!.avg, 12);
  assertEquals(run.json.metrics.output_token_count!.avg, 6);
  named(run, "think_tags", "inside <think>");
});

Deno.test("usage.prompt_tokens far from what was sent: both kept, named", async () => {
  const prompts = ["--synthetic-input-tokens-mean", "100", "--output-tokens-mean", "4"];
  const run = await bench({ ttft_ms: 5, itl_ms: 1, usage_prompt: 7 }, prompts);
  assertEquals(run.status, 0, run.stderr);
  assertEquals(run.json.metrics.input_sequence_length!.avg, 7);
  for (const r of run.records) {
    assertEquals(r.tokens.input, 7);
    assertBetween(r.tokens.tokenizer_input_sequence_length as number, 95, 105, "sent");
  }
  named(run, "input_length_mismatch", "usage.prompt_tokens (e.g. 7) is far from");

  // A server that counts what it got (plus its template) raises nothing.
  const fair = await bench({ ttft_ms: 5, itl_ms: 1 }, prompts);
  assertEquals(fair.json.phases.profiling!.stream_checks, undefined);
  assert(!fair.stderr.includes("usage.prompt_tokens"), fair.stderr);
});

// A CA and a certificate for 127.0.0.1 it signed, made with openssl in `dir`.
async function privateCa(dir: string): Promise<void> {
  const openssl = async (...args: string[]) => {
    const out = await new Deno.Command("openssl", { args, cwd: dir, stderr: "piped" }).output();
    assert(out.success, new TextDecoder().decode(out.stderr));
  };
  await Deno.writeTextFile(`${dir}/ext.cnf`, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  await openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "1",
    "-subj",
    "/CN=plugmap test CA",
  );
  await openssl(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
    "-subj",
    "/CN=127.0.0.1",
  );
  await openssl(
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.pem",
    "-days",
    "1",
    "-extfile",
    "ext.cnf",
  );
}

Deno.test("TLS: the failure names its cause; DENO_CERT with the private CA makes the run work", async () => {
  const dir = await Deno.makeTempDir();
  await privateCa(dir);
  const events = [" hello", " hello", " hello"].map((t) =>
    `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: t } }] })}\n\n`
  );
  const usage = { prompt_tokens: 3, completion_tokens: 3 };
  const body = events.join("") + `data: ${JSON.stringify({ choices: [], usage })}\n\n` +
    "data: [DONE]\n\n";
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    cert: await Deno.readTextFile(`${dir}/server.pem`),
    key: await Deno.readTextFile(`${dir}/server.key`),
    onListen() {},
  }, () => new Response(body, { headers: { "content-type": "text/event-stream" } }));
  const run = async (env: Record<string, string>) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `${ROOT}src/bench/main.ts`,
        "--url",
        `https://127.0.0.1:${server.addr.port}`,
        "--request-count",
        "2",
        "--no-progress",
      ],
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder();
    return { code: out.code, out: text.decode(out.stdout) + text.decode(out.stderr) };
  };
  try {
    const untrusted = await run({});
    assertEquals(untrusted.code, 1, untrusted.out);
    assert(untrusted.out.includes("invalid peer certificate: UnknownIssuer"), untrusted.out);
    assert(untrusted.out.includes("DENO_CERT=ca.pem"), untrusted.out);
    const trusted = await run({ DENO_CERT: `${dir}/ca.pem` });
    assertEquals(trusted.code, 0, trusted.out);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--help says how to trust a private CA and how to turn <think> reading off", async () => {
  const { stdout } = await runMain(["--help"]);
  assert(stdout.includes("DENO_CERT=ca.pem"), stdout);
  assert(stdout.includes("--no-think-tags"), stdout);
});
