// One schedule, split exactly: every shard builds the whole benchmark's plan from the same
// settings and --random-seed and keeps its part; the union of the parts is the single plan.
import { assert, assertEquals, assertRejects, assertThrows } from "../_assert.ts";
import { BenchConfigError } from "../../../src/bench/config/bench_config_error.ts";
import { resolveSettings } from "../../../src/bench/config/resolve_settings.ts";
import type { Components } from "../../../src/bench/run/create_components.ts";
import { RandomSampler } from "../../../src/bench/samplers/random_sampler.ts";
import { SequentialSampler } from "../../../src/bench/samplers/sequential_sampler.ts";
import { resolveShard, type ShardIdentity } from "../../../src/bench/shard/resolve_shard.ts";
import { shardComponents } from "../../../src/bench/shard/shard_components.ts";
import { shardSettings } from "../../../src/bench/shard/shard_settings.ts";
import { shardShare } from "../../../src/bench/shard/shard_share.ts";
import { FixedConcurrency } from "../../../src/bench/timing/fixed_concurrency.ts";
import { FixedSchedule } from "../../../src/bench/timing/fixed_schedule.ts";
import { RequestRate } from "../../../src/bench/timing/request_rate.ts";
import type {
  DatasetEntry,
  DatasetSampler,
  PhaseDriver,
  TimingStrategy,
} from "../../../src/bench/types.ts";

const shards = (count: number): ShardIdentity[] =>
  Array.from({ length: count }, (_, index) => ({ index, count, from: "test" }));

Deno.test("--shard I/N and auto: Slurm, Kubernetes, and the variables named when neither", () => {
  assertEquals(resolveShard("2/5", {}), { index: 2, count: 5, from: "--shard 2/5" });
  const slurm = resolveShard("auto", { SLURM_PROCID: "1", SLURM_NTASKS: "3" });
  assertEquals([slurm.index, slurm.count], [1, 3]);
  const k8s = resolveShard("auto", { JOB_COMPLETION_INDEX: "3", BENCH_SHARD_COUNT: "4" });
  assertEquals([k8s.index, k8s.count], [3, 4]);
  const none = assertThrows(() => resolveShard("auto", { HOME: "/root" }));
  assert(none instanceof BenchConfigError);
  for (
    const name of ["SLURM_PROCID", "SLURM_NTASKS", "JOB_COMPLETION_INDEX", "BENCH_SHARD_COUNT"]
  ) {
    assert(none.message.includes(name), none.message);
  }
  const half = assertThrows(() => resolveShard("auto", { JOB_COMPLETION_INDEX: "0" }));
  assert(half.message.includes("BENCH_SHARD_COUNT"), half.message);
  const range = assertThrows(() => resolveShard("3/3", {}));
  assert(range.message.includes("shard index 3 is out of range: shards are numbered 0 to 2"));
  const slurmRange = assertThrows(() =>
    resolveShard("auto", { SLURM_PROCID: "4", SLURM_NTASKS: "2" })
  );
  assert(slurmRange.message.includes("SLURM_PROCID=4"), slurmRange.message);
  assert(assertThrows(() => resolveShard("1of3", {})).message.includes('got "1of3"'));
});

Deno.test("counts and concurrency slots add up to the whole; rates, durations, seeds agreed", () => {
  for (const total of [0, 1, 7, 10, 1001]) {
    for (const count of [1, 2, 3, 8]) {
      const sum = shards(count).reduce((s, shard) => s + shardShare(total, shard), 0);
      assertEquals(sum, total, `${total} over ${count}`);
    }
  }
  const whole = resolveSettings({
    concurrency: 10,
    requestCount: 100,
    warmupRequestCount: 5,
    output: "out",
    randomSeed: 7,
  });
  const parts = shards(3).map((s) => shardSettings(whole, s).settings);
  assertEquals(parts.map((p) => p.timing.config.concurrency), [4, 3, 3]);
  assertEquals(parts.map((p) => p.profiling.requestCount), [34, 33, 33]);
  assertEquals(parts.map((p) => p.warmup?.requestCount), [2, 2, 1]);
  assertEquals(parts.map((p) => p.output), ["out/shard-0", "out/shard-1", "out/shard-2"]);
  const rate = resolveSettings({
    requestRate: 50,
    concurrency: 4,
    duration: 30,
    output: "out",
    randomSeed: 7,
  });
  const rated = shards(4).map((s) => shardSettings(rate, s).settings);
  for (const p of rated) {
    assertEquals(p.timing.config.request_rate, 50);
    assertEquals(p.timing.config.max_concurrency, 1);
    assertEquals(p.timing.config.seed, 7);
    assertEquals(p.profiling.durationMs, 30_000);
    assertEquals(p.dataset, rate.dataset);
  }
});

Deno.test("a shard with nothing to do, or no output to write to, is a clear error", () => {
  const few = resolveSettings({ concurrency: 2, output: "out" });
  const slots = assertThrows(() => shardSettings(few, shards(3)[0]!));
  assert(slots.message.includes("concurrency 2 is fewer than the 3 shards"), slots.message);
  const noOut = assertThrows(() => shardSettings(resolveSettings({}), shards(2)[0]!));
  assert(noOut.message.includes("needs --output DIR"), noOut.message);
  const count = assertThrows(() =>
    shardSettings(resolveSettings({ requestCount: 2, output: "o" }), shards(3)[0]!)
  );
  assert(count.message.includes("--request-count"), count.message);
  // A sweep is sharded value by value: each value needs a slot on every shard.
  const sweep = resolveSettings({
    sweep: { flag: "--concurrency", values: [1, 2, 4] },
    output: "o",
  });
  const fewAt = assertThrows(() => shardSettings(sweep, shards(3)[0]!)).message;
  assert(fewAt.includes("concurrency 1, 2 of the sweep is fewer than the 3 shards"), fewAt);
  const enough = resolveSettings({ sweep: { flag: "--concurrency", values: [2, 4] }, output: "o" });
  assertEquals(shardSettings(enough, shards(2)[1]!).settings.sweep?.values, [2, 4]);
});

// A driver as runPhase gives it: peek draws from the sampler once per issued request.
interface Sent {
  readonly prompt: string;
  readonly due: number | undefined;
}

async function drive(
  components: Components,
  limit: number,
): Promise<{ sent: Sent[]; startedAt: number }> {
  const entries = await components.dataset.instance.load();
  const sampler: DatasetSampler = components.sampler.instance;
  const stop = new AbortController();
  const sent: Sent[] = [];
  let upcoming: DatasetEntry | undefined;
  const startedAt = performance.now();
  const driver: PhaseDriver = {
    stopped: stop.signal,
    startedAt,
    peek() {
      if (stop.signal.aborted) return undefined;
      upcoming ??= entries[sampler.next(entries.length)];
      return upcoming;
    },
    issue(due) {
      const entry = driver.peek();
      if (entry === undefined) return undefined;
      upcoming = undefined;
      sent.push({ prompt: entry.prompt, due });
      if (sent.length >= limit) stop.abort();
      return Promise.resolve();
    },
  };
  await components.timing.instance.run(driver);
  return { sent, startedAt };
}

function components(
  timing: [string, TimingStrategy],
  entries: readonly DatasetEntry[],
  sampler: DatasetSampler,
): Components {
  return {
    endpoint: { name: "e", instance: { url: "", streaming: true, send: () => Promise.reject() } },
    timing: { name: timing[0], instance: timing[1] },
    dataset: { name: "d", instance: { load: () => Promise.resolve(entries) } },
    sampler: { name: "s", instance: sampler },
    hooks: [],
    exporters: [],
  };
}

const PROMPTS: DatasetEntry[] = Array.from({ length: 50 }, (_, i) => ({ prompt: `p${i}` }));

for (
  const config of [
    { arrival: "constant" },
    { arrival: "poisson" },
    { arrival: "gamma", smoothness: 0.5 },
  ]
) {
  Deno.test(`request-rate arrivals (${config.arrival}) interleave: union = single plan`, async () => {
    const total = 60;
    const make = () => new RequestRate({ request_rate: 200_000, seed: 11, ...config });
    const single = await drive(
      components(["request_rate", make()], PROMPTS, new RandomSampler({ seed: 3 })),
      total,
    );
    const first = single.sent[0]!.due!;
    const union = new Map<number, Sent>();
    for (const shard of shards(3)) {
      const settings = resolveSettings({ requestRate: 200_000, output: "o" });
      const part = shardComponents(
        components(["request_rate", make()], PROMPTS, new RandomSampler({ seed: 3 })),
        shard,
        { settings },
      );
      const { sent } = await drive(part, shardShare(total, shard));
      assertEquals(sent.length, shardShare(total, shard));
      // Arrival k*N+I of the whole plan: its prompt, and its time from the plan's own start.
      const origin = sent[0]!.due! - (single.sent[shard.index]!.due! - first);
      sent.forEach((s, k) =>
        union.set(k * shard.count + shard.index, { ...s, due: s.due! - origin })
      );
    }
    assertEquals(union.size, total);
    for (let g = 0; g < total; g++) {
      const mine = union.get(g)!;
      const whole = single.sent[g]!;
      assertEquals(mine.prompt, whole.prompt, `arrival ${g}`);
      assert(Math.abs(mine.due! - (whole.due! - first)) < 1e-6, `arrival ${g} time`);
    }
  });
}

Deno.test("concurrency: picks interleave, slots add up to --concurrency", async () => {
  const single = await drive(
    components(
      ["fixed_concurrency", new FixedConcurrency({ concurrency: 5 })],
      PROMPTS,
      new RandomSampler({ seed: 9 }),
    ),
    40,
  );
  const whole = resolveSettings({ concurrency: 5, requestCount: 40, output: "o", randomSeed: 9 });
  const union: string[] = [];
  let slots = 0;
  for (const shard of shards(2)) {
    const { settings } = shardSettings(whole, shard);
    slots += settings.timing.config.concurrency as number;
    const part = shardComponents(
      components(
        ["fixed_concurrency", new FixedConcurrency({ concurrency: 1 })],
        PROMPTS,
        new RandomSampler({ seed: 9 }),
      ),
      shard,
      { settings },
    );
    const { sent } = await drive(part, settings.profiling.requestCount!);
    sent.forEach((s, k) => union[k * 2 + shard.index] = s.prompt);
  }
  assertEquals(slots, 5);
  assertEquals(union, single.sent.map((s) => s.prompt));
});

Deno.test("traces and conversations split by session; timestamps keep the global offset", async () => {
  const trace: DatasetEntry[] = [
    { prompt: "a1", sessionId: "a", timestamp: 1000 },
    { prompt: "b1", sessionId: "b", timestamp: 1010 },
    { prompt: "a2", sessionId: "a", timestamp: 1020 },
    { prompt: "c1", sessionId: "c", timestamp: 1030, turns: [{ prompt: "c2", timestamp: 1050 }] },
    { prompt: "d1", timestamp: 1040 },
    { prompt: "e1", timestamp: 1060 },
  ];
  const whole = resolveSettings({
    fixedSchedule: true,
    fixedScheduleAutoOffset: true,
    output: "o",
  });
  const seen = new Map<string, number>();
  const all: string[] = [];
  for (const shard of shards(2)) {
    const { settings, shiftTimestamps } = shardSettings(whole, shard);
    assertEquals(shiftTimestamps, true);
    assertEquals(settings.timing.config.auto_offset, undefined);
    const part = shardComponents(
      components(
        ["fixed_schedule", new FixedSchedule(settings.timing.config)],
        trace,
        new SequentialSampler(),
      ),
      shard,
      { settings, shiftTimestamps },
    );
    const entries = await part.dataset.instance.load();
    for (const e of entries) {
      const session = e.sessionId ?? e.prompt;
      assert(!seen.has(session) || seen.get(session) === shard.index, `${session} split`);
      seen.set(session, shard.index);
      all.push(e.prompt);
      const original = trace.find((t) => t.prompt === e.prompt)!;
      assertEquals(e.timestamp, original.timestamp! - 1000);
      if (e.turns) assertEquals(e.turns[0]!.timestamp, 50);
    }
    if (shard.index === 1) assertEquals(entries.map((e) => e.prompt), ["b1", "d1"]);
  }
  assertEquals(all.sort(), trace.map((t) => t.prompt).sort());
  const lonely = shardComponents(
    components(["fixed_schedule", new FixedSchedule()], trace.slice(0, 1), new SequentialSampler()),
    shards(2)[1]!,
    { settings: whole },
  );
  const empty = await assertRejects(() => lonely.dataset.instance.load());
  assert(empty instanceof BenchConfigError);
  assert(empty.message.includes("shard 1 has nothing to send"), empty.message);
});

Deno.test("the warmup's own load is shared like the run's: slots add up, arrivals interleave", async () => {
  const whole = resolveSettings({ concurrency: 10, warmupConcurrency: 5, output: "out" });
  const parts = shards(3).map((s) => shardSettings(whole, s).settings);
  assertEquals(parts.map((p) => p.warmupTiming?.config.concurrency), [2, 2, 1]);
  assertEquals(parts.map((p) => p.timing.config.concurrency), [4, 3, 3]);
  const few = resolveSettings({ concurrency: 10, warmupConcurrency: 2, output: "out" });
  const error = assertThrows(() => shardSettings(few, shards(3)[0]!));
  assert(error instanceof BenchConfigError, String(error));
  assert(error.message.includes("concurrency 2 is fewer than the 3 shards"), error.message);
  assert(error.message.includes("--warmup-concurrency"), error.message);
  // A warmup request rate: shard 1 of 3 sends arrivals 1, 4, 7, ... of the warmup's plan.
  const make = () => new RequestRate({ request_rate: 200_000, seed: 5 });
  const single = await drive(
    components(["request_rate", make()], PROMPTS, new RandomSampler({ seed: 3 })),
    30,
  );
  const shard = shards(3)[1]!;
  const part = shardComponents(
    {
      ...components(
        ["fixed_concurrency", new FixedConcurrency()],
        PROMPTS,
        new RandomSampler({ seed: 3 }),
      ),
      warmupTiming: { name: "request_rate", instance: make() },
    },
    shard,
    { settings: resolveSettings({ concurrency: 3, warmupRequestRate: 200_000, output: "o" }) },
  );
  assertEquals(part.timing.name, "fixed_concurrency");
  const { sent } = await drive({ ...part, timing: part.warmupTiming! }, 10);
  const first = single.sent[0]!.due!;
  const origin = sent[0]!.due! - (single.sent[1]!.due! - first);
  sent.forEach((s, k) => {
    const whole = single.sent[k * 3 + 1]!;
    assertEquals(s.prompt, whole.prompt, `warmup arrival ${k * 3 + 1}`);
    assert(Math.abs(s.due! - origin - (whole.due! - first)) < 1e-6, `arrival ${k * 3 + 1} time`);
  });
});
