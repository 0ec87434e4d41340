// Confidence intervals from the values the phase kept (PhaseTally's columns) are the intervals
// of the records themselves: the run no longer reads its records back to compute them.
import fc from "npm:fast-check@^4.3.0";
import {
  bootstrapColumns,
  bootstrapIntervals,
} from "../../../src/bench/metrics/bootstrap_intervals.ts";
import { PhaseTally } from "../../../src/bench/metrics/phase_tally.ts";
import type { RequestRecord } from "../../../src/bench/types.ts";
import { assert, assertEquals } from "../_assert.ts";

const PERCENTILES = [1, 50, 90, 99];

interface Shape {
  readonly latency: number;
  readonly ttft: number | null;
  readonly gaps: readonly number[];
  readonly osl: number;
  readonly turn: number;
  readonly failed: boolean;
}

function record(shape: Shape, index: number): RequestRecord {
  const metrics: Record<string, { value: number | readonly number[]; unit: string }> = {};
  // Metrics appear in a varying order and not in every record, as they do in real runs.
  if (shape.ttft !== null) metrics.time_to_first_token = { value: shape.ttft, unit: "ms" };
  metrics.request_latency = { value: shape.latency, unit: "ms" };
  if (shape.gaps.length > 0) metrics.inter_chunk_latency = { value: shape.gaps, unit: "ms" };
  metrics.output_sequence_length = { value: shape.osl, unit: "tokens" };
  return {
    phase: "profiling",
    index,
    start_ms: 0,
    end_ms: shape.latency,
    conversation_index: index,
    turn_index: shape.turn,
    chunks_ms: [],
    tokens: {
      output: shape.osl,
      reasoning: 0,
      output_source: "usage",
      reasoning_source: "none",
      input_source: "none",
    },
    metrics,
    ...(shape.failed ? { error: "boom", error_kind: "http" as const, status: 500 } : {}),
  } as RequestRecord;
}

const shapes = fc.array(
  fc.record({
    latency: fc.oneof(fc.double({ min: 0, max: 5000, noNaN: true }), fc.integer({ max: 40 })),
    ttft: fc.option(fc.double({ min: 0, max: 100, noNaN: true })),
    gaps: fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { maxLength: 5 }),
    osl: fc.integer({ min: 0, max: 300 }),
    turn: fc.integer({ min: 0, max: 2 }),
    failed: fc.boolean(),
  }),
  { maxLength: 300 },
);

function tallyOf(records: readonly RequestRecord[]): PhaseTally {
  const tally = new PhaseTally();
  for (const r of records) tally.add(r);
  return tally;
}

Deno.test("bootstrapColumns over the tally's columns equals bootstrapIntervals over the records", () => {
  fc.assert(
    fc.property(shapes, fc.integer({ min: 0, max: 1000 }), (list, seed) => {
      const records = list.map(record);
      const tally = tallyOf(records);
      // The statistics as the run reports them (which sorts the columns' blocks in place).
      const metrics = tally.metrics(PERCENTILES);
      const options = { level: 0.9, seed };
      const want = bootstrapIntervals(records, metrics, options);
      const got = bootstrapColumns(tally.valueColumns(), metrics, options);
      assertEquals(got, want);
    }),
    { numRuns: 60 },
  );
});

Deno.test("bootstrapColumns: a metric of more than 50,000 values is skipped and never read", () => {
  const records = Array.from(
    { length: 50_001 },
    (_, i) => record({ latency: i % 97, ttft: null, gaps: [], osl: 1, turn: 0, failed: false }, i),
  );
  const tally = tallyOf(records);
  const metrics = tally.metrics(PERCENTILES);
  const columns = new Map(
    [...tally.valueColumns()].map(([name, column]) => [name, {
      length: column.length,
      values: (): ArrayLike<number> => {
        throw new Error(`${name} read`);
      },
    }]),
  );
  const got = bootstrapColumns(columns, metrics, { level: 0.95, seed: 0 });
  assert(got !== undefined);
  assertEquals(got, bootstrapIntervals(records, metrics, { level: 0.95, seed: 0 }));
  assertEquals(got.skipped, "more than 50,000 requests: request_latency, output_sequence_length");
});
