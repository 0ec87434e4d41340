import { encode } from "gpt-tokenizer/encoding/cl100k_base";
// Samplers, datasets and timing strategies on their own.
import { JsonlDataset } from "../../src/bench/datasets/jsonl_dataset.ts";
import { SyntheticDataset } from "../../src/bench/datasets/synthetic_dataset.ts";
import { RandomSampler } from "../../src/bench/samplers/random_sampler.ts";
import { SequentialSampler } from "../../src/bench/samplers/sequential_sampler.ts";
import { ShuffleSampler } from "../../src/bench/samplers/shuffle_sampler.ts";
import { FixedConcurrency } from "../../src/bench/timing/fixed_concurrency.ts";
import { RequestRate } from "../../src/bench/timing/request_rate.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "./_assert.ts";
import { tempTree } from "./_helpers.ts";

Deno.test("samplers: sequential wraps, shuffle is a permutation per pass, seeds repeat", () => {
  const seq = new SequentialSampler();
  assertEquals([0, 1, 2, 3, 4].map(() => seq.next(2)), [0, 1, 0, 1, 0]);
  const shuffle = new ShuffleSampler({ seed: 3 });
  for (let pass = 0; pass < 3; pass++) {
    const picks = Array.from({ length: 10 }, () => shuffle.next(10));
    assertEquals([...picks].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  }
  const a = new RandomSampler({ seed: 9 });
  const b = new RandomSampler({ seed: 9 });
  const picksA = Array.from({ length: 50 }, () => a.next(7));
  assertEquals(picksA, Array.from({ length: 50 }, () => b.next(7)));
  assert(picksA.every((i) => i >= 0 && i < 7));
  assert(new Set(picksA).size > 1);
});

Deno.test("datasets: synthetic sizes; jsonl fields, errors with file and line", async () => {
  const synthetic = await new SyntheticDataset({ count: 3, prompt_tokens: 4, output_tokens: 9 })
    .load();
  assertEquals(synthetic.length, 3);
  assert(synthetic.every((e) => encode(e.prompt).length === 4 && e.maxTokens === 9));
  assert(assertThrows(() => new SyntheticDataset({ count: 0 })) instanceof RangeError);

  const dir = await tempTree({
    "data/prompts.jsonl": '{"prompt":"one"}\n{"text":"two","max_tokens":5}\n',
    "data/custom.jsonl": '{"q":"three"}\n',
    "data/bad.jsonl": '{"prompt":"ok"}\n{"prompt":\n',
  });
  try {
    const base = new URL(`file://${dir}/bench.yaml`);
    const entries = await new JsonlDataset({ path: "./data/prompts.jsonl" }, { baseUrl: base })
      .load();
    assertEquals(entries, [{ prompt: "one" }, { prompt: "two", maxTokens: 5 }]);
    const custom = await new JsonlDataset({ path: `${dir}/data/custom.jsonl`, prompt_field: "q" })
      .load();
    assertEquals(custom, [{ prompt: "three" }]);
    const error = await assertRejects(() =>
      new JsonlDataset({ path: "data/bad.jsonl" }, { baseUrl: base }).load()
    );
    assert(error instanceof SyntaxError);
    assert(error.message.includes("bad.jsonl:2"), error.message);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("timing: invalid settings are RangeErrors naming the field", () => {
  const messages = [
    () => new FixedConcurrency({ concurrency: 0 }),
    () => new RequestRate({}),
    () => new RequestRate({ request_rate: 1, arrival: "bursty" }),
    () => new RequestRate({ request_rate: 1, max_concurrency: 0 }),
    () => new RequestRate({ request_rate: 1, concurrency_ramp_duration: 2 }),
  ].map((fn) => {
    const error = assertThrows(fn);
    assert(error instanceof RangeError);
    return error.message.split(":")[0];
  });
  assertEquals(messages, [
    'Invalid "concurrency"',
    'Invalid "request_rate"',
    'Invalid "arrival"',
    'Invalid "max_concurrency"',
    'Invalid "concurrency_ramp_duration"',
  ]);
});

Deno.test("timing: a request rate's cap ramps from 1 over concurrency_ramp_duration", async () => {
  const stopper = new AbortController();
  let inFlight = 0;
  const start = performance.now();
  // [ms since start, in flight] at each issue; requests last 60 ms, the cap reaches 4 at 300 ms.
  const seen: [number, number][] = [];
  await new RequestRate({
    request_rate: 10_000,
    max_concurrency: 4,
    concurrency_ramp_duration: 0.3,
  })
    .run({
      stopped: stopper.signal,
      startedAt: start,
      peek: () => undefined,
      issue() {
        if (seen.length === 40) {
          stopper.abort();
          return undefined;
        }
        seen.push([performance.now() - start, ++inFlight]);
        return new Promise((resolve) => setTimeout(() => resolve(void inFlight--), 60));
      },
    });
  // Never above the ramped cap (1 + 3 * t / 300 ms), and 4 in flight once it is over.
  for (const [at, n] of seen) {
    assert(n <= Math.min(4, 1 + Math.floor(3 * at / 300)), `${n} in flight at ${at} ms`);
  }
  assertEquals(seen[0]![1], 1);
  assertEquals(Math.max(...seen.map(([, n]) => n)), 4);
});

Deno.test("timing: request rate respects max_concurrency and stops when told", async () => {
  const stopper = new AbortController();
  let inFlight = 0;
  let peak = 0;
  let issued = 0;
  await new RequestRate({ request_rate: 10_000, max_concurrency: 2, arrival: "poisson", seed: 1 })
    .run({
      stopped: stopper.signal,
      startedAt: performance.now(),
      peek: () => undefined,
      issue() {
        if (issued === 20) {
          stopper.abort();
          return undefined;
        }
        issued++;
        peak = Math.max(peak, ++inFlight);
        return new Promise((resolve) => setTimeout(() => resolve(void inFlight--), 2));
      },
    });
  assertEquals(issued, 20);
  assertEquals(peak, 2);
  assertEquals(inFlight, 0);
});
