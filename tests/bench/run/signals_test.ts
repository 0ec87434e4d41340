// Signals stop a run the way people and schedulers stop it: Ctrl-C pressed in a real terminal
// (a pseudo-terminal: the whole foreground process group gets SIGINT, and `deno task` forwards it
// again), SIGTERM and SIGHUP to the task's process group. Every run keeps what it measured.
import { assert, assertBetween, assertEquals } from "../_assert.ts";
import { ROOT } from "../_helpers.ts";

const PTY_KEYS = `${ROOT}tests/bench/servers/pty_keys.py`;
const LONG_RUN = ["--benchmark-duration", "120", "--concurrency", "8"];

interface PtyRun {
  readonly status: number;
  readonly output: string;
  readonly after_first_press: number | null;
}

/** Runs `deno task bench ARGS` in a pseudo-terminal and presses keys once it is running. */
async function inTerminal(
  args: readonly string[],
  presses: [number, string][],
): Promise<PtyRun> {
  const spec = {
    command: [Deno.execPath(), "task", "-q", "bench", ...args],
    cwd: ROOT,
    wait_for: "profiling",
    presses,
    timeout: 60,
  };
  const out = await new Deno.Command("python3", {
    args: [PTY_KEYS, JSON.stringify(spec)],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** Every file in `dir` is whole: JSON parses, each records line parses; no temporary file. */
async function assertWholeFiles(dir: string): Promise<Record<string, unknown>[]> {
  let records: Record<string, unknown>[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const text = await Deno.readTextFile(`${dir}/${entry.name}`);
    assert(!entry.name.endsWith(".tmp"), `a temporary file was left: ${entry.name}`);
    if (entry.name.endsWith(".json")) JSON.parse(text);
    if (entry.name.endsWith(".jsonl")) {
      assert(text === "" || text.endsWith("\n"), "records.jsonl ends with a whole line");
      records = text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
    }
    if (entry.name.endsWith(".html")) assert(text.trimEnd().endsWith("</html>"), entry.name);
  }
  return records;
}

async function profiling(dir: string) {
  const result = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
  return result.phases.profiling as {
    request_count: number;
    error_request_count: number;
    cancelled_request_count: number;
    interrupted: boolean;
  };
}

Deno.test("signals: Ctrl-C in a terminal stops the run, exports what was measured, exits 130", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-signals-" });
  try {
    let cancelled = 0;
    // One press, then a press doubled within milliseconds: each is one event.
    for (const presses of [[[1, "\x03"]], [[1, "\x03"], [1.004, "\x03"]]] as [number, string][][]) {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      const run = await inTerminal([...LONG_RUN, "--output", dir], presses);
      assertEquals(run.status, 130, run.output);
      assert(run.output.includes("Interrupted (SIGINT): stopping"), run.output);
      assert(!run.output.includes("quitting now"), run.output);
      assert(/Req(uest)? Latency/.test(run.output), run.output);
      const records = await assertWholeFiles(dir);
      const phase = await profiling(dir);
      assert(phase.interrupted);
      assert(phase.request_count > 0, "some requests completed");
      // At most the 8 in flight were cancelled. On a loaded machine a request can have finished
      // (its last chunk read, its record on the way) when the press lands: it counts as completed.
      assertBetween(phase.cancelled_request_count, 0, 8, "requests cancelled");
      cancelled += phase.cancelled_request_count;
      assertEquals(records.length, phase.request_count + phase.error_request_count);
    }
    assert(cancelled > 0, "the requests in flight at a press were cancelled, not waited for");
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("signals: a deliberate second Ctrl-C quits at once and leaves every file whole", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-signals-" });
  try {
    // The second press comes while the exports are being written, or just after.
    const run = await inTerminal([...LONG_RUN, "--output", dir], [[1, "\x03"], [1.5, "\x03"]]);
    assertEquals(run.status, 130, run.output);
    await assertWholeFiles(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Starts `deno task bench ARGS` in its own process group; returns the child and its stderr. */
async function inOwnGroup(args: readonly string[]) {
  const child = new Deno.Command("setsid", {
    args: [Deno.execPath(), "task", "-q", "bench", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout = new Response(child.stdout).text();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let stderr = "";
  // Running once the profiling phase shows progress (a plain line each second off a terminal).
  while (!stderr.includes("profiling")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the bench did not start: ${stderr}`);
    stderr += value;
  }
  const rest = (async () => {
    for (let r = await reader.read(); !r.done; r = await reader.read()) stderr += r.value;
    return stderr;
  })();
  return { child, stdout, stderr: rest };
}

for (const [signal, status] of [["SIGTERM", 143], ["SIGHUP", 129]] as const) {
  Deno.test(`signals: ${signal} to the task's process group stops every worker, keeps the records, exits ${status}`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "plugmap-signals-" });
    try {
      const run = await inOwnGroup([...LONG_RUN, "--workers", "2", "--output", dir]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      // setsid made the task the leader of its own group: -pid is the whole group.
      Deno.kill(-run.child.pid, signal);
      const { code } = await run.child.status;
      const stderr = await run.stderr;
      const stdout = await run.stdout;
      assertEquals(code, status, stderr);
      assert(stderr.includes(`Interrupted (${signal}): stopping`), stderr);
      assert(/Req(uest)? Latency/.test(stdout), stdout);
      const records = await assertWholeFiles(dir);
      const phase = await profiling(dir);
      assert(phase.interrupted);
      assert(phase.request_count > 0, "some requests completed");
      // What was in flight was cancelled; those a worker had finished before the cancel reached
      // it (their results on the way back) count as completed.
      assertBetween(phase.cancelled_request_count, 0, 8, "requests cancelled");
      assertEquals(records.length, phase.request_count + phase.error_request_count);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("signals: even SIGKILL leaves the records finished up to the last second, whole lines", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-signals-" });
  try {
    const run = await inOwnGroup([...LONG_RUN, "--output", dir]);
    // Records are on disk while the run goes on, before anything is exported.
    let lines = 0;
    // Polled (a guard of 30 s, not a figure): before streaming, the file came only at the end.
    for (let tries = 0; lines < 20; tries++) {
      assert(tries < 150, "no records on disk while the run goes on");
      await new Promise((resolve) => setTimeout(resolve, 200));
      const text = await Deno.readTextFile(`${dir}/records.jsonl`).catch(() => "");
      lines = text.split("\n").length - 1;
    }
    Deno.kill(-run.child.pid, "SIGKILL");
    await run.child.status;
    await run.stderr;
    await run.stdout;
    const records = await assertWholeFiles(dir);
    assert(records.length >= lines, `${records.length} records kept`);
    assert(records.every((r) => r.phase === "profiling" && typeof r.end_ms === "number"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
