// Noise-aware comparisons: two runs of one configuration compare as "no significant difference";
// a server made 20 % slower (TTFT 40 -> 48 ms, ITL 4 -> 4.8 ms) compares as slower.
import { assert, assertEquals } from "../_assert.ts";
import { runMain } from "../_helpers.ts";
import { reportMain } from "../../../src/bench/report_main.ts";
import { judgeNoise } from "../../../src/bench/report/judge_noise.ts";

async function run(dir: string, ttft: string, itl: string): Promise<void> {
  const { status, stderr } = await runMain([
    "--ttft-ms",
    ttft,
    "--itl-ms",
    itl,
    "--output-tokens",
    "16",
    "--request-count",
    "100",
    "--concurrency",
    "4",
    "--warmup-request-count",
    "8",
    "--output",
    dir,
    "--no-progress",
  ]);
  assertEquals(status, 0, stderr);
}

async function compare(a: string, b: string, output: string) {
  let stdout = "";
  let stderr = "";
  const status = await reportMain([a, b, "--output", output], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
  });
  return { status, stdout, stderr };
}

Deno.test("compare: same configuration is no significant difference; a 20 % slower server is slower", async () => {
  const root = await Deno.makeTempDir({ prefix: "plugmap-noise-" });
  try {
    // The three runs go at once, so that a load on the machine (a heavy test beside this one)
    // falls on all three alike instead of on one run's timings only.
    await Promise.all([
      run(`${root}/a`, "40", "4"),
      run(`${root}/a2`, "40", "4"),
      run(`${root}/slow`, "48", "4.8"),
    ]);

    const same = await compare(`${root}/a`, `${root}/a2`, `${root}/same.html`);
    assertEquals(same.status, 0, same.stderr);
    assert(same.stdout.includes("No significant difference"), same.stdout);
    assert(!/\b(worse|better) \(/.test(same.stdout), same.stdout);

    const slow = await compare(`${root}/a`, `${root}/slow`, `${root}/slow.html`);
    assertEquals(slow.status, 0, slow.stderr);
    assert(slow.stdout.includes("B is slower/worse"), slow.stdout);
    const ttft = slow.stdout.split("\n").find((l) => l.includes("TTFT p50"))!;
    assert(ttft.includes("worse ("), ttft);
    const html = await Deno.readTextFile(`${root}/slow.html`);
    assert(html.includes("B is slower/worse") && html.includes("vs noise"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("compare: +11.7 % on p99 from 100 noisy requests is within noise, in words", () => {
  // Latencies spread 50-150 ms: p99 of 100 requests moves by tens of percent between samples.
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const a = Array.from({ length: 100 }, () => 50 + 100 * random() ** 3);
  const b = a.map((v, i) => i === 99 ? v : v * 1.02);
  const p99 = (xs: number[]) => [...xs].sort((x, y) => x - y)[98]!;
  const [v] = judgeNoise(
    [{ metric: "time_to_first_token", stat: "p99", a: p99(a), b: p99(a) * 1.117 }],
    { time_to_first_token: a },
    { time_to_first_token: b },
  );
  assertEquals(v!.verdict, "noise", v!.words);
  assert(v!.words.startsWith("TTFT p99 +11.7 %, within noise at 100 requests"), v!.words);
});
