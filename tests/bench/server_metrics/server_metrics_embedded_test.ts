// The embedded server tells the truth about itself: its /metrics (vLLM's names, from its real
// state) seen through a whole run, beside what the client measured of the same requests.
import { assert, assertEquals } from "../_assert.ts";
import { runMain } from "../_helpers.ts";

interface Line {
  metric: string;
  role: string;
  t_ms: number[];
  values: (number | null)[];
}

Deno.test("server metrics: the embedded server's running and waiting series agree with the client's in-flight count, its counters with the client's totals", async () => {
  const dir = await Deno.makeTempDir();
  Deno.env.set("AIPERF_SERVER_METRICS_COLLECTION_INTERVAL", "0.05");
  try {
    const { status, stdout, stderr } = await runMain([
      "--request-count",
      "60",
      "--warmup-request-count",
      "0",
      "--concurrency",
      "4",
      "--ttft-ms",
      "60",
      "--itl-ms",
      "4",
      "--output-tokens",
      "20",
      "--no-progress",
      "--output",
      dir,
    ]);
    assertEquals(status, 0, stderr);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    const records = (await Deno.readTextFile(`${dir}/records.jsonl`)).trim().split("\n")
      .map((l) => JSON.parse(l)) as {
        start_ms: number;
        end_ms: number;
        tokens: { input?: number; output: number };
      }[];
    const server = json.phases.profiling.server_metrics;
    assert(server !== undefined, "no server metrics from the embedded server");
    const line = (role: string) => server.timeline.find((l: Line) => l.role === role) as Line;
    const running = line("running");
    const waiting = line("waiting");
    assert(running.t_ms.length >= 5, `${running.t_ms.length} points`);
    // Running requests at each scrape against the client's requests in flight at that time.
    let off = 0;
    running.t_ms.forEach((t, i) => {
      const client = records.filter((r) => r.start_ms <= t && r.end_ms > t).length;
      off += Math.abs((running.values[i] ?? 0) - client);
    });
    assert(off / running.t_ms.length <= 1, `off by ${off / running.t_ms.length} on average`);
    assertEquals(Math.max(...running.values.map((v) => v ?? 0)), 4);
    assert(waiting.values.every((v) => v === 0), "the embedded server queues nothing");
    // Counters over the phase equal the client's totals of the same requests.
    // Every label set (vllm:request_success has one per finish reason).
    const total = (name: string) =>
      server.metrics[name].series.reduce(
        (a: number, s: { stats: { total: number } }) => a + s.stats.total,
        0,
      );
    assertEquals(total("vllm:prompt_tokens"), records.reduce((a, r) => a + r.tokens.input!, 0));
    assertEquals(total("vllm:generation_tokens"), records.reduce((a, r) => a + r.tokens.output, 0));
    assertEquals(total("vllm:request_success"), 60);
    // The headline figures (console, report) are over every label set too, not the first one.
    const highlight = (metric: string) =>
      server.highlights.find((h: { metric: string }) => h.metric === metric);
    assertEquals(highlight("vllm:request_success").stats.total, 60);
    assertEquals(highlight("vllm:request_success").series, 2);
    assert(
      stdout.includes("vLLM finished requests: rate") &&
        stdout.includes("(total 60; over 2 series)"),
      stdout,
    );
    assertEquals(server.metrics["vllm:time_to_first_token_seconds"].series[0].stats.count, 60);
    // The client's TTFT includes what happens before the server's clock starts.
    assert(server.ttft_comparison.gap_avg_ms > -1, JSON.stringify(server.ttft_comparison));
    assert(server.collection.scrapes > 0 && server.collection.thread === "worker");
  } finally {
    Deno.env.delete("AIPERF_SERVER_METRICS_COLLECTION_INTERVAL");
    await Deno.remove(dir, { recursive: true });
  }
});
