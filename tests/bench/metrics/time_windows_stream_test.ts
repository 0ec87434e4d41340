// The time windows read the records one at a time, twice: the same windows as the whole list
// held in memory (the way they were computed before records were streamed).
import fc from "npm:fast-check@^4.3.0";
import { computeStatistics } from "../../../src/bench/metrics/compute_statistics.ts";
import { timeWindows } from "../../../src/bench/metrics/time_windows.ts";
import type { Metrics, RequestRecord, TimeWindow } from "../../../src/bench/types.ts";
import { assertEquals } from "../_assert.ts";

// The windows from the whole list at once: what the run computed before streaming.
function windowOf(records: readonly RequestRecord[], start: number, end: number): TimeWindow {
  const ok = records.filter((r) => r.error === undefined);
  const values = new Map<string, { unit: string; list: number[] }>();
  for (const r of ok) {
    for (const [name, m] of Object.entries(r.metrics)) {
      if (typeof m.value !== "number") continue;
      const entry = values.get(name) ?? { unit: m.unit, list: [] };
      entry.list.push(m.value);
      values.set(name, entry);
    }
  }
  const metrics: Record<string, unknown> = {};
  for (const [name, { unit, list }] of values) {
    metrics[name] = computeStatistics(list, unit, [50, 90, 99]);
  }
  return {
    start_ms: start,
    end_ms: end,
    request_count: ok.length,
    error_request_count: records.length - ok.length,
    request_throughput: ok.length / (Math.max(end - start, 1e-9) / 1000),
    metrics: metrics as Metrics,
  };
}

function held(records: readonly RequestRecord[], sliceMs: number) {
  if (records.length === 0) return { slices: [] as TimeWindow[], steady: undefined };
  const start = Math.min(...records.map((r) => r.end_ms));
  const end = Math.max(...records.map((r) => r.start_ms));
  const kept = records.filter((r) => r.start_ms >= start && r.end_ms <= end);
  const steady = kept.length === 0 || end <= start
    ? undefined
    : { ...windowOf(kept, start, end), left_out: records.length - kept.length };
  const count = Math.floor(end / sliceMs) + 1;
  const buckets: RequestRecord[][] = Array.from({ length: count }, () => []);
  for (const r of records) buckets[Math.floor(r.start_ms / sliceMs)]!.push(r);
  return { slices: buckets.map((b, i) => windowOf(b, i * sliceMs, (i + 1) * sliceMs)), steady };
}

const recordArb = fc.record({
  start: fc.integer({ min: 0, max: 5000 }),
  latency: fc.integer({ min: 1, max: 2000 }),
  ttft: fc.double({ min: 0, max: 100, noNaN: true }),
  failed: fc.boolean(),
}).map(({ start, latency, ttft, failed }): RequestRecord => ({
  phase: "profiling",
  index: 0,
  start_ms: start,
  end_ms: start + latency,
  conversation_index: 0,
  turn_index: 0,
  chunks_ms: [],
  tokens: {
    output: 3,
    reasoning: 0,
    output_source: "usage",
    reasoning_source: "none",
    input_source: "none",
  },
  metrics: failed ? {} : {
    request_latency: { value: latency, unit: "ms" },
    time_to_first_token: { value: ttft, unit: "ms" },
    inter_chunk_latency: { value: [1, 2], unit: "ms" },
  },
  ...(failed ? { error: "HTTP 500", error_kind: "http" as const } : {}),
}));

Deno.test("time windows: read twice one record at a time, the same as the list held", () => {
  fc.assert(
    fc.property(
      fc.array(recordArb, { maxLength: 80 }),
      fc.integer({ min: 50, max: 3000 }),
      (records, sliceMs) => {
        let reads = 0;
        const got = timeWindows(() => {
          reads++;
          return records.values();
        }, sliceMs);
        const want = held(records, sliceMs);
        assertEquals(got.steady_state, want.steady);
        assertEquals(got.time_slices, { slice_ms: sliceMs, slices: want.slices });
        assertEquals(reads, records.length === 0 ? 1 : 2);
      },
    ),
    { numRuns: 300 },
  );
});
