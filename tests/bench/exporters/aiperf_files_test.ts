// AIPerf's files written beside ours: a script written against AIPerf's documented layout
// (tests/bench/aiperf_scripts/read_aiperf_export.py, Python standard library only) reads our
// output unchanged.
import { assert, assertEquals } from "../_assert.ts";
import { runMain } from "../_helpers.ts";

const SCRIPT = new URL("../aiperf_scripts/read_aiperf_export.py", import.meta.url).pathname;
const QUIET = ["--no-progress", "--ttft-ms", "2", "--itl-ms", "0.5", "--output-tokens", "8"];

async function readWithPython(dir: string, prefix?: string) {
  const out = await new Deno.Command("python3", {
    args: [SCRIPT, dir, ...(prefix === undefined ? [] : [prefix])],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert(out.success, `the AIPerf reader failed: ${stderr}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("aiperf files: a script written for AIPerf's layout reads our output", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-aiperf-" });
  try {
    const run = await runMain([
      "--request-count",
      "20",
      "--warmup-request-count",
      "0",
      "--concurrency",
      "4",
      "--error-every",
      "5",
      "--artifact-dir",
      dir,
      ...QUIET,
    ]);
    assertEquals(run.status, 0, run.stderr);
    const seen = await readWithPython(dir);
    assertEquals([seen.records, seen.errors], [20, 4]);
    assertEquals([seen.request_count, seen.error_request_count], [16, 4]);
    // The three files agree with one another (the CSV rounds to 2 decimals).
    assert(Math.abs(seen.latency_avg_json - seen.latency_avg_records) < 1e-6, "json vs records");
    assert(Math.abs(seen.latency_avg_json - seen.latency_avg_csv) <= 0.005, "json vs csv");
    assertEquals(seen.total_osl, seen.osl_sum_records);
    assertEquals(seen.total_osl, 16 * 8);
    // inputs.json holds the chat bodies the endpoint sent.
    assert(Array.isArray(seen.first_payload.messages), JSON.stringify(seen.first_payload));
    // Ours are still written beside them.
    for (const name of ["profile_export.json", "records.jsonl", "profile_export.csv"]) {
      await Deno.stat(`${dir}/${name}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("aiperf files: --profile-export-file names them; --export-level summary", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-aiperf-" });
  try {
    const run = await runMain([
      "--request-count",
      "6",
      "--warmup-request-count",
      "0",
      "--artifact-dir",
      dir,
      "--profile-export-file",
      "my_run.jsonl",
      ...QUIET,
    ]);
    assertEquals(run.status, 0, run.stderr);
    const seen = await readWithPython(dir, "my_run");
    assertEquals(seen.records, 6);
    const summaryOnly = `${dir}/summary`;
    const again = await runMain([
      "--request-count",
      "3",
      "--warmup-request-count",
      "0",
      "--artifact-dir",
      summaryOnly,
      "--export-level",
      "summary",
      ...QUIET,
    ]);
    assertEquals(again.status, 0, again.stderr);
    await Deno.stat(`${summaryOnly}/profile_export_aiperf.json`);
    let records = true;
    await Deno.stat(`${summaryOnly}/profile_export.jsonl`).catch(() => records = false);
    assertEquals(records, false);
    const raw = await runMain(["--export-level", "raw", ...QUIET]);
    assertEquals(raw.status, 2);
    assert(raw.stderr.includes("--export-level") && raw.stderr.includes("raw is not supported"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("aiperf flags: a positional model; AIPerf's token-count policy by its flag", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-aiperf-" });
  try {
    const run = async (sub: string, ...argv: string[]) => {
      const out = await runMain([
        ...argv,
        "--request-count",
        "4",
        "--warmup-request-count",
        "0",
        "--artifact-dir",
        `${dir}/${sub}`,
        ...QUIET,
      ]);
      assertEquals(out.status, 0, out.stderr);
      const summary = JSON.parse(
        await Deno.readTextFile(`${dir}/${sub}/profile_export_aiperf.json`),
      );
      const records = (await Deno.readTextFile(`${dir}/${sub}/records.jsonl`)).trim().split("\n")
        .map((line) => JSON.parse(line));
      return { summary, records };
    };
    // `aiperf profile MODEL ...`: the model is the one positional argument.
    const positional = await run("positional", "my-model");
    assertEquals(positional.summary.input_config.endpoint.model_names, ["my-model"]);
    // Default: the server's usage counts (AIPerf's --use-server-token-count).
    const server = await run("server", "--use-server-token-count");
    assertEquals(server.records[0].tokens.output_source, "usage");
    // AIPerf's default: the tokenizer counts, the server's usage is set aside.
    const client = await run("client", "--no-use-server-token-count");
    assertEquals(client.records[0].tokens.output_source, "tokenizer");
    assertEquals(client.records[0].tokens.input_source, "tokenizer");
    assertEquals(client.summary.total_osl.avg, 4 * 8);
    const twice = await runMain(["my-model", "--model", "other", ...QUIET]);
    assertEquals(twice.status, 2);
    assert(twice.stderr.includes('given twice: as "my-model" and with --model'), twice.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("aiperf files: x_correlation_id is one UUID v4 per conversation, the same for its turns", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-aiperf-" });
  try {
    const run = await runMain([
      "--request-count",
      "30",
      "--warmup-request-count",
      "0",
      "--concurrency",
      "3",
      "--conversation-turn-mean",
      "3",
      "--artifact-dir",
      dir,
      ...QUIET,
    ]);
    assertEquals(run.status, 0, run.stderr);
    const lines = (await Deno.readTextFile(`${dir}/profile_export.jsonl`)).trim().split("\n");
    const byConversation = new Map<number, Set<string>>();
    for (const line of lines) {
      const { session_num, x_correlation_id } = JSON.parse(line).metadata;
      assert(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(
          x_correlation_id,
        ),
        x_correlation_id,
      );
      byConversation.set(
        session_num,
        (byConversation.get(session_num) ?? new Set()).add(x_correlation_id),
      );
    }
    assertEquals(lines.length, 30);
    assert(byConversation.size >= 10, `${byConversation.size} conversations`);
    for (const ids of byConversation.values()) assertEquals(ids.size, 1);
    const all = [...byConversation.values()].map((ids) => [...ids][0]);
    assertEquals(new Set(all).size, all.length);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("aiperf files: --slice-duration writes AIPerf's timeslices JSON and tidy CSV", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-aiperf-" });
  try {
    const run = await runMain([
      "--benchmark-duration",
      "1",
      "--slice-duration",
      "0.25",
      "--warmup-request-count",
      "0",
      "--concurrency",
      "2",
      "--output",
      dir,
      ...QUIET,
    ]);
    assertEquals(run.status, 0, run.stderr);
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/profile_export_aiperf.json`));
    const json = JSON.parse(
      await Deno.readTextFile(`${dir}/profile_export_aiperf_timeslices.json`),
    );
    const slices = json.timeslices as Record<string, { unit: string; avg: number }>[];
    assert(slices.length >= 4, `${slices.length} slices`);
    assertEquals(slices.map((s) => s.timeslice_index), slices.map((_, i) => i));
    for (const slice of slices) {
      assertEquals(slice.time_to_first_token!.unit, "ms");
      for (const key of ["avg", "min", "max", "p50", "p90", "p99"]) {
        assertEquals(typeof (slice.time_to_first_token as Record<string, unknown>)[key], "number");
      }
    }
    // Each request is in the slice it started in.
    const counted = slices.reduce((n, s) => n + (s.request_count?.avg ?? 0), 0);
    assertEquals(counted, summary.request_count.avg);
    assertEquals(json.input_config.endpoint.model_names, summary.input_config.endpoint.model_names);
    const rows = (await Deno.readTextFile(`${dir}/profile_export_aiperf_timeslices.csv`))
      .trim().split("\n");
    assertEquals(rows[0], "Timeslice,Metric,Unit,Stat,Value");
    assert(
      rows.includes(
        `0,Time to First Token,ms,avg,${slices[0]!.time_to_first_token!.avg.toFixed(2)}`,
      ),
    );
    assert(rows.slice(1).every((r) => /^\d+,[^,]+,[^,]*,[a-z0-9]+,-?\d+\.\d\d$/.test(r)), rows[1]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
