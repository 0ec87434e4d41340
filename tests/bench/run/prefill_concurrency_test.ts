// AIPerf's --prefill-concurrency: at most N requests between their send and their first token,
// seen by a server written independently of ours (Python's stdlib) that logs when each request
// arrived and when it wrote the first and last token; the slots, their ramp and their mistakes.
import { assert, assertEquals, assertThrows } from "../_assert.ts";
import { runMain, withServerProcess } from "../_helpers.ts";
import { BenchConfigError } from "../../../src/bench/config/bench_config_error.ts";
import { parseBenchArgs } from "../../../src/bench/config/parse_bench_args.ts";
import { resolveSettings } from "../../../src/bench/config/resolve_settings.ts";
import { PrefillGate } from "../../../src/bench/run/_prefill_gate.ts";
import { shardSettings } from "../../../src/bench/shard/shard_settings.ts";

const SCRIPT = new URL("../servers/sse_server.py", import.meta.url).pathname;

interface Times {
  arrived: number;
  first: number;
  last: number;
}

// The most intervals open at once; one that ends exactly when another starts does not overlap.
function peak(intervals: readonly [number, number][]): number {
  const edges = intervals.flatMap(([a, b]) => [[a, 1], [b, -1]] as const)
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let open = 0;
  let most = 0;
  for (const [, step] of edges) most = Math.max(most, open += step);
  return most;
}

// One run against the Python server (TTFT 60 ms, then 8 tokens 20 ms apart): what it saw.
async function run(extra: string[]) {
  const dir = await Deno.makeTempDir();
  const times = `${dir}/times.jsonl`;
  try {
    const options = { ttft_ms: 60, gap_ms: 20, output: 8, times };
    return await withServerProcess("python3", SCRIPT, options, async (url) => {
      const out = await runMain([
        "--url",
        url,
        "--concurrency",
        "6",
        "--request-count",
        "24",
        "--warmup-request-count",
        "0",
        "--no-progress",
        "--output",
        `${dir}/out`,
        ...extra,
      ]);
      assertEquals(out.status, 0, out.stderr);
      const seen: Times[] = (await Deno.readTextFile(times)).trim().split("\n")
        .map((l) => JSON.parse(l))
        .filter((t: Times) => t.last > t.first); // not the one-token pre-flight
      const json = JSON.parse(await Deno.readTextFile(`${dir}/out/profile_export.json`));
      return {
        seen,
        prefill: peak(seen.map((t) => [t.arrived, t.first])),
        inFlight: peak(seen.map((t) => [t.arrived, t.last])),
        summary: json.phases.profiling,
        console: out.stdout + out.stderr,
      };
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("--prefill-concurrency: the server never sees more requests before their first token", async () => {
  const free = await run([]);
  const gated = await run(["--prefill-concurrency", "2"]);
  const workers = await run(["--prefill-concurrency", "2", "--workers", "2"]);
  console.log(
    `before the first token at once: ${free.prefill} free, ${gated.prefill} gated, ` +
      `${workers.prefill} gated from 2 workers; in flight: ${free.inFlight}, ${gated.inFlight}`,
  );
  assertEquals(free.seen.length, 24);
  assertEquals(gated.seen.length, 24);
  // Without the gate all 6 prefill together; with it at most 2, while more decode.
  assert(free.prefill >= 5, `free: ${free.prefill}`);
  assert(gated.prefill <= 2 && gated.prefill >= 1, `gated: ${gated.prefill}`);
  assert(workers.prefill <= 2, `workers: ${workers.prefill}`);
  assert(gated.inFlight >= 3, `in flight with the gate: ${gated.inFlight}`);
  assertEquals(free.summary.prefill_concurrency, undefined);
  const queue = gated.summary.prefill_concurrency;
  assertEquals(queue.limit, 2);
  // The first 6 are issued at once: 4 of them wait.
  assert(queue.waited_requests >= 4, `waited: ${queue.waited_requests}`);
  assert(queue.wait_ms.max >= 50, `longest wait: ${queue.wait_ms.max}`);
  assertEquals(gated.summary.request_count, 24);
  assert(
    /Prefill concurrency 2: \d+ requests waited for a slot/.test(gated.console),
    gated.console,
  );
  assert(!free.console.includes("Prefill concurrency"), "no line without the flag");
  // The wait is the gate's, not the client's lateness.
  assertEquals(gated.summary.client_lateness.warning, undefined);
});

Deno.test("--prefill-concurrency-ramp-duration: one slot, then one more every ramp / (N - 1)", async () => {
  const gate = new PrefillGate(3, 200);
  const never = new AbortController().signal;
  const t0 = performance.now();
  const granted: number[] = [];
  await Promise.all([0, 1, 2].map(async () => {
    const free = await gate.acquire(never);
    assert(free !== undefined);
    granted.push(performance.now() - t0);
  }));
  gate.dispose();
  granted.sort((a, b) => a - b);
  console.log(`granted at ${granted.map((t) => t.toFixed(0)).join(", ")} ms`);
  // Never before its step (timers are never early); how late is up to the machine.
  assert(granted[0]! < 100, `first at ${granted[0]}`);
  assert(granted[1]! >= 99, `second at ${granted[1]}`);
  assert(granted[2]! >= 199, `third at ${granted[2]}`);
  assertEquals(gate.report().waited_requests, 2);
  assertEquals(gate.report().ramp_ms, 200);
});

Deno.test("PrefillGate: first come first served; a slot frees once; an abort leaves the queue", async () => {
  const gate = new PrefillGate(1);
  const never = new AbortController().signal;
  const first = (await gate.acquire(never))!;
  const order: string[] = [];
  const abort = new AbortController();
  const second = gate.acquire(never).then((free) => (order.push("second"), free));
  const dropped = gate.acquire(abort.signal);
  const third = gate.acquire(never).then((free) => (order.push("third"), free));
  abort.abort();
  assertEquals(await dropped, undefined);
  first();
  first(); // twice: still one slot
  const freeSecond = (await second)!;
  await new Promise((r) => setTimeout(r, 20));
  assertEquals(order, ["second"]);
  freeSecond();
  (await third)!();
  assertEquals(order, ["second", "third"]);
  const report = gate.report();
  assertEquals([report.limit, report.waited_requests], [1, 3]);
  assertEquals(await gate.acquire(abort.signal), undefined);
  gate.dispose();
});

const settings = (argv: string[]) => resolveSettings(parseBenchArgs(argv));

Deno.test("--prefill-concurrency settings: the warmup's own or the run's; mistakes named", () => {
  const s = settings([
    "--concurrency",
    "8",
    "--prefill-concurrency",
    "3",
    "--prefill-concurrency-ramp-duration",
    "2",
    "--warmup-request-count",
    "4",
  ]);
  assertEquals(s.profiling, { requestCount: 100, prefillConcurrency: 3, prefillRampMs: 2000 });
  assertEquals(s.warmup, { requestCount: 4, prefillConcurrency: 3, prefillRampMs: 2000 });
  const w = settings([
    "--prefill-concurrency",
    "3",
    "--warmup-prefill-concurrency",
    "1",
    "--warmup-request-count",
    "4",
  ]);
  assertEquals([w.warmup?.prefillConcurrency, w.profiling.prefillConcurrency], [1, 3]);
  const refused = (argv: string[]) => {
    const error = assertThrows(() => settings(argv));
    assert(error instanceof BenchConfigError, String(error));
    return error.message;
  };
  assertEquals(
    refused(["--prefill-concurrency-ramp-duration", "5"]),
    "Invalid flag --prefill-concurrency-ramp-duration: needs --prefill-concurrency",
  );
  assert(
    /--prefill-concurrency: needs a streamed reply.*--no-streaming/.test(
      refused(["--prefill-concurrency", "2", "--no-streaming"]),
    ),
  );
  assert(
    /openai_embeddings endpoint does not stream/.test(
      refused(["--prefill-concurrency", "2", "--endpoint-type", "embeddings"]),
    ),
  );
  assert(
    /--prefill-concurrency: 9 is above the 4 requests in flight/.test(
      refused(["--prefill-concurrency", "9", "--concurrency", "4"]),
    ),
  );
  assert(
    /--warmup-prefill-concurrency: 3 is above the 2/.test(
      refused(["--warmup-prefill-concurrency", "3", "--warmup-concurrency", "2"]),
    ),
  );
  // Over shards the slots add up to the whole; fewer slots than shards is refused.
  const shard = (index: number, count: number) => ({ index, count, from: "--shard" });
  const whole = resolveSettings({ ...parseBenchArgs(["--prefill-concurrency", "5"]), output: "o" });
  const shares = [0, 1].map((index) =>
    shardSettings(whole, shard(index, 2)).settings.profiling.prefillConcurrency
  );
  assertEquals(shares, [3, 2]);
  const few = resolveSettings({ ...parseBenchArgs(["--prefill-concurrency", "2"]), output: "o" });
  const error = assertThrows(() => shardSettings(few, shard(0, 3)));
  assert(/--prefill-concurrency: 2 is fewer than the 3 shards/.test(error.message), error.message);
});
