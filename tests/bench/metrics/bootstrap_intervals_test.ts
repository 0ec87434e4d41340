// Bootstrap confidence intervals of a run's statistics (profile_export.json's
// confidence_intervals): seeded, covering the truth about as often as they say, in the exports.
import { assert, assertEquals } from "../_assert.ts";
import { runMain } from "../_helpers.ts";
import { bootstrapIntervals } from "../../../src/bench/metrics/bootstrap_intervals.ts";
import { computeStatistics } from "../../../src/bench/metrics/compute_statistics.ts";
import { normal, randomSource } from "../../../src/bench/_random.ts";
import type { RequestRecord } from "../../../src/bench/types.ts";

function records(values: readonly number[]): RequestRecord[] {
  return values.map((v, index) => ({
    phase: "profiling",
    index,
    start_ms: 0,
    end_ms: v,
    conversation_index: index,
    turn_index: 0,
    chunks_ms: [],
    tokens: {
      output: 1,
      reasoning: 0,
      output_source: "usage",
      reasoning_source: "none",
      input_source: "none",
    },
    metrics: { request_latency: { value: v, unit: "ms" } },
  }));
}

const stats = (values: readonly number[]) => ({
  request_latency: computeStatistics([...values], "ms", [50, 90])!,
});

Deno.test("bootstrap intervals: seeded (same seed, same intervals), around the estimate", () => {
  const random = randomSource(3);
  const values = Array.from({ length: 300 }, () => 100 + 10 * normal(random));
  const a = bootstrapIntervals(records(values), stats(values), { level: 0.95, seed: 7 })!;
  const b = bootstrapIntervals(records(values), stats(values), { level: 0.95, seed: 7 })!;
  const c = bootstrapIntervals(records(values), stats(values), { level: 0.95, seed: 8 })!;
  assertEquals(a, b);
  assert(JSON.stringify(a.metrics) !== JSON.stringify(c.metrics));
  assertEquals([a.level, a.seed, a.resamples], [0.95, 7, 1000]);
  const estimate = stats(values).request_latency!;
  for (const stat of ["avg", "p50", "p90", "std"] as const) {
    const [low, high] = a.metrics.request_latency![stat]!;
    assert(low < estimate[stat]! && estimate[stat]! < high, `${stat}: ${low} ${high}`);
  }
  // As wide as the mean's sampling spread says: 2 x 1.96 x 10 / sqrt(300) = 2.26.
  const [low, high] = a.metrics.request_latency!.avg!;
  assert(high - low > 1.7 && high - low < 2.9, `${low} ${high}`);
  // A lower level gives a narrower interval.
  const narrow = bootstrapIntervals(records(values), stats(values), { level: 0.5, seed: 7 })!;
  const width = (x: typeof a) =>
    x.metrics.request_latency!.p50![1] - x.metrics.request_latency!.p50![0];
  assert(width(narrow) < width(a));
});

Deno.test("bootstrap intervals: cover the true mean, median and p90 about 95 % of the time", () => {
  // 100 samples of 400 requests from a normal distribution of mean 100 and sd 10: the true
  // mean and median are 100, the true p90 100 + 1.2816 * 10. A 95 % interval covers each in
  // about 95 of 100 samples (the standard deviation of that count is about 2.2).
  const truth = { avg: 100, p50: 100, p90: 100 + 1.2815516 * 10 };
  const covered = { avg: 0, p50: 0, p90: 0 };
  const random = randomSource(11);
  for (let trial = 0; trial < 100; trial++) {
    const values = Array.from({ length: 400 }, () => 100 + 10 * normal(random));
    const ci = bootstrapIntervals(records(values), stats(values), { level: 0.95, seed: trial })!;
    for (const stat of ["avg", "p50", "p90"] as const) {
      const [low, high] = ci.metrics.request_latency![stat]!;
      if (low <= truth[stat] && truth[stat] <= high) covered[stat]++;
    }
  }
  for (const stat of ["avg", "p50", "p90"] as const) {
    assert(covered[stat] >= 86 && covered[stat] <= 100, `${stat}: ${covered[stat]} of 100`);
  }
});

Deno.test("bootstrap intervals: failed requests left out; more than 50,000 requests skipped", () => {
  const values = [10, 11, 12, 13, 14];
  const failed = { ...records([1000])[0]!, error: "boom" };
  const ci = bootstrapIntervals([...records(values), failed], stats(values), {
    level: 0.95,
    seed: 0,
  })!;
  assert(ci.metrics.request_latency!.avg![1] <= 14);
  const many = Array.from({ length: 50_001 }, (_, i) => i % 100);
  const skipped = bootstrapIntervals(records(many), stats(many), { level: 0.95, seed: 0 })!;
  assertEquals(skipped.metrics, {});
  assertEquals(skipped.skipped, "more than 50,000 requests: request_latency");
});

Deno.test("profile_export.json has the intervals at --confidence-level; AIPerf's file is unchanged", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-intervals-" });
  try {
    const { status, stderr } = await runMain([
      "--request-count",
      "30",
      "--warmup-request-count",
      "0",
      "--confidence-level",
      "0.9",
      "--random-seed",
      "5",
      "--output",
      dir,
      "--no-progress",
    ]);
    assertEquals(status, 0, stderr);
    const ours = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    const ci = ours.confidence_intervals;
    assertEquals([ci.level, ci.seed, ci.resamples], [0.9, 5, 1000]);
    const [low, high] = ci.metrics.time_to_first_token.p50;
    const p50 = ours.metrics.time_to_first_token.p50;
    assert(low <= p50 && p50 <= high, `${low} ${p50} ${high}`);
    const aiperf = JSON.parse(await Deno.readTextFile(`${dir}/profile_export_aiperf.json`));
    assertEquals(aiperf.confidence_intervals, undefined);
    assertEquals(Object.keys(aiperf.time_to_first_token).includes("ci_low"), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
