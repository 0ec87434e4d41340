// The rankings endpoint against an independent Node server (tests/bench/servers/
// rankings_server.mjs) that answers NIM's, TEI's and Cohere's rerank APIs and checks each body on
// arrival; and against the embedded server.
import { assert, assertBetween, assertEquals } from "../_assert.ts";
import { runMain, withServerProcess } from "../_helpers.ts";

const SCRIPT = new URL("../servers/rankings_server.mjs", import.meta.url).pathname;

async function bench(url: string | undefined, extra: string[]) {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-rankings-" });
  try {
    const out = await runMain([
      ...(url === undefined ? [] : ["-u", url]),
      "--endpoint-type",
      "rankings",
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
