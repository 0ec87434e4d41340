// Issue 21's rough edges, each as a new user met it: captions of a run where every request
// failed, labelled sweep points and a visible Pareto front, std in non-terminal output, the
// dataset type of --input-file alone, did-you-mean for --goodput, a sweep folder given to
// compare, and one time origin in records.
import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { runMain, tempTree } from "./_helpers.ts";
import { ConsoleExporter } from "../../src/bench/exporters/console_exporter.ts";
import { resolveSettings } from "../../src/bench/config/resolve_settings.ts";
import { parseGoodput } from "../../src/bench/metrics/parse_goodput.ts";
import { runCharts } from "../../src/bench/report/run_report_html.ts";
import { toRunView } from "../../src/bench/report/run_view.ts";
import { reportMain } from "../../src/bench/report_main.ts";
import { sweepReportHtml } from "../../src/bench/sweep/sweep_report_html.ts";
import type { ChartSpec } from "../../src/bench/report/_html.ts";

Deno.test("rough edges: a streamed run where every request failed says so, not 'streaming only'", () => {
  const run = toRunView({ benchmark: { streaming: true }, metrics: {} }, [
    { phase: "profiling", start_ms: 1, end_ms: 3, error: "HTTP 500", status: 500 },
  ]);
  const notes = runCharts(run).filter((c) => c.id.startsWith("chart-") && c.title.includes("dist"))
    .map((c) => c.note ?? "");
  assertEquals(notes.length, 3);
  for (const note of notes) {
    assert(!note.includes("streaming only"), note);
    assert(note.includes("No request succeeded"), note);
  }
  // A non-streamed run that succeeded still says why TTFT is missing.
  const plain = toRunView({ benchmark: { streaming: false }, metrics: {} }, [
    { phase: "profiling", start_ms: 1, end_ms: 3, request_latency_ms: 2 },
  ]);
  const ttft = runCharts(plain).find((c) => c.id === "chart-ttft")!;
  assert(ttft.note?.includes("streaming only"), ttft.note);
});

function chartsOf(html: string): ChartSpec[] {
  const json = html.match(/<script type="application\/json" id="plugmap-charts">(.*?)<\/script>/s);
  assert(json !== null, "no chart data in the page");
  return JSON.parse(json![1]!);
}

Deno.test("rough edges: sweep points carry their value as a label; the Pareto front is wider and joined", () => {
  const point = (value: number, tps: number, p99: number) => ({
    value,
    ok: 10,
    errors: 0,
    duration_ms: 100,
    metrics: {
      output_token_throughput: { unit: "tokens/sec", avg: tps },
      time_to_first_token: { unit: "ms", avg: p99 / 2, p50: p99 / 2, p90: p99 * 0.9, p99 },
    },
  });
  // 1 and 4 are on the front; 2 is not (less throughput than 1 at a higher p99): in throughput
  // order the front's points are not neighbours, so its line must join across the gap.
  const html = sweepReportHtml({
    field: "concurrency",
    values: [1, 2, 4],
    benchmark: {},
    points: [point(1, 100, 20), point(2, 90, 30), point(4, 170, 60)],
  });
  const chart = chartsOf(html).find((c) => c.id === "sweep-ttft")!;
  const labels = chart.pointLabels?.text ?? [];
  assertEquals([...labels].sort(), ["concurrency 1", "concurrency 2", "concurrency 4"]);
  const front = chart.series.find((s) => s.label.startsWith("Pareto"))!;
  const p99 = chart.series.find((s) => s.label.endsWith("p99"))!;
  assert((front.width ?? 2) > (p99.width ?? 2), `front ${front.width}, p99 ${p99.width}`);
  assertEquals(front.spanGaps, true);
  // Drawn last, so on top of the p99 line it runs along.
  assertEquals(chart.series.at(-1), front);
});

Deno.test("rough edges: the console keeps std when standard output is not a terminal", () => {
  if (Deno.stdout.isTerminal()) return; // a terminal's width applies; CI and `deno task ok` pipe
  let out = "";
  const long = { unit: "ms", avg: 1234.5678, min: 1, max: 99999.99, p50: 1000.5, p90: 5000.25 };
  new ConsoleExporter({}, { write: (t) => out += t }).export({
    benchmark: {
      endpoint: "openai_chat",
      url: "http://127.0.0.1:1/v1/chat/completions",
      streaming: true,
      timing_strategy: "fixed_concurrency",
      dataset: "synthetic",
      dataset_sampler: "sequential",
      phase_hooks: [],
      started_at: "",
      workers: 1,
    },
    phases: {},
    metrics: {
      time_to_first_output_token: { ...long, p99: 90000.75, std: 777.77 },
      output_token_throughput_per_user: { ...long, unit: "tokens/sec/user", p99: 9, std: 7 },
      request_latency: { ...long, p99: 90000.75, std: 777.77 },
    },
    error_summary: [],
    token_counting: { output_sources: {} },
    warnings: [],
    records: [],
    interrupted: false,
    hook_failures: [],
    failures: [],
  });
  const header = out.split("\n").find((l) => l.includes("┃") && l.includes("Metric"))!;
  assert(header.includes("std") && header.includes("min"), out);
  assert(out.includes("777.77"), out);
});

Deno.test("rough edges: --input-file alone reads a multi-turn or single-turn file as such", async () => {
  const dir = await tempTree({
    "chat.jsonl": '{"session_id": "a", "turns": [{"text": "hi"}, {"text": "and?"}]}\n',
    "prompts.jsonl": '{"text": "hello"}\n{"text": "again"}\n',
    "trace.jsonl": '{"timestamp": 0, "input_length": 10, "output_length": 2}\n',
  });
  try {
    const type = (file: string) => resolveSettings({ inputFile: `${dir}/${file}` }).dataset.name;
    assertEquals(type("chat.jsonl"), "multi_turn");
    assertEquals(type("prompts.jsonl"), "single_turn");
    assertEquals(type("trace.jsonl"), "mooncake_trace");
    // An explicit type still wins.
    assertEquals(
      resolveSettings({ inputFile: `${dir}/prompts.jsonl`, customDatasetType: "random_pool" })
        .dataset.name,
      "random_pool",
    );
    const { status, stderr } = await runMain([
      "--input-file",
      `${dir}/chat.jsonl`,
      "--warmup-request-count",
      "0",
      "--no-progress",
    ]);
    assertEquals(status, 0, stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rough edges: --goodput ttft:100 suggests time_to_first_token", async () => {
  const error = assertThrows(() => parseGoodput("ttft:100"));
  assert(error.message.includes('did you mean "time_to_first_token"'), error.message);
  const typo = assertThrows(() => parseGoodput("inter_token_latancy:5"));
  assert(typo.message.includes('did you mean "inter_token_latency"'), typo.message);
  const { status, stderr } = await runMain(["--goodput", "itl:20"]);
  assertEquals(status, 2);
  assert(stderr.includes('did you mean "inter_token_latency"'), stderr);
});

Deno.test("rough edges: compare given a sweep's folder names the runs inside it", async () => {
  const dir = await tempTree({
    "sweep/sweep.json": JSON.stringify({
      field: "concurrency",
      values: [1, 2],
      points: [{ value: 1, dir: "concurrency_1" }, { value: 2, dir: "concurrency_2" }],
      benchmark: {},
    }),
    "run/profile_export.json": '{"metrics": {}}',
  });
  try {
    let err = "";
    const status = await reportMain([`${dir}/run`, `${dir}/sweep`, "--output", `${dir}/c.html`], {
      stdout: () => {},
      stderr: (t) => err += t,
    });
    assertEquals(status, 1);
    assert(err.includes("a sweep's folder") && err.includes("concurrency_2"), err);
    assert(!err.includes("no such file"), err);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rough edges: start_ms and end_ms in records.jsonl count from one origin", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-origin-" });
  try {
    const { status, stderr } = await runMain([
      "--request-count",
      "8",
      "--concurrency",
      "1",
      "--warmup-request-count",
      "0",
      "--output",
      dir,
      "--no-progress",
    ]);
    assertEquals(status, 0, stderr);
    const records = (await Deno.readTextFile(`${dir}/records.jsonl`)).trim().split("\n")
      .map((l) => JSON.parse(l));
    // Sequential requests: later ones start well after the phase start.
    const late = records.filter((r) => r.start_ms > 5);
    assert(late.length > 0);
    for (const r of records) {
      // request_latency (AIPerf's) ends at the last content chunk; end_ms at the stream's end,
      // just after it, on the same origin.
      const latency = r.metrics.request_latency.value;
      assertEquals(latency, r.chunks_ms.at(-1));
      const wall = r.end_ms - r.start_ms;
      assert(
        wall >= latency - 0.01 && wall < latency + r.metrics.time_to_first_token.value,
        JSON.stringify(r),
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
