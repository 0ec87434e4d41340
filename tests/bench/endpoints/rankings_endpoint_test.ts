// The rankings endpoint against an independent Node server (tests/bench/servers/
// rankings_server.mjs) that answers NIM's, TEI's and Cohere's rerank APIs and checks each body on
// arrival; and against the embedded server.
import { assert, assertBetween, assertEquals } from "../_assert.ts";
import { runMain, withServerProcess } from "../_helpers.ts";
import { encode } from "gpt-tokenizer/encoding/cl100k_base";

const SCRIPT = new URL("../servers/rankings_server.mjs", import.meta.url).pathname;

async function bench(url: string | undefined, extra: string[], type = "rankings") {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-rankings-" });
  try {
    const out = await runMain([
      ...(url === undefined ? [] : ["-u", url]),
      "--endpoint-type",
      type,
      "--request-count",
      "6",
      "--warmup-request-count",
      "0",
      "--concurrency",
      "2",
      "--no-progress",
      "--output",
      dir,
      ...extra,
    ]);
    if (out.status === 2) return { ...out, json: undefined, inputs: undefined };
    const json = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    const inputs = JSON.parse(await Deno.readTextFile(`${dir}/inputs.json`));
    return { ...out, json, inputs };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("rankings: NIM, TEI and Cohere bodies, timed, checked by an independent server", async () => {
  const cleanup: string[] = [];
  try {
    await threeShapes(cleanup);
  } finally {
    for (const dir of cleanup) await Deno.remove(dir, { recursive: true });
  }
});

async function threeShapes(cleanup: string[]) {
  for (const shape of ["nim", "tei", "cohere"]) {
    const file = await configFile(JSON.stringify({ shape, passages: 4 }));
    cleanup.push(file.slice(0, file.lastIndexOf("/")));
    const run = await withServerProcess(
      "node",
      SCRIPT,
      { delay_ms: 40 },
      (url) => bench(url, ["--config", file]),
    );
    assertEquals(run.status, 0, `${shape}: ${run.stderr}`);
    assertEquals(run.json.metrics.request_count.avg, 6, shape);
    assertBetween(run.json.metrics.request_latency.p50, 39, 60, `${shape} latency`);
    const body = run.inputs.data[0].payloads[0];
    const passages = shape === "nim"
      ? body.passages
      : shape === "tei"
      ? body.texts
      : body.documents;
    assertEquals(passages.length, 4, JSON.stringify(body));
  }
}

Deno.test("rankings: too few rankings and server errors are failed requests", async () => {
  for (const [fault, kind] of [["short", "response"], ["status_500", "http"]]) {
    const run = await withServerProcess(
      "node",
      SCRIPT,
      { fault },
      (url) => bench(url, ["--no-preflight"]),
    );
    assertEquals(run.json.metrics.error_request_count.avg, 6, fault);
    assertEquals(run.json.error_summary[0].error_details.type, kind, fault);
  }
});

Deno.test("rankings: the embedded server answers /v1/ranking", async () => {
  const run = await bench(undefined, ["--ttft-ms", "2"]);
  assertEquals(run.status, 0, run.stderr);
  assertEquals(run.json.metrics.request_count.avg, 6);
  assert(run.json.metrics.input_sequence_length.avg > 0);
});

// A benchmark file choosing the rankings endpoint with `config` (shape, passages).
async function configFile(config: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-rankings-file-" });
  const path = `${dir}/bench.yaml`;
  await Deno.writeTextFile(path, `endpoint:\n  name: rankings\n  config: ${config}\n`);
  return path;
}

// The passages of a body in any of the three shapes, and its query.
function queryAndPassages(body: Record<string, unknown>): { query: string; passages: string[] } {
  if (Array.isArray(body.passages)) {
    return {
      query: (body.query as { text: string }).text,
      passages: (body.passages as { text: string }[]).map((p) => p.text),
    };
  }
  return {
    query: body.query as string,
    passages: (body.texts ?? body.documents) as string[],
  };
}

Deno.test("rankings: AIPerf's endpoint types and --rankings-* sizes, checked by an independent server", async () => {
  // AIPerf's tutorial flags (hf_tei_rankings, a spread of sizes), then exact sizes per type.
  const tutorial = await withServerProcess("node", SCRIPT, { delay_ms: 5 }, (url) =>
    bench(url, [
      "--rankings-passages-mean",
      "5",
      "--rankings-passages-stddev",
      "1",
      "--rankings-passages-prompt-token-mean",
      "32",
      "--rankings-passages-prompt-token-stddev",
      "8",
      "--rankings-query-prompt-token-mean",
      "16",
      "--rankings-query-prompt-token-stddev",
      "4",
    ], "hf_tei_rankings"));
  assertEquals(tutorial.status, 0, tutorial.stderr);
  assertEquals(tutorial.json.metrics.error_request_count?.avg ?? 0, 0);
  const counts = tutorial.inputs.data.map((s: { payloads: Record<string, unknown>[] }) =>
    queryAndPassages(s.payloads[0]!).passages.length
  );
  assert(counts.every((n: number) => n >= 1 && n <= 10), `passages: ${counts}`);
  assert(new Set(counts).size > 1, `the count varies: ${counts}`);
  for (
    const [type, key] of [
      ["nim_rankings", "passages"],
      ["hf_tei_rankings", "texts"],
      ["cohere_rankings", "documents"],
    ] as const
  ) {
    const run = await withServerProcess("node", SCRIPT, {}, (url) =>
      bench(url, [
        "--rankings-passages-mean",
        "3",
        "--rankings-passages-prompt-token-mean",
        "20",
        "--rankings-query-prompt-token-mean",
        "10",
      ], type));
    assertEquals(run.status, 0, `${type}: ${run.stderr}`);
    assertEquals(run.json.metrics.error_request_count?.avg ?? 0, 0, type);
    for (const session of run.inputs.data) {
      const body = session.payloads[0];
      assert(key in body, `${type}: ${JSON.stringify(body).slice(0, 200)}`);
      const { query, passages } = queryAndPassages(body);
      assertEquals(encode(query).length, 10, `${type} query`);
      assertEquals(passages.map((p) => encode(p).length), [20, 20, 20], `${type} passages`);
    }
  }
});

Deno.test("rankings: -b N sends N texts as the passages", async () => {
  const run = await withServerProcess("node", SCRIPT, {}, (url) => bench(url, ["-b", "3"]));
  assertEquals(run.status, 0, run.stderr);
  assertEquals(run.json.metrics.error_request_count?.avg ?? 0, 0);
  assertEquals(run.inputs.data[0].payloads[0].passages.length, 3);
});

Deno.test("rankings: --rankings-* need a rankings endpoint and no prompt length (exit 2)", async () => {
  const chat = await bench(undefined, ["--rankings-passages-mean", "2"], "chat");
  assertEquals(chat.status, 2);
  assert(chat.stderr.includes("needs a rankings --endpoint-type"), chat.stderr);
  const isl = await bench(undefined, ["--rankings-passages-mean", "2", "--isl", "50"]);
  assertEquals(isl.status, 2);
  assert(isl.stderr.includes("cannot be used with --isl"), isl.stderr);
});
