// Sharded sweeps step together: every value starts at one instant on every shard, the shards
// decide alike whether to go on, and the merge rebuilds the sweep's files from all records.
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { CoordinatorError, joinCoordinator } from "../../../src/bench/shard/join_coordinator.ts";
import { startCoordinator } from "../../../src/bench/shard/start_coordinator.ts";
import { reportMain } from "../../../src/bench/report_main.ts";
import { freePort, spawnShard } from "./_shards.ts";

interface Point {
  readonly value: number;
  readonly ok: number;
  readonly errors: number;
  readonly dir: string;
}

Deno.test("a sharded sweep: each value starts together on every shard; merged per value", async () => {
  const dir = await Deno.makeTempDir();
  const common = [
    "--coordinator",
    `127.0.0.1:${freePort()}`,
    "--concurrency",
    "2,4",
    "--request-count",
    "8",
    "--ttft-ms",
    "5",
    "--itl-ms",
    "1",
    "--no-progress",
    "--output",
    dir,
  ];
  const runs = await Promise.all(
    [0, 1].map((i) => spawnShard(["--shard", `${i}/2`, ...common]).done),
  );
  for (const run of runs) assertEquals(run.status, 0, run.stderr);
  for (const value of [2, 4]) {
    const line = `Shard 1: profiling (concurrency_${value}) started with the other shards`;
    assert(runs[1]!.stderr.includes(line), runs[1]!.stderr);
  }
  assert(runs[0]!.stderr.includes("Merged 16 records of 2 shards at 2 values"), runs[0]!.stderr);
  // One common start instant per value (on shard 0's clock), the same on both shards.
  const starts = await Promise.all([2, 4].map((value) =>
    Promise.all([0, 1].map(async (i) => {
      const path = `${dir}/shard-${i}/concurrency_${value}/shard.json`;
      const file = JSON.parse(await Deno.readTextFile(path));
      assertEquals(file.status, 0);
      assertEquals(file.sweep, { field: "concurrency", values: [2, 4] });
      // The profiling phase started at the named instant (on this shard's clock), not before.
      assert(file.profiling_start_ms >= file.start_instant_ms - file.clock_offset_ms, path);
      return file.start_instant_ms as number;
    }))
  ));
  for (const [a, b] of starts) assertEquals(a, b);
  assert(starts[1]![0]! > starts[0]![0]!, "the second value started after the first");
  // The merged sweep: every value's requests of both shards, in the single-machine layout.
  const sweep = JSON.parse(await Deno.readTextFile(`${dir}/sweep.json`));
  assertEquals(
    sweep.points.map((p: Point) => [p.value, p.ok, p.errors, p.dir]),
    [[2, 8, 0, "concurrency_2"], [4, 8, 0, "concurrency_4"]],
  );
  assertEquals(sweep.benchmark.timing_config.concurrency, "swept");
  // sweep.csv has a single-machine sweep's columns, in its order: the token totals rebuilt from
  // the records, and the server's side (the embedded server's /metrics) from shard 0's scrapes.
  const csv = async (path: string) => (await Deno.readTextFile(path)).trim().split("\n");
  const single = await csv(`${dir}/shard-0/sweep.csv`);
  const merged = await csv(`${dir}/sweep.csv`);
  assertEquals(merged[0]!.split(","), single[0]!.split(","));
  for (const column of ["total_osl_avg", "total_isl_avg", "server_running_max"]) {
    assert(merged[0]!.split(",").includes(column), `${column} in ${merged[0]}`);
  }
  // The token totals are the two shards' sums (AIPerf's run totals, not averaged).
  const cell = (lines: string[], row: number, column: string) =>
    Number(lines[row]!.split(",")[lines[0]!.split(",").indexOf(column)]);
  const shard1 = await csv(`${dir}/shard-1/sweep.csv`);
  for (const row of [1, 2]) {
    assertEquals(
      cell(merged, row, "total_osl_avg"),
      cell(single, row, "total_osl_avg") + cell(shard1, row, "total_osl_avg"),
    );
  }
  assert((await Deno.readTextFile(`${dir}/sweep.html`)).includes("<html"));
  const value = JSON.parse(await Deno.readTextFile(`${dir}/concurrency_2/profile_export.json`));
  // Each shard's lateness after the named instant, on shard 0's clock, is in the merge.
  for (const figures of value.shards) {
    const file = JSON.parse(
      await Deno.readTextFile(`${dir}/shard-${figures.index}/concurrency_2/shard.json`),
    );
    assertEquals(
      figures.start_late_ms,
      file.profiling_start_ms + file.clock_offset_ms - file.start_instant_ms,
    );
  }
  const own = JSON.parse(
    await Deno.readTextFile(`${dir}/shard-0/concurrency_2/profile_export.json`),
  );
  assertEquals(value.phases.profiling.server_metrics, own.phases.profiling.server_metrics);
  assert(value.phases.profiling.server_metrics !== undefined, "the server's side is merged");
  for (const value of [2, 4]) {
    const lines = (await Deno.readTextFile(`${dir}/concurrency_${value}/records.jsonl`)).trim()
      .split("\n").map((l) => JSON.parse(l) as { shard: number });
    assertEquals(lines.length, 8);
    assertEquals(lines.filter((r) => r.shard === 1).length, 4);
  }
  // bench:report --merge rebuilds the same from the shards' directories.
  await Deno.remove(`${dir}/sweep.json`);
  let out = "";
  const status = await reportMain(["--merge", dir], { stdout: (t) => out += t, stderr: () => {} });
  assertEquals(status, 0, out);
  const again = JSON.parse(await Deno.readTextFile(`${dir}/sweep.json`));
  assertEquals(again.points.map((p: Point) => p.ok), [8, 8]);
  assert(out.includes("Wrote " + `${dir}/concurrency_4/profile_export.json`), out);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("coordinator: a sweep's step sums every shard's counts; a shard gone fails it at once", async () => {
  const coordinator = startCoordinator({
    hostname: "127.0.0.1",
    port: 0,
    count: 2,
    timeoutMs: 5000,
  });
  const join = (index: number) =>
    joinCoordinator({
      hostname: "127.0.0.1",
      port: coordinator.port,
      index,
      count: 2,
      hash: "same",
      timeoutMs: 5000,
    });
  const [zero, one] = await Promise.all([join(0), join(1)]);
  const sums = await Promise.all([
    zero.tally("step after concurrency_2", { ok: 3, errors: 1, interrupted: false }),
    one.tally("step after concurrency_2", { ok: 5, errors: 0, interrupted: true }),
  ]);
  // The same sums on both: both shards stop (one was interrupted), or both go on.
  for (const sum of sums) assertEquals(sum, { ok: 8, errors: 1, interrupted: true });
  await Promise.all([
    zero.start("profiling (concurrency_4)"),
    one.start("profiling (concurrency_4)"),
  ]);
  one.close();
  await new Promise((r) => setTimeout(r, 100));
  const error = await assertRejects(() =>
    zero.tally("step after concurrency_4", { ok: 1, errors: 0, interrupted: false })
  );
  assert(error instanceof CoordinatorError, String(error));
  assert(error.message.includes("shard 1 stopped before the start of the step"), error.message);
  zero.close();
  coordinator.close();
});
