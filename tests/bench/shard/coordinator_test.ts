// One start: shard 0 coordinates; settings are compared, clocks sampled, a missing, unreachable
// or dying shard is a clear error naming it, and what the other shards measured is kept.
import { assert, assertBetween, assertEquals } from "../_assert.ts";
import { closedPort, withServerProcess } from "../_helpers.ts";
import { CoordinatorError, joinCoordinator } from "../../../src/bench/shard/join_coordinator.ts";
import { mergeShards } from "../../../src/bench/shard/merge_shards.ts";
import { startCoordinator } from "../../../src/bench/shard/start_coordinator.ts";
import { freePort, spawnShard } from "./_shards.ts";

const SSE = new URL("../servers/sse_server.py", import.meta.url).pathname;

Deno.test("coordinator: equal settings start together; clocks are sampled", async () => {
  const coordinator = startCoordinator({
    hostname: "127.0.0.1",
    port: 0,
    count: 3,
    timeoutMs: 5000,
  });
  const join = (index: number) =>
    joinCoordinator({
      hostname: "127.0.0.1",
      port: coordinator.port,
      index,
      count: 3,
      hash: "same",
      timeoutMs: 5000,
    });
  const links = await Promise.all([0, 1, 2].map(join));
  for (const link of links) {
    assert(link.rttMs >= 0 && Number.isFinite(link.offsetMs), String(link.offsetMs));
    // One machine, one clock: the offset is within the sample's round trip (plus the
    // sub-millisecond rounding of each process's time origin; here one process).
    assert(Math.abs(link.offsetMs) <= link.rttMs / 2 + 1, `offset ${link.offsetMs}`);
  }
  // One instant on shard 0's clock: each shard's local start plus its offset.
  const starts = await Promise.all(links.map(async (l) => await l.start("profiling") + l.offsetMs));
  for (const start of starts) assert(Math.abs(start - starts[0]!) < 1e-6, `${starts}`);
  links.forEach((l, i) => l.done(i));
  const outcome = await coordinator.finished;
  assertEquals([...outcome.done.entries()].sort(), [[0, 0], [1, 1], [2, 2]]);
  assertEquals(outcome.died, []);
  links.forEach((l) => l.close());
  coordinator.close();
});

Deno.test("coordinator: shards that disagree on settings are named, and none starts", async () => {
  const coordinator = startCoordinator({
    hostname: "127.0.0.1",
    port: 0,
    count: 3,
    timeoutMs: 5000,
  });
  const errors = await Promise.all(
    ["a", "a", "b"].map((hash, index) =>
      joinCoordinator({
        hostname: "127.0.0.1",
        port: coordinator.port,
        index,
        count: 3,
        hash,
        timeoutMs: 5000,
      })
        .then(() => undefined, (e) => e)
    ),
  );
  for (const error of errors) {
    assert(error instanceof CoordinatorError, String(error));
    assert(error.message.includes("shards 0, 1 and shard 2"), error.message);
    assert(error.message.includes("disagree on the benchmark's settings"), error.message);
  }
  coordinator.close();
});

Deno.test("coordinator: a shard that never shows up fails the start, named by index", async () => {
  const coordinator = startCoordinator({
    hostname: "127.0.0.1",
    port: 0,
    count: 3,
    timeoutMs: 300,
  });
  const error = await joinCoordinator({
    hostname: "127.0.0.1",
    port: coordinator.port,
    index: 0,
    count: 3,
    hash: "h",
    timeoutMs: 5000,
  }).catch((e) => e);
  assert(error instanceof CoordinatorError);
  assert(error.message.includes("shards 1, 2 never reported ready within 0.3 s"), error.message);
  assertEquals((await coordinator.finished).failure !== undefined, true);
  coordinator.close();
});

Deno.test("--shard with an unreachable coordinator: a clear error, nothing sent", async () => {
  const port = closedPort();
  const { status, stderr } = await spawnShard([
    "--shard",
    "1/2",
    "--coordinator",
    `127.0.0.1:${port}`,
    "--coordinator-timeout",
    "0.5",
    "--url",
    `http://127.0.0.1:${closedPort()}`,
    "--output",
    await Deno.makeTempDir(),
  ]).done;
  assertEquals(status, 1, stderr);
  assert(stderr.includes(`Cannot reach the coordinator 127.0.0.1:${port} within 0.5 s`), stderr);
  const bad = await spawnShard(["--shard", "2/2", "--output", "x"]).done;
  assertEquals(bad.status, 2, bad.stderr);
  assert(bad.stderr.includes("shard index 2 is out of range"), bad.stderr);
  const auto = await spawnShard(["--shard", "auto", "--output", "x"]).done;
  assertEquals(auto.status, 2, auto.stderr);
  assert(auto.stderr.includes("SLURM_PROCID and SLURM_NTASKS"), auto.stderr);
});

Deno.test("a shard that dies mid-run is named; shard 0 keeps and merges the others' records", async () => {
  await withServerProcess("python3", SSE, { ttft_ms: 20, gap_ms: 5, output: 8 }, async (url) => {
    const dir = await Deno.makeTempDir();
    const port = freePort();
    const common = [
      "--url",
      url,
      "--coordinator",
      `127.0.0.1:${port}`,
      "--coordinator-timeout",
      "30",
      "--benchmark-duration",
      "4",
      "--concurrency",
      "2",
      "--warmup-request-count",
      "0",
      "--no-progress",
      "--output",
      dir,
    ];
    const zero = spawnShard(["--shard", "0/2", ...common]);
    const one = spawnShard(["--shard", "1/2", ...common]);
    // Killed mid-run: a second after its profiling phase started with shard 0's.
    await one.saw("Shard 1: profiling started with the other shards");
    await new Promise((r) => setTimeout(r, 1000));
    one.child.kill("SIGKILL");
    await one.done;
    const { status, stderr } = await zero.done;
    assertEquals(status, 1, stderr);
    assert(stderr.includes("error: shard 1 stopped before finishing"), stderr);
    // Records stream to disk, and shard.json is first written at the common start: a killed
    // shard leaves its records and its clock offset, without an exit status.
    const named = /shard 1 did not finish \(its shard.json has no exit status\)/;
    assert(named.test(stderr), stderr);
    const files = await Promise.all(
      [0, 1].map(async (i) => JSON.parse(await Deno.readTextFile(`${dir}/shard-${i}/shard.json`))),
    );
    const killed = files[1];
    assertEquals(killed.status, undefined);
    assertEquals(files[0].status, 0); // its own run went well; the merge found the problem
    assert(typeof killed.clock_offset_ms === "number" && killed.clock_rtt_ms >= 0, killed);
    assert(typeof killed.profiling_start_ms === "number", killed);
    const merged = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    // The killed shard's start on the common time line is its own start plus its offset.
    const starts = files.map((f) => f.profiling_start_ms + f.clock_offset_ms);
    assertEquals(merged.shards[1].clock_offset_ms, killed.clock_offset_ms);
    assertBetween(
      merged.shards[1].start_offset_ms,
      starts[1] - Math.min(...starts) - 1e-6,
      starts[1] - Math.min(...starts) + 1e-6,
      "the killed shard's start",
    );
    // Its offset is used: a shard 1 whose clock were 10 s behind would be moved by 10 s.
    const before = await shardStarts(dir, 1);
    killed.clock_offset_ms += 10_000;
    await Deno.writeTextFile(`${dir}/shard-1/shard.json`, JSON.stringify(killed));
    await mergeShards(dir);
    const after = await shardStarts(dir, 1);
    assertEquals(after.length, before.length);
    // Its start moves 10 s later; the origin (the earliest start) may move with it.
    const moved = starts[1]! + 10_000;
    const shift = (moved - Math.min(starts[0]!, moved)) - (starts[1]! - Math.min(...starts));
    assert(shift > 5_000, String(shift)); // less than 10 s by how far shard 0 started later
    for (const [i, at] of after.entries()) {
      assertBetween(at - before[i]!, shift - 1e-3, shift + 1e-3, `record ${i} of shard 1 moved`);
    }
    const shard0 = JSON.parse(await Deno.readTextFile(`${dir}/shard-0/profile_export.json`));
    // Its records streamed to disk until the kill: they are merged beside shard 0's.
    assert(merged.metrics.request_count.avg > shard0.metrics.request_count.avg);
    const lines = (await Deno.readTextFile(`${dir}/records.jsonl`)).trim().split("\n");
    assert(lines.some((l) => JSON.parse(l).shard === 1), "no record of shard 1 merged");
    assert(merged.failures.some((f: string) => named.test(f)), merged.failures);
    await Deno.remove(dir, { recursive: true });
  });
});

// The merged records' start_ms of one shard, in their order.
async function shardStarts(dir: string, shard: number): Promise<number[]> {
  return (await Deno.readTextFile(`${dir}/records.jsonl`)).trim().split("\n")
    .map((l) => JSON.parse(l) as { shard: number; start_ms: number })
    .filter((r) => r.shard === shard).map((r) => r.start_ms);
}

Deno.test("a sharded trace replay: every session on one shard, the merge has every request", async () => {
  // A Mooncake trace of 6 sessions (2 of them conversations of 2 turns), replayed on its
  // timestamps by 2 shards against the embedded server.
  const lines = [
    { session_id: "a", timestamp: 0, input_length: 8, output_length: 4 },
    { session_id: "b", timestamp: 20, input_length: 8, output_length: 4 },
    { session_id: "a", delay: 10, input_length: 8, output_length: 4 },
    { session_id: "c", timestamp: 40, input_length: 8, output_length: 4 },
    { session_id: "d", timestamp: 60, input_length: 8, output_length: 4 },
    { session_id: "e", timestamp: 80, input_length: 8, output_length: 4 },
    { session_id: "d", delay: 10, input_length: 8, output_length: 4 },
    { session_id: "f", timestamp: 100, input_length: 8, output_length: 4 },
  ];
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/trace.jsonl`, lines.map((l) => JSON.stringify(l)).join("\n"));
  const port = freePort();
  const common = [
    "--input-file",
    `${dir}/trace.jsonl`,
    "--custom-dataset-type",
    "mooncake_trace",
    "--fixed-schedule",
    "--fixed-schedule-auto-offset",
    "--coordinator",
    `127.0.0.1:${port}`,
    "--ttft-ms",
    "5",
    "--itl-ms",
    "1",
    "--no-progress",
    "--output",
    `${dir}/out`,
  ];
  const runs = await Promise.all(
    [0, 1].map((i) => spawnShard([`--shard`, `${i}/2`, ...common]).done),
  );
  for (const run of runs) assertEquals(run.status, 0, run.stderr);
  assert(runs[0]!.stderr.includes("Merged 8 records of 2 shards"), runs[0]!.stderr);
  const records = (await Deno.readTextFile(`${dir}/out/records.jsonl`)).trim().split("\n")
    .map((l) =>
      JSON.parse(l) as {
        shard: number;
        session_id: string;
        turn_index: number;
        start_ms: number;
        send_delay_ms: number;
      }
    );
  assertEquals(records.length, 8);
  const home = new Map<string, number>();
  for (const r of records) {
    assert((home.get(r.session_id) ?? r.shard) === r.shard, `session ${r.session_id} split`);
    home.set(r.session_id, r.shard);
  }
  // Sessions dealt out in order of first appearance: a, c, e on shard 0; b, d, f on shard 1.
  assertEquals(Object.fromEntries([...home].sort()), { a: 0, b: 1, c: 0, d: 1, e: 0, f: 1 });
  assertEquals(records.filter((r) => r.turn_index === 1).length, 2);
  // Each session is scheduled at its timestamp counted from the whole trace's first one (the
  // auto offset), whichever shard sent it: on the merged time line, its start less how late it
  // was sent (send_delay_ms, however busy the machine) is the timestamp plus its shard's start.
  const merged = JSON.parse(await Deno.readTextFile(`${dir}/out/profile_export.json`));
  for (const r of records.filter((r) => r.turn_index === 0)) {
    const at = lines.find((l) => l.session_id === r.session_id)!.timestamp!;
    const scheduled = r.start_ms - r.send_delay_ms - merged.shards[r.shard].start_offset_ms;
    // (Within 1 ms: the schedule counts from when the timing strategy starts, a few µs after
    // the phase's time zero; a wrong offset would be 20 ms or more off.)
    assertBetween(scheduled, at - 1, at + 1, `session ${r.session_id} scheduled`);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("coordinator: a shard gone after agreeing but before the start stops the others at once", async () => {
  const coordinator = startCoordinator({
    hostname: "127.0.0.1",
    port: 0,
    count: 2,
    timeoutMs: 60_000,
  });
  const join = (index: number) =>
    joinCoordinator({
      hostname: "127.0.0.1",
      port: coordinator.port,
      index,
      count: 2,
      hash: "h",
      timeoutMs: 5000,
    });
  const [zero, one] = await Promise.all([join(0), join(1)]);
  const waiting = zero!.start("profiling").then(() => undefined, (e) => e);
  one!.close(); // e.g. its pre-flight failed
  const error = await waiting;
  assert(error instanceof CoordinatorError, String(error));
  assert(error.message.includes("shard 1 stopped before the start"), error.message);
  assertEquals((await coordinator.finished).died, [1]);
  zero!.close();
  coordinator.close();
});

Deno.test("a shard killed before the common start stops shard 0 at once: no profiling alone", async () => {
  const dir = await Deno.makeTempDir();
  const common = [
    "--coordinator",
    `127.0.0.1:${freePort()}`,
    "--concurrency",
    "2",
    // A warmup long enough that shard 1 is killed in it, before it reports ready.
    "--warmup-request-count",
    "200",
    "--request-count",
    "8",
    "--ttft-ms",
    "50",
    "--itl-ms",
    "1",
    "--no-progress",
    "--output",
    dir,
  ];
  const zero = spawnShard(["--shard", "0/2", ...common]);
  const one = spawnShard(["--shard", "1/2", ...common]);
  await one.saw("settings agreed");
  one.child.kill("SIGKILL");
  await one.done;
  const { status, stderr } = await zero.done;
  assertEquals(status, 1, stderr);
  assert(stderr.includes("shard 1 stopped before the start"), stderr);
  // Neither a warning and a profiling phase run alone, nor a merge of nothing.
  assert(!stderr.includes("warning: phase hook"), stderr);
  assert(!stderr.includes("profiling started with the other shards"), stderr);
  const records = await Deno.readTextFile(`${dir}/shard-0/records.jsonl`).catch(() => "");
  assertEquals(records, "");
  await Deno.remove(dir, { recursive: true });
});
