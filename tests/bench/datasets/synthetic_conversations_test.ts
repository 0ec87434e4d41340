// AIPerf's synthetic workload options: multi-turn conversations (turn count and delay
// distributions), --seq-dist ISL/OSL mixtures and --conversation-num's meaning.
import { assert, assertEquals, assertThrows } from "../_assert.ts";
import { runMain } from "../_helpers.ts";
import { SyntheticDataset } from "../../../src/bench/datasets/synthetic_dataset.ts";

Deno.test("synthetic: turn counts, delays and a length mixture, repeatable by seed", async () => {
  const config = {
    count: 200,
    turn_mean: 3,
    turn_stddev: 1,
    turn_delay_mean: 100,
    turn_delay_stddev: 10,
    turn_delay_ratio: 0.5,
    sequence_distribution: "20,5:25;40|2,10:75",
    seed: 3,
  };
  const entries = await new SyntheticDataset(config).load();
  const turns = entries.map((e) => 1 + (e.turns?.length ?? 0));
  const mean = turns.reduce((a, b) => a + b, 0) / turns.length;
  assert(Math.abs(mean - 3) < 0.3, `mean turns ${mean}`);
  assert(new Set(turns).size > 1, "turn counts vary with a stddev");
  const delays = entries.flatMap((e) => (e.turns ?? []).map((t) => t.delay!));
  const delayMean = delays.reduce((a, b) => a + b, 0) / delays.length;
  assert(Math.abs(delayMean - 50) < 3, `delay mean ${delayMean} (100 ms x 0.5)`);
  const short = entries.filter((e) => e.maxTokens === 5).length;
  assert(short > 30 && short < 70, `${short} of 200 drew the 25% pair`);
  assertEquals(
    JSON.stringify(await new SyntheticDataset(config).load()),
    JSON.stringify(entries),
  );
  const bad = assertThrows(() => new SyntheticDataset({ sequence_distribution: "20:5" }));
  assert(bad instanceof RangeError && bad.message.includes('"20:5"'), bad.message);
});

Deno.test("synthetic: AIPerf's multi-turn flags run conversations with their delays", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-turns-" });
  try {
    const out = await runMain([
      "--conversation-num",
      "4",
      "--conversation-turn-mean",
      "3",
      "--conversation-turn-delay-mean",
      "30",
      "--seq-dist",
      "40,5:50;80,6:50",
      "--random-seed",
      "1",
      "--concurrency",
      "2",
      "--warmup-request-count",
      "0",
      "--ttft-ms",
      "1",
      "--itl-ms",
      "0",
      "--no-progress",
      "--output",
      dir,
    ]);
    assertEquals(out.status, 0, out.stderr);
    const records = (await Deno.readTextFile(`${dir}/records.jsonl`)).trim().split("\n")
      .map((line) => JSON.parse(line));
    // --conversation-num: 4 unique conversations of 3 turns, each sent once.
    assertEquals(records.length, 12);
    assertEquals(new Set(records.map((r) => r.session_id)).size, 4);
    for (const r of records) {
      assert([5, 6].includes(r.metrics.output_sequence_length.value), JSON.stringify(r.metrics));
      if (r.turn_index === 0) assert([40, 80].includes(r.metrics.input_sequence_length.value));
      if (r.turn_index === 0) continue;
      const before = records.find((p) =>
        p.session_id === r.session_id && p.turn_index === r.turn_index - 1
      );
      assert(r.start_ms - before.end_ms >= 29, `delay ${r.start_ms - before.end_ms}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("-b/--prompt-batch-size: embeddings send N texts as one input list", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-batch-" });
  try {
    const out = await runMain([
      "--endpoint-type",
      "embeddings",
      "-b",
      "4",
      "--isl",
      "32",
      "--request-count",
      "5",
      "--warmup-request-count",
      "0",
      "--ttft-ms",
      "1",
      "--no-progress",
      "--output",
      dir,
    ]);
    assertEquals(out.status, 0, out.stderr);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    // The server counts the four texts of each request (32 tokens each).
    assertEquals(json.metrics.input_sequence_length.avg, 4 * 32);
    const inputs = JSON.parse(await Deno.readTextFile(`${dir}/inputs.json`));
    const input = inputs.data[0].payloads[0].input;
    assert(Array.isArray(input) && input.length === 4, JSON.stringify(input));
    assertEquals(new Set(input).size, 4);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
