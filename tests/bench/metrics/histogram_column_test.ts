// Counted columns (the inter-chunk gaps): percentiles within half a step of an exact sort, the
// other statistics exact, and equal to the exact figures when the values are whole steps.
import fc from "npm:fast-check@^4.3.0";
import { computeStatistics } from "../../../src/bench/metrics/compute_statistics.ts";
import { HistogramColumn } from "../../../src/bench/metrics/histogram_column.ts";
import { PhaseTally } from "../../../src/bench/metrics/phase_tally.ts";
import type { RequestRecord } from "../../../src/bench/types.ts";
import { assert, assertEquals } from "../_assert.ts";

const PERCENTILES = [0, 1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9, 100];
const STEPS = 1000;
const HALF_STEP = 0.5 / STEPS;

function columnsOf(lists: readonly (readonly number[])[]): HistogramColumn[] {
  return lists.map((list) => {
    const column = new HistogramColumn(STEPS);
    for (const v of list) column.push(v);
    return column;
  });
}

// Within half a step, with room for the rounding of the step's value and the interpolation.
function near(got: number, want: number, slack: number): boolean {
  return Math.abs(got - want) <= slack + 1e-9 * Math.max(1, Math.abs(want));
}

Deno.test("HistogramColumn: percentiles within half a step of an exact sort, the rest exact", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.array(
          fc.oneof(
            fc.double({ min: 0, max: 5000, noNaN: true }),
            fc.double({ min: -50, max: 50, noNaN: true }),
            fc.integer({ min: 0, max: 3 }),
          ),
          { maxLength: 60 },
        ),
        { minLength: 1, maxLength: 4 },
      ),
      (lists) => {
        const want = computeStatistics(lists.flat(), "ms", PERCENTILES);
        const got = HistogramColumn.statistics(columnsOf(lists), "ms", PERCENTILES);
        if (want === undefined) return got === undefined;
        assert(got !== undefined);
        assertEquals([got.count, got.min, got.max, got.resolution], [
          want.count,
          want.min,
          want.max,
          1 / STEPS,
        ]);
        assert(near(got.avg, want.avg, 0), `avg ${got.avg} vs ${want.avg}`);
        assert(near(got.std!, want.std!, 1e-6 * Math.max(1, want.std!)), `std`);
        const wanted = want as unknown as Record<string, number>;
        const gotten = got as unknown as Record<string, number>;
        for (const p of PERCENTILES) {
          const key = `p${p}`;
          assert(
            near(gotten[key]!, wanted[key]!, HALF_STEP),
            `${key} ${gotten[key]} vs ${wanted[key]}`,
          );
        }
        return true;
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("HistogramColumn: values that are whole steps give the exact sort's figures", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 2_000_000 }), { minLength: 1, maxLength: 200 }),
      (steps) => {
        const values = steps.map((s) => s / STEPS);
        const want = computeStatistics(values, "ms", PERCENTILES)!;
        const got = HistogramColumn.statistics(columnsOf([values]), "ms", PERCENTILES)!;
        const { avg, std, resolution, ...exact } = got;
        const { avg: wantAvg, std: wantStd, ...wantExact } = want;
        assertEquals(exact, wantExact);
        assertEquals(resolution, 0.001);
        return near(avg, wantAvg, 0) && near(std!, wantStd!, 1e-6 * Math.max(1, wantStd!));
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("HistogramColumn: a value it cannot count is a RangeError, as is a bad resolution", () => {
  const column = new HistogramColumn(STEPS);
  for (const bad of [NaN, Infinity, 1e300]) {
    let error: unknown;
    try {
      column.push(bad);
    } catch (e) {
      error = e;
    }
    assert(error instanceof RangeError && error.message.startsWith("Cannot count"), String(bad));
  }
  assertEquals(column.length, 0);
  let error: unknown;
  try {
    new HistogramColumn(0.5);
  } catch (e) {
    error = e;
  }
  assert(error instanceof RangeError);
});

Deno.test("PhaseTally: inter_chunk_latency counted per µs, the other metrics exact", () => {
  const random = mulberry32(7);
  const tally = new PhaseTally();
  const gaps: number[] = [];
  const latencies: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const chunks = [0];
    for (let c = 0; c < 32; c++) chunks.push(chunks.at(-1)! + random() * (c === 5 ? 900 : 3));
    const icl = chunks.slice(1).map((t, j) => t - chunks[j]!);
    gaps.push(...icl);
    latencies.push(chunks.at(-1)!);
    tally.add(record(i, icl, chunks.at(-1)!));
  }
  const metrics = tally.metrics(PERCENTILES);
  const icl = metrics.inter_chunk_latency!;
  const want = computeStatistics(gaps, "ms", PERCENTILES)!;
  assertEquals([icl.count, icl.min, icl.max, icl.resolution], [
    gaps.length,
    want.min,
    want.max,
    0.001,
  ]);
  for (const p of PERCENTILES) {
    const key = `p${p}` as "p50";
    assert(near(icl[key]!, want[key]!, HALF_STEP), `${key} ${icl[key]} vs ${want[key]}`);
  }
  // A per-request metric is kept value by value: its percentiles are the exact sort's.
  const { avg, std, ...exact } = metrics.request_latency!;
  const { avg: _a, std: _s, ...wantExact } = computeStatistics(latencies, "ms", PERCENTILES)!;
  assertEquals(exact, wantExact);
  assertEquals(metrics.request_latency!.resolution, undefined);
  assert(avg > 0 && std! > 0);
});

function record(index: number, icl: number[], latency: number): RequestRecord {
  return {
    phase: "profiling",
    index,
    start_ms: 0,
    conversation_index: index,
    turn_index: 0,
    end_ms: latency,
    chunks_ms: [],
    tokens: {
      output: 32,
      reasoning: 0,
      output_source: "usage",
      reasoning_source: "usage",
      input_source: "none",
    },
    metrics: {
      request_latency: { value: latency, unit: "ms" },
      inter_chunk_latency: { value: icl, unit: "ms" },
    },
  };
}

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
