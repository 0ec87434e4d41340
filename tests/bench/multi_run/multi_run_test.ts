// Repeated runs (AIPerf's --num-profile-runs): the layout of the exports, the aggregate's
// figures against the per-run files, the same workload in every run, and the flags' errors.
import { assert, assertBetween, assertEquals } from "../_assert.ts";
import { runMain, serveLoopback } from "../_helpers.ts";
import { reportMain } from "../../../src/bench/report_main.ts";
import { aggregateRuns } from "../../../src/bench/multi_run/aggregate_runs.ts";
import { aggregateCsv } from "../../../src/bench/multi_run/aggregate_files.ts";
import { studentTQuantile } from "../../../src/bench/metrics/student_t.ts";

function assertAlmostEquals(actual: number, expected: number, tolerance: number): void {
  assertBetween(actual, expected - tolerance, expected + tolerance, `about ${expected}`);
}

Deno.test("student t quantile: scipy.stats.t.ppf's values", () => {
  // scipy 1.11: t.ppf(0.975, [1, 2, 4, 9, 29]) and t.ppf(0.995, 4), t.ppf(0.95, 30).
  for (
    const [p, df, want] of [
      [0.975, 1, 12.706204736174698],
      [0.975, 2, 4.302652729749464],
      [0.975, 4, 2.7764451051977987],
      [0.975, 9, 2.2621571627409915],
      [0.975, 29, 2.045229642132703],
      [0.995, 4, 4.604094871415897],
      [0.95, 30, 1.6972608865939587],
    ] as const
  ) {
    assertAlmostEquals(studentTQuantile(p, df), want, 1e-8);
  }
  assertAlmostEquals(studentTQuantile(0.025, 4), -2.7764451051977987, 1e-8);
});

Deno.test("aggregateRuns: AIPerf's confidence statistics over runs, failed runs named", () => {
  const run = (label: string, p99: number) => ({
    label,
    metrics: { time_to_first_token: { unit: "ms", avg: 10, p99 } },
  });
  // AIPerf's documented example: TTFT p99 of 150, 152, 148, 155, 151 ms.
  const data = aggregateRuns([
    run("run_0001", 150),
    run("run_0002", 152),
    { label: "run_0003", error: "Connection timeout" },
    run("run_0004", 148),
    run("run_0005", 155),
    run("run_0006", 151),
  ], 0.95);
  const m = data.metrics.time_to_first_token_p99!;
  assertAlmostEquals(m.mean, 151.2, 1e-9);
  assertAlmostEquals(m.std, 2.588435821108957, 1e-9);
  assertAlmostEquals(m.se, 2.588435821108957 / Math.sqrt(5), 1e-9);
  assertAlmostEquals(m.t_critical!, 2.7764451051977987, 1e-8);
  assertAlmostEquals(m.ci_low, 151.2 - 2.7764451051977987 * m.se, 1e-8);
  assertEquals([m.min, m.max, m.unit], [148, 155, "ms"]);
  assertEquals(data.metadata.num_profile_runs, 6);
  assertEquals(data.metadata.num_successful_runs, 5);
  assertEquals(data.metadata.failed_runs, [{ label: "run_0003", error: "Connection timeout" }]);
  // The same value in every run: no spread, a zero-width interval.
  assertEquals(data.metrics.time_to_first_token_avg!.ci_high, 10);
  const csv = aggregateCsv(data).split("\n");
  assertEquals(csv[0], "metric,mean,std,min,max,cv,se,ci_low,ci_high,t_critical,unit");
  assert(
    csv.includes(
      "time_to_first_token_p99,151.20,2.59,148.00,155.00,0.0171,1.1576," +
        "147.99,154.41,2.7764,ms",
    ),
    csv.join("\n"),
  );
  assert(csv.includes("Successful Runs,5"));
  // One successful run: its values, no interval (AIPerf's single-run mode).
  const one = aggregateRuns([run("run_0001", 150), { label: "run_0002", error: "x" }], 0.95);
  assertEquals(one.metadata.single_run, true);
  assertEquals(one.metrics.time_to_first_token_p99!.t_critical, null);
});

// A server that keeps what each request asked for: its messages and max_tokens.
function recordingServer() {
  const asked: string[] = [];
  const server = serveLoopback(async (request) => {
    if (request.method !== "POST") return new Response("{}", { status: 404 });
    const body = await request.json();
    asked.push(JSON.stringify([body.messages, body.max_tokens]));
    return Response.json({
      id: "x",
      object: "chat.completion",
      model: "m",
      choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
    });
  });
  return { ...server, asked };
}

Deno.test("--num-profile-runs 3: per-run exports, AIPerf's aggregate files, one workload", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-multi-run-" });
  const server = recordingServer();
  try {
    const { status, stdout, stderr } = await runMain([
      "--url",
      server.url,
      "--no-streaming",
      "--no-preflight",
      "--num-profile-runs",
      "3",
      "--request-count",
      "12",
      "--warmup-request-count",
      "2",
      "--output-tokens-mean",
      "7",
      "--request-rate",
      "200",
      "--arrival-pattern",
      "poisson",
      "--output",
      dir,
      "--no-progress",
    ]);
    assertEquals(status, 0, stderr);
    assertEquals(stderr.match(/^run_000\d \(\d of 3\): /gm)?.length, 3, stderr);
    assert(stdout.includes("Over 3 of 3 runs"), stdout);
    // The server saw the warmup (2), then three times the same 12 requests: the same prompts
    // and max_tokens (--random-seed 42 unless one is given).
    assertEquals(server.asked.length, 2 + 3 * 12);
    const run = (i: number) => server.asked.slice(2 + 12 * i, 2 + 12 * (i + 1)).sort();
    assertEquals(run(1), run(0));
    assertEquals(run(2), run(0));
    assert(run(0)[0]!.endsWith(",7]"), run(0)[0]);
    assertEquals(new Set(run(0)).size, 12);
    const read = async (path: string) => JSON.parse(await Deno.readTextFile(`${dir}/${path}`));
    const runs = [];
    for (const label of ["run_0001", "run_0002", "run_0003"]) {
      runs.push({
        aiperf: await read(`profile_runs/${label}/profile_export_aiperf.json`),
        ours: await read(`profile_runs/${label}/profile_export.json`),
      });
    }
    // The warmup before the first run only (AIPerf's default).
    assertEquals(runs[0]!.ours.phases.warmup.request_count, 2);
    assertEquals(runs[1]!.ours.phases.warmup, undefined);
    const aggregate = await read("aggregate/profile_export_aiperf_aggregate.json");
    assertEquals(aggregate.metadata.aggregation_type, "confidence");
    assertEquals(aggregate.metadata.run_labels, ["run_0001", "run_0002", "run_0003"]);
    assertEquals(aggregate.metadata.confidence_level, 0.95);
    // Each figure is the statistic over the three runs' own files.
    const values = runs.map((r) => r.aiperf.request_latency.p99 as number);
    const mean = values.reduce((a, b) => a + b, 0) / 3;
    const m = aggregate.metrics.request_latency_p99;
    assertAlmostEquals(m.mean, mean, 1e-9);
    assertEquals([m.min, m.max], [Math.min(...values), Math.max(...values)]);
    assertAlmostEquals(m.t_critical, 4.302652729749464, 1e-8);
    assert(m.ci_low <= mean && mean <= m.ci_high);
    const csv = await Deno.readTextFile(`${dir}/aggregate/profile_export_aiperf_aggregate.csv`);
    assert(csv.startsWith("metric,mean,std,min,max,cv,se,ci_low,ci_high,t_critical,unit\n"));
    assert(csv.includes("\nrequest_latency_p99,"));
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--num-profile-runs: warmup before each run on request; clear errors", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-multi-run-" });
  try {
    const { status, stderr } = await runMain([
      "--num-profile-runs",
      "2",
      "--no-profile-run-disable-warmup-after-first",
      "--request-count",
      "4",
      "--warmup-request-count",
      "1",
      "--output",
      dir,
      "--no-progress",
    ]);
    assertEquals(status, 0, stderr);
    const second = JSON.parse(
      await Deno.readTextFile(`${dir}/profile_runs/run_0002/profile_export.json`),
    );
    assertEquals(second.phases.warmup.request_count, 1);
    // --rerun of the folder runs them all again.
    const again = await runMain(["--rerun", dir, "--output", `${dir}/again`, "--no-progress"]);
    assertEquals(again.status, 0, again.stderr);
    assert(again.stderr.includes("--num-profile-runs 2"), again.stderr);
    await Deno.stat(`${dir}/again/profile_runs/run_0002/profile_export.json`);
    await Deno.stat(`${dir}/again/aggregate/profile_export_aiperf_aggregate.json`);
    // bench:report rebuilds each run's reports; a comparison names the runs to pick from.
    const report = async (args: string[]) => {
      let out = "";
      const status = await reportMain(args, {
        stdout: (t) => void (out += t),
        stderr: (t) => void (out += t),
      });
      return { status, out };
    };
    const rebuilt = await report([dir]);
    assertEquals(rebuilt.status, 0, rebuilt.out);
    assert(rebuilt.out.includes("run_0002/report.html"), rebuilt.out);
    const compared = await report([dir, `${dir}/again`, "--output", `${dir}/c.html`]);
    assertEquals(compared.status, 1);
    assert(compared.out.includes("a folder of repeated runs"), compared.out);
    assert(compared.out.includes("profile_runs/run_0002"), compared.out);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const sweep = await runMain(["--num-profile-runs", "2", "--concurrency", "1,2"]);
  assertEquals(sweep.status, 2);
  assert(
    sweep.stderr.includes("Invalid flag --num-profile-runs: cannot be combined with a sweep"),
    sweep.stderr,
  );
  const level = await runMain(["--confidence-level", "1"]);
  assertEquals(level.status, 2);
  assert(
    level.stderr.includes("Invalid flag --confidence-level: expected a level above 0"),
    level.stderr,
  );
  const zero = await runMain(["--num-profile-runs", "0"]);
  assertEquals(zero.status, 2);
  assert(zero.stderr.includes("--num-profile-runs"), zero.stderr);
});
