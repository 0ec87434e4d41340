// One result: `bench:report --merge DIR` rebuilds every metric from the shards' raw records,
// names a missing or cut-short shard, and puts every shard on one time line.
import { assert, assertEquals } from "../_assert.ts";
import { computeStatistics } from "../../../src/bench/metrics/compute_statistics.ts";
import { summarizePhase } from "../../../src/bench/metrics/summarize_phase.ts";
import { timeWindows } from "../../../src/bench/metrics/time_windows.ts";
import { reportMain } from "../../../src/bench/report_main.ts";
import type { RequestRecord } from "../../../src/bench/types.ts";

function record(start: number, ttft: number, itl: number, error?: string) {
  return {
    phase: "profiling",
    index: 0,
    start_ms: start,
    end_ms: start + 100,
    conversation_index: 0,
    turn_index: 0,
    chunks_ms: [],
    tokens: { output: 10, reasoning: 0, input: 5, output_source: "usage" },
    metrics: error ? {} : {
      time_to_first_token: { value: ttft, unit: "ms" },
      inter_token_latency: { value: itl, unit: "ms" },
      inter_chunk_latency: { value: [itl, itl + 1], unit: "ms" },
    },
    ...(error ? { error, error_kind: "http", status: 500 } : {}),
  };
}

async function shardDir(
  dir: string,
  index: number,
  count: number,
  records: readonly object[],
  clock: { start: number; offset: number },
  tail = "",
  extra: Record<string, unknown> = {},
) {
  const path = `${dir}/shard-${index}`;
  await Deno.mkdir(path, { recursive: true });
  await Deno.writeTextFile(
    `${path}/shard.json`,
    JSON.stringify({
      index,
      count,
      from: "test",
      settings_hash: "h",
      clock_offset_ms: clock.offset,
      clock_rtt_ms: 0.2,
      profiling_start_ms: clock.start,
      status: 0,
      ...extra,
      client_lateness: {
        event_loop_delay_ms: { p50: index, p90: index + 1, p99: index + 2, max: index + 3 },
        send_delay_ms: { p50: 0, p90: 0, p99: 0, max: 0 },
      },
    }),
  );
  await Deno.writeTextFile(
    `${path}/records.jsonl`,
    records.map((r) => JSON.stringify(r) + "\n").join("") + tail,
  );
}

async function report(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const status = await reportMain(argv, { stdout: (t) => stdout += t, stderr: (t) => stderr += t });
  return { status, stdout, stderr };
}

Deno.test("merge: percentiles from all records (never averaged), one clock-corrected time line", async () => {
  const dir = await Deno.makeTempDir();
  // Shard 0: fast requests; shard 1: slow ones, its clock 250 ms behind shard 0's.
  const fast = Array.from({ length: 90 }, (_, i) => record(i * 10, 10 + (i % 9), 2));
  const slow = Array.from({ length: 10 }, (_, i) => record(i * 10, 200 + i, 5));
  // Goodput: TTFT at most 15 ms; the SLOs travel in shard.json.
  const goodput = { goodput: [{ metric: "time_to_first_token", limit: 15, atLeast: false }] };
  await shardDir(dir, 0, 2, fast, { start: 1_000_000, offset: 0 }, "", goodput);
  await shardDir(dir, 1, 2, [...slow, record(5, 0, 0, "HTTP 500")], {
    start: 1_000_000 - 250 + 40,
    offset: 250,
  });
  const { status, stdout, stderr } = await report(["--merge", dir]);
  assertEquals(status, 0, stderr);
  assert(stdout.includes("2 shards merged") && stdout.includes("Clock offset"), stdout);
  const merged = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
  const all = [...fast, ...slow].map((r) => r.metrics.time_to_first_token!.value);
  const truth = computeStatistics(all, "ms")!;
  for (const p of ["p50", "p90", "p99", "avg", "max", "min"] as const) {
    assertEquals(merged.metrics.time_to_first_token[p], truth[p], p);
  }
  // The average of the shards' p99s would be far off.
  assert(Math.abs(merged.metrics.time_to_first_token.p99 - truth.p99!) < 1e-9);
  assertEquals(merged.metrics.inter_chunk_latency.count, 200);
  assertEquals(merged.metrics.request_count.avg, 100);
  assertEquals(merged.metrics.error_request_count.avg, 1);
  assertEquals(merged.metrics.good_request_count.avg, 60); // 10 + (i % 9) <= 15: 6 in 9 of 90
  assertEquals(merged.metrics.goodput.avg, 60 / merged.metrics.benchmark_duration.avg);
  assertEquals(merged.error_summary[0].count, 1);
  // Shard 1 started 40 ms after shard 0 on shard 0's clock: its records are moved by 40 ms.
  assertEquals(merged.shards.map((s: { start_offset_ms: number }) => s.start_offset_ms), [0, 40]);
  assertEquals(merged.shards[1].clock_offset_ms, 250);
  assertEquals(merged.shards[1].client_lateness.event_loop_delay_ms.p90, 2);
  const lines = (await Deno.readTextFile(`${dir}/records.jsonl`)).trim().split("\n").map((l) =>
    JSON.parse(l)
  );
  assertEquals(lines.length, 101);
  const firstOfShard1 = lines.find((l) => l.shard === 1)!;
  assertEquals([firstOfShard1.start_ms, firstOfShard1.end_ms], [40, 140]);
  // Duration: the last completion on the common time line (shard 0's: 890 + 100 ms).
  assertEquals(merged.metrics.benchmark_duration.avg, 0.99);
  const html = await Deno.readTextFile(`${dir}/report.html`);
  assert(html.includes("<h2>Shards</h2>") && html.includes("250 ± 0.1"), "report.html shards");
  const csv = await Deno.readTextFile(`${dir}/shards.csv`);
  assert(csv.startsWith("shard,request_count") && csv.includes("\n1,10,1,40.000,250.000"), csv);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("merge: a missing shard and a cut-short one are named; what they wrote is kept", async () => {
  const dir = await Deno.makeTempDir();
  const clock = { start: 5000, offset: 0 };
  await shardDir(dir, 0, 3, [record(0, 10, 1)], clock);
  // Shard 2 (of 3) stopped mid-line; shard 1 never wrote anything.
  await shardDir(dir, 2, 3, [record(0, 30, 1), record(5, 31, 1)], clock, '{"phase":"profi');
  const { status, stderr } = await report(["--merge", dir]);
  assertEquals(status, 1);
  assert(stderr.includes("shard 1 of 3 is missing"), stderr);
  assert(stderr.includes("is cut short at line 3"), stderr);
  assert(stderr.includes("its 2 complete records are merged"), stderr);
  const merged = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
  assertEquals(merged.metrics.request_count.avg, 3);
  assert(merged.failures.some((f: string) => f.includes("shard 1 of 3 is missing")));
  const empty = await Deno.makeTempDir();
  const none = await report(["--merge", empty]);
  assertEquals(none.status, 1);
  assert(none.stderr.includes("no shard-I directory"), none.stderr);
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(empty, { recursive: true });
});

Deno.test("merge: the same metrics as one run of all the records (totals, per turn, failed ISL)", async () => {
  const dir = await Deno.makeTempDir();
  const turn = (r: ReturnType<typeof record>, turnIndex: number, isl: number) => ({
    ...r,
    turn_index: turnIndex,
    tokens: { ...r.tokens, input: isl },
    metrics: { ...r.metrics, input_sequence_length: { value: isl, unit: "tokens" } },
  });
  // Shard 0 has first turns before a second turn; shard 1 a failed request that knows its ISL.
  const zero = [turn(record(0, 10, 1), 0, 5), turn(record(10, 12, 1), 0, 7)];
  zero.push(turn(record(20, 14, 1), 1, 9));
  const failed = {
    ...record(5, 0, 0, "HTTP 500"),
    metrics: { error_isl: { value: 11, unit: "tokens" } },
  };
  const one = [turn(record(0, 30, 2), 0, 6), failed];
  await shardDir(dir, 0, 2, zero, { start: 1000, offset: 0 });
  await shardDir(dir, 1, 2, one, { start: 1000, offset: 0 });
  const { status, stderr } = await report(["--merge", dir]);
  assertEquals(status, 0, stderr);
  const merged = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
  const profiling = merged.phases.profiling;
  const single = summarizePhase([...zero, ...one] as unknown as RequestRecord[], {
    phase: "profiling",
    startedAt: "",
    durationMs: profiling.duration_ms,
    cancelledCount: 0,
    interrupted: false,
  });
  assertEquals(merged.metrics, JSON.parse(JSON.stringify(single.metrics)));
  assertEquals(profiling.metrics_by_turn, JSON.parse(JSON.stringify(single.metrics_by_turn)));
  assertEquals(merged.metrics.total_osl.avg, 40);
  assertEquals(merged.metrics.total_isl.avg, 27);
  assertEquals(merged.metrics.total_error_isl.avg, 11);
  assertEquals(profiling.metrics_by_turn["0"].time_to_first_token.count, 3);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("merge: the steady state and slices of the whole run, on the common time line", async () => {
  const dir = await Deno.makeTempDir();
  const zero = Array.from({ length: 10 }, (_, i) => record(i * 100, 10 + i, 1));
  const one = Array.from({ length: 10 }, (_, i) => record(i * 100, 20 + i, 1));
  await shardDir(dir, 0, 2, zero, { start: 5000, offset: 0 });
  // Shard 1 started 40 ms after shard 0 (on shard 0's clock).
  await shardDir(dir, 1, 2, one, { start: 5040 - 7, offset: 7 });
  // The slice duration travels in the shards' exports (--slice-duration 0.25).
  await Deno.writeTextFile(
    `${dir}/shard-0/profile_export.json`,
    JSON.stringify({ time_slices: { slice_ms: 250, slices: [] } }),
  );
  const { status, stderr } = await report(["--merge", dir]);
  assertEquals(status, 0, stderr);
  const merged = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
  const common = [
    ...zero,
    ...one.map((r) => ({ ...r, start_ms: r.start_ms + 40, end_ms: r.end_ms + 40 })),
  ];
  const truth = timeWindows(() => common as unknown as RequestRecord[], 250);
  assertEquals(merged.steady_state, JSON.parse(JSON.stringify(truth.steady_state)));
  assertEquals(merged.time_slices, JSON.parse(JSON.stringify(truth.time_slices)));
  // Ramp-up and drain left out: from the first completion (100 ms) to the last start (940 ms).
  assertEquals([merged.steady_state.start_ms, merged.steady_state.end_ms], [100, 940]);
  assertEquals(merged.time_slices.slices.length, 4);
  assert((await Deno.readTextFile(`${dir}/report.html`)).includes("Steady state"));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("merge: a line that is JSON but not a request record is named and skipped", async () => {
  const dir = await Deno.makeTempDir();
  const clock = { start: 5000, offset: 0 };
  await shardDir(dir, 0, 1, [record(0, 10, 1), [1, 2], { phase: "profiling", start_ms: 3 }], clock);
  const { status, stderr } = await report(["--merge", dir]);
  assertEquals(status, 1);
  assert(stderr.includes("line 2 is not a request record (not an object); skipped"), stderr);
  assert(stderr.includes('line 3 is not a request record (no number "end_ms"); skipped'), stderr);
  const merged = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
  assertEquals(merged.metrics.request_count.avg, 1);
  await Deno.remove(dir, { recursive: true });
});
