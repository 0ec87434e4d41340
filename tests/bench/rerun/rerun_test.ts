// Self-describing runs and --rerun: a run's exports say how to run it again (settings and their
// sources, command line, files, environment), with no secret in any file; --rerun DIR sends the
// same requests again, as an independent server (tests/bench/servers/sse_server.py) logs them.
import { assert, assertEquals } from "../_assert.ts";
import { runMain, withServerProcess } from "../_helpers.ts";

const SCRIPT = new URL("../servers/sse_server.py", import.meta.url).pathname;

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) out.push(...await filesUnder(path));
    else out.push(path);
  }
  return out;
}

interface Logged {
  t: number;
  body: { messages: { content: string }[]; max_tokens?: number; max_completion_tokens?: number };
  authorization: string | null;
}

const asked = (l: Logged) => ({
  prompt: l.body.messages.at(-1)!.content,
  max_tokens: l.body.max_tokens ?? l.body.max_completion_tokens,
});

Deno.test("rerun: --rerun DIR sends the original's prompts, max_tokens and schedule; no file holds a secret", async () => {
  const root = await Deno.makeTempDir({ prefix: "plugmap-rerun-" });
  const log = `${root}/server.jsonl`;
  try {
    await withServerProcess(
      "python3",
      SCRIPT,
      { ttft_ms: 5, gap_ms: 1, output: 4, log },
      async (url) => {
        const original = await runMain([
          "--url",
          url,
          "--request-rate",
          "40",
          "--arrival-pattern",
          "poisson",
          "--random-seed",
          "7",
          "--request-count",
          "12",
          "--warmup-request-count",
          "2",
          "--isl",
          "30",
          "--isl-stddev",
          "10",
          "--osl",
          "6",
          "--osl-stddev",
          "3",
          "--api-key",
          "sk-PLANTED-SECRET-1",
          "--header",
          "X-Api-Key: PLANTED-SECRET-2",
          "--header",
          "X-Trace: visible",
          "--output",
          `${root}/a`,
          "--no-progress",
        ]);
        assertEquals(original.status, 0, original.stderr);
        const sent = (await Deno.readTextFile(log)).trim().split("\n").length;

        // The secrets reached the server, and no file of the run.
        const first = JSON.parse((await Deno.readTextFile(log)).split("\n")[0]!) as Logged;
        assertEquals(first.authorization, "Bearer sk-PLANTED-SECRET-1");
        const files = await filesUnder(`${root}/a`);
        assert(files.length >= 4, files.join(", "));
        for (const file of files) {
          const text = await Deno.readTextFile(file);
          assert(!text.includes("PLANTED-SECRET"), `${file} holds a secret`);
        }
        const json = JSON.parse(await Deno.readTextFile(`${root}/a/profile_export.json`));
        const config = json.run_config;
        assert(config.command_line.includes("X-Trace: visible"), config.command_line.join(" "));
        assert(config.command_line.includes("<redacted>"), config.command_line.join(" "));
        assertEquals(config.settings.requestRate, {
          value: 40,
          source: "flag",
          flag: "--request-rate",
        });
        assertEquals(config.settings.warmupRequestCount.source, "flag");
        assertEquals(config.seed, 7);
        assertEquals(
          config.plugmap_version,
          JSON.parse(await Deno.readTextFile("deno.json")).version,
        );
        assert((await Deno.readTextFile(`${root}/a/report.html`)).includes("--rerun"));

        const again = await runMain([
          "--rerun",
          `${root}/a`,
          "--api-key",
          "sk-PLANTED-SECRET-3",
          "--header",
          "X-Api-Key: PLANTED-SECRET-4",
          "--no-progress",
        ]);
        assertEquals(again.status, 0, again.stderr);
        assert(again.stderr.includes(`writing to ${root}/a-rerun`), again.stderr);
        assert(!again.stderr.includes("PLANTED-SECRET"), again.stderr);
        assert(again.stderr.includes("same plugmap, environment, files"), again.stderr);

        const lines = (await Deno.readTextFile(log)).trim().split("\n").map((l) =>
          JSON.parse(l) as Logged
        );
        assertEquals(lines.length, 2 * sent);
        const [a, b] = [lines.slice(0, sent), lines.slice(sent)];
        // The same requests at the independent server (two due within a millisecond or so
        // may arrive in either order; the schedule is checked below).
        const key = (l: Logged) => JSON.stringify(asked(l));
        assertEquals(b.map(key).sort(), a.map(key).sort());
        assert(new Set(a.map((l) => asked(l).max_tokens)).size > 1, "max_tokens did not vary");
        assertEquals(b[0]!.authorization, "Bearer sk-PLANTED-SECRET-3");
        // The same schedule: every request was due at the same offset in its phase.
        const due = async (dir: string) =>
          (await Deno.readTextFile(`${dir}/records.jsonl`)).trim().split("\n").map((l) =>
            JSON.parse(l)
          ).map((r) => ({ index: r.index, due: r.start_ms - (r.send_delay_ms ?? 0) }))
            .sort((x, y) => x.index - y.index);
        const [dueA, dueB] = [await due(`${root}/a`), await due(`${root}/a-rerun`)];
        assertEquals(dueA.length, 12);
        for (const [i, d] of dueA.entries()) {
          assert(Math.abs(d.due - dueB[i]!.due) < 1, `request ${i}: ${d.due} vs ${dueB[i]!.due}`);
        }
        // And the server saw them spaced so: arrival gaps follow the seeded schedule.
        const gaps = (run: Logged[]) => run.slice(-12).map((l, _i, all) => l.t - all[0]!.t);
        const [ga, gb] = [gaps(a), gaps(b)];
        const spread = ga.at(-1)!;
        for (const [i, g] of ga.entries()) {
          assert(
            Math.abs(g - gb[i]!) < Math.max(0.05, spread * 0.25),
            `arrival ${i}: ${g} vs ${gb[i]}`,
          );
        }
      },
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("rerun: a folder without a run description is refused with a clear message", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/profile_export.json`, '{"metrics": {}}');
    const { status, stderr } = await runMain(["--rerun", dir]);
    assertEquals(status, 2);
    assert(stderr.includes("has no run_config"), stderr);
    const missing = await runMain(["--rerun", `${dir}/nothing`]);
    assertEquals(missing.status, 2);
    assert(missing.stderr.includes("no such file"), missing.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
