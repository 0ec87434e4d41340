// The server's side of a run against a Prometheus server written apart from ours
// (servers/prom_server.ts, prom-client's exposition): what the collector exports equals what
// that server served, read from prom-client's own JSON, through counters, gauges, labelled
// histograms, a counter reset and malformed lines; bad endpoints are gaps and warnings.
import { assert, assertBetween, assertEquals, assertThrows } from "../_assert.ts";
import { runMain } from "../_helpers.ts";
import { ServerMetricsCollector } from "../../../src/bench/server_metrics/server_metrics_collector.ts";
import { serverMetricsCsv } from "../../../src/bench/server_metrics/server_metrics_csv.ts";
import { serverMetricsJson } from "../../../src/bench/server_metrics/server_metrics_json.ts";
import { parseBenchArgs } from "../../../src/bench/config/parse_bench_args.ts";
import { expandListFlags } from "../../../src/bench/server_metrics/expand_list_flags.ts";
import { serverMetricsArgs } from "../../../src/bench/server_metrics/server_metrics_args.ts";
import type { PhaseServerMetrics } from "../../../src/bench/server_metrics/types.ts";
import { highlightStats } from "../../../src/bench/server_metrics/_highlight_stats.ts";
import { estimate } from "../../../src/bench/server_metrics/_series_stats.ts";

const SCRIPT = new URL("../servers/prom_server.ts", import.meta.url).pathname;

interface Served {
  name: string;
  type: string;
  values: { value: number; labels: Record<string, string | number>; metricName?: string }[];
}

async function withPromServer<T>(
  options: Record<string, unknown>,
  fn: (url: string) => Promise<T>,
): Promise<T> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SCRIPT, JSON.stringify(options)],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the Prometheus test server did not start");
    text += value;
  }
  try {
    return await fn(`http://127.0.0.1:${text.trim()}`);
  } finally {
    child.kill("SIGKILL");
    await child.status;
    await reader.cancel().catch(() => {});
  }
}

// Scrapes `count` times, one after another, and summarizes all of it.
async function collect(url: string, count: number): Promise<{
  phase: PhaseServerMetrics;
  warnings: readonly string[];
  served: Served[][];
}> {
  const collector = new ServerMetricsCollector({
    endpoints: [{ url: `${url}/metrics`, kind: "server", auto: false }],
    intervalMs: 3_600_000,
  });
  collector.start(); // scrape 1
  for (let i = 0; i < count; i++) await collector.scrapeNow();
  await collector.stop();
  const phase = collector.summarize(0, Date.now());
  const served = await (await fetch(`${url}/served`)).json() as Served[][];
  return { phase, warnings: collector.warnings, served };
}

function value(snapshot: Served[], metric: string, labels: Record<string, string>): number {
  const family = snapshot.find((f) => f.name === metric)!;
  const entry = family.values.find((v) =>
    (v.metricName ?? metric) === (labels.__name ?? metric) &&
    Object.entries(labels).every(([k, want]) => k === "__name" || String(v.labels[k]) === want)
  );
  return entry?.value ?? 0;
}

// Increase over the snapshots as Prometheus's increase(): after a drop, the new value counts.
function increase(values: number[]): number {
  let total = 0;
  for (let i = 1; i < values.length; i++) {
    const d = values[i]! - values[i - 1]!;
    total += d >= 0 ? d : values[i]!;
  }
  return total;
}

function seriesOf(phase: PhaseServerMetrics, metric: string, model: string) {
  const series = phase.metrics[metric]?.series.find((s) => s.labels?.model_name === model);
  assert(series !== undefined, `${metric}{model_name=${model}} was not exported`);
  return series;
}

for (const openmetrics of [false, true]) {
  Deno.test(
    `server metrics: exported values equal what an independent server served (${
      openmetrics ? "OpenMetrics" : "Prometheus text"
    }, a counter reset, malformed lines)`,
    async () => {
      await withPromServer({ openmetrics, reset_at: 5, malformed: true }, async (url) => {
        const { phase, warnings, served } = await collect(url, 8);
        assertEquals(served.length, 8);
        // Counters: the increase over the scrapes, the reset at scrape 5 counted, not negative.
        for (const model of ["a", "b"]) {
          const values = served.map((s) => value(s, "tokens", { model_name: model }));
          assert(values[4]! < values[3]!, "the server's counter went down at the reset");
          const stats = seriesOf(phase, "tokens", model).stats;
          assertEquals(stats.total, increase(values));
          assert(stats.total! > 0 && stats.rate! > 0);
        }
        assertEquals(phase.metrics.tokens?.type, "counter");
        assertEquals(phase.summary.endpoint_info[`${url}/metrics`]?.counter_resets, 4);
        // Gauges: every served value is a sample.
        for (const model of ["a", "b"]) {
          const values = served.map((s) => value(s, "running", { model_name: model }));
          const stats = seriesOf(phase, "running", model).stats;
          assertEquals(stats.min, Math.min(...values));
          assertEquals(stats.max, Math.max(...values));
          const avg = values.reduce((a, b) => a + b, 0) / values.length;
          assertBetween(stats.avg!, avg - 1e-9, avg + 1e-9, "avg");
        }
        // Histograms, per label set: count, sum and bucket deltas, across the reset.
        for (const model of ["a", "b"]) {
          const at = (name: string, le?: string) =>
            served.map((s) =>
              value(s, "ttft_seconds", {
                __name: `ttft_seconds${name}`,
                model_name: model,
                ...(le === undefined ? {} : { le }),
              })
            );
          const series = seriesOf(phase, "ttft_seconds", model);
          assertEquals(series.stats.count, increase(at("_count")));
          const sum = increase(at("_sum"));
          assertBetween(series.stats.sum!, sum - 1e-9, sum + 1e-9, "sum");
          for (const le of ["0.01", "0.05", "0.1", "0.5", "1"]) {
            assertEquals(series.buckets?.[le], increase(at("_bucket", le)), `le=${le}`);
          }
          assertEquals(series.buckets?.["+Inf"], increase(at("_count")));
        }
        // Model b observed 0.2 s only: every estimate is inside its bucket (0.1, 0.5].
        const b = seriesOf(phase, "ttft_seconds", "b").stats;
        assert(b.p50_estimate! > 0.1 && b.p99_estimate! <= 0.5);
        assertBetween(b.avg!, 0.2 - 1e-9, 0.2 + 1e-9, "avg of b");
        // Over every label set (the console's and report's headline figures): counters summed,
        // histogram buckets merged bound by bound.
        const a = seriesOf(phase, "ttft_seconds", "a");
        const merged = highlightStats(phase.metrics.ttft_seconds!);
        assertEquals(
          merged.count,
          a.stats.count! + seriesOf(phase, "ttft_seconds", "b").stats.count!,
        );
        const byBound = (le: string) =>
          phase.metrics.ttft_seconds!.series.reduce((n, s) => n + s.buckets![le]!, 0);
        const bounds = [0.01, 0.05, 0.1, 0.5, 1];
        const p50 = estimate(
          [...bounds, Infinity],
          [...bounds.map(String), "+Inf"].map(byBound),
          0.5,
        );
        assertEquals(merged.p50_estimate, p50);
        assertEquals(
          highlightStats(phase.metrics.tokens!).total,
          seriesOf(phase, "tokens", "a").stats.total! + seriesOf(phase, "tokens", "b").stats.total!,
        );
        // The malformed lines are skipped, named once, and the rest of the page is kept.
        assert(warnings.some((w) => w.includes("malformed line")), warnings.join("\n"));
        assertEquals(phase.summary.endpoint_info[`${url}/metrics`]?.failed_fetches, 0);

        // The exports carry the same figures.
        const result = {
          phases: { profiling: { server_metrics: phase } },
          benchmark: { url, timing_strategy: "t", streaming: true },
        } as never;
        const json = serverMetricsJson(result)!;
        assertEquals(json.metrics, phase.metrics);
        const csv = serverMetricsCsv(result)!;
        const total = seriesOf(phase, "tokens", "a").stats.total;
        const host = new URL(url).host;
        assert(csv.includes(`${host},counter,tokens,,${total},`), csv);
        assert(csv.includes(`${host},build_info,version,1.2.3,Build`), csv);
        assert(csv.includes("\n\nEndpoint,Type,Metric,Unit,count,count_rate,sum,"), csv);
      });
    },
  );
}

Deno.test("server metrics: a slow, huge or non-Prometheus endpoint is a warning and a gap", async () => {
  for (const fault of ["slow", "huge", "json"]) {
    await withPromServer({ fault }, async (url) => {
      const collector = new ServerMetricsCollector({
        endpoints: [{ url: `${url}/metrics`, kind: "server", auto: false }],
        intervalMs: 3_600_000,
        timeoutMs: 500,
        maxBytes: 1024 * 1024,
      });
      collector.start();
      await collector.scrapeNow();
      await collector.scrapeNow();
      await collector.stop();
      const phase = collector.summarize(0, Date.now());
      const info = phase.summary.endpoint_info[`${url}/metrics`]!;
      assertEquals(Object.keys(phase.metrics).length, 0, fault);
      assert(info.failed_fetches >= 1, fault);
      const expected = { slow: "timed out", huge: "KiB cap", json: "not Prometheus" }[fault]!;
      assert(collector.warnings.some((w) => w.includes(expected)), collector.warnings.join("\n"));
    });
  }
});

Deno.test("server metrics: a run goes on when a given endpoint cannot be reached", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { status, stderr } = await runMain([
      "--request-count",
      "6",
      "--warmup-request-count",
      "0",
      "--no-progress",
      "--server-metrics",
      "127.0.0.1:1",
      "--output",
      dir,
    ]);
    assertEquals(status, 0, stderr);
    assert(stderr.includes("127.0.0.1:1/metrics: a scrape failed"), stderr);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    const server = json.phases.profiling.server_metrics;
    assert(server.warnings.some((w: string) => w.includes("127.0.0.1:1")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("server metrics: AIPerf's flags take lists and name their mistakes", () => {
  const read = (argv: string[]) => serverMetricsArgs(parseBenchArgs(expandListFlags(argv)));
  const args = read([
    "--server-metrics",
    "a:1",
    "b:2/metrics",
    "--gpu-telemetry",
    "--server-metrics-formats=json,jsonl",
    "-m",
    "x",
  ]);
  assertEquals(args.urls, ["a:1", "b:2/metrics"]);
  assertEquals(args.gpuTelemetry, []);
  assertEquals(args.formats, ["json", "jsonl"]);
  assertEquals(read(["--server-metrics", "a:1,b:2"]).urls, ["a:1", "b:2"]);
  assertEquals(read([]).formats, ["json", "csv"]);
  for (
    const [argv, message] of [
      [["--server-metrics-formats", "parquet"], "parquet is not written"],
      [["--server-metrics", "a:1", "--no-server-metrics"], "cannot be given with"],
    ] as const
  ) {
    const error = assertThrows(() => read([...argv]));
    assert(error.message.includes(message), error.message);
  }
});
