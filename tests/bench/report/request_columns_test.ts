// The report keeps a run's requests in columns (typed arrays), not one object each: the same
// requests come back out, the throughput buckets are those of the requests as objects, and a
// report of hundreds of thousands of requests is drawn (it overflowed the call stack).
import fc from "npm:fast-check@^4.3.0";
import { niceStep, timeBuckets } from "../../../src/bench/report/_chart_data.ts";
import {
  requestAt,
  requestColumns,
  successValues,
} from "../../../src/bench/report/request_columns.ts";
import { runReportHtml } from "../../../src/bench/report/run_report_html.ts";
import { type RequestView, toRunView } from "../../../src/bench/report/run_view.ts";
import { HtmlExporter } from "../../../src/bench/exporters/html_exporter.ts";
import type { BenchmarkResult } from "../../../src/bench/types.ts";
import { assert, assertEquals } from "../_assert.ts";

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const time = fc.double({ min: 0, max: 5000, noNaN: true, noDefaultInfinity: true });

const views = fc.array(
  fc.record({
    phase: fc.constantFrom("warmup", "profiling", "other"),
    startMs: time,
    duration: time,
    latencyMs: maybe(time),
    ttftMs: maybe(time),
    itlMs: maybe(time),
    outputTokens: maybe(fc.integer({ min: 0, max: 500 })),
    status: maybe(fc.constantFrom(200, 429, 500)),
    error: maybe(fc.constantFrom("http", "timeout", "HTTP 500: boom")),
  }).map(({ duration, ...v }) => {
    const view: Record<string, unknown> = { ...v, endMs: v.startMs + duration };
    for (const key of Object.keys(view)) if (view[key] === undefined) delete view[key];
    return view as unknown as RequestView;
  }),
  { maxLength: 120 },
);

Deno.test("requestColumns: the same requests come back, sorted by start (ties in order)", () => {
  fc.assert(
    fc.property(views, (list) => {
      const columns = requestColumns(list);
      const want = list.map((v, i) => ({ v, i })).sort((a, b) =>
        a.v.startMs - b.v.startMs || a.i - b.i
      ).map(({ v }) => v);
      assertEquals(Array.from({ length: columns.length }, (_, i) => requestAt(columns, i)), want);
      const ok = want.filter((v) => v.phase === "profiling" && v.error === undefined);
      assertEquals(
        successValues(columns, columns.ttftMs, "profiling"),
        ok.flatMap((v) => v.ttftMs === undefined ? [] : [v.ttftMs]),
      );
    }),
  );
});

// The buckets as they were computed from one object per request (before the columns).
function bucketsOfObjects(requests: readonly RequestView[], phases: readonly string[]) {
  let end = 0;
  for (const r of requests) end = Math.max(end, r.endMs);
  const latencies = requests.map((r) => r.endMs - r.startMs).sort((a, b) => a - b);
  const median = latencies[Math.floor(latencies.length / 2)] ?? 0;
  const widthMs = Math.max(10, niceStep(Math.max(end / 50, 3 * median)));
  const n = Math.max(1, Math.ceil(end / widthMs) + 1);
  const zero = () => phases.map(() => new Array<number | null>(n).fill(null));
  const [requestsPer, tokensPer, errorsPer] = [zero(), zero(), zero()];
  const seconds = widthMs / 1000;
  for (const r of requests) {
    const p = phases.indexOf(r.phase);
    const i = Math.min(n - 1, Math.floor(r.endMs / widthMs));
    const add = (rows: (number | null)[][], v: number) => rows[p]![i] = (rows[p]![i] ?? 0) + v;
    if (r.error !== undefined) {
      add(errorsPer, 1);
      add(requestsPer, 0);
      add(tokensPer, 0);
    } else {
      add(requestsPer, 1 / seconds);
      add(tokensPer, (r.outputTokens ?? 0) / seconds);
      add(errorsPer, 0);
    }
  }
  for (const [p, phase] of phases.entries()) {
    const ends = requests.filter((r) => r.phase === phase).map((r) => r.endMs);
    if (ends.length === 0) continue;
    const first = Math.floor(Math.min(...ends) / widthMs);
    const last = Math.floor(Math.max(...ends) / widthMs);
    for (let i = first; i <= Math.min(last, n - 1); i++) {
      for (const rows of [requestsPer, tokensPer, errorsPer]) rows[p]![i] ??= 0;
    }
    const phaseEnd = Math.max(...ends);
    const realMs = phaseEnd - Math.min(n - 1, last) * widthMs;
    if (realMs <= 0 || realMs >= widthMs) continue;
    for (const rows of [requestsPer, tokensPer]) {
      const value = rows[p]![Math.min(n - 1, last)];
      if (value !== null && value !== undefined) {
        rows[p]![Math.min(n - 1, last)] = value * widthMs / realMs;
      }
    }
  }
  return {
    x: Array.from({ length: n }, (_, i) => (i * widthMs) / 1000),
    widthS: seconds,
    requests: requestsPer,
    tokens: tokensPer,
    errors: errorsPer,
  };
}

Deno.test("timeBuckets over the columns equals the buckets of the requests as objects", () => {
  fc.assert(
    fc.property(views, (list) => {
      const phases = ["warmup", "profiling", "other"];
      // In start order, as the report keeps them (the sums then add in the same order).
      const sorted = list.map((v, i) => ({ v, i }))
        .sort((a, b) => a.v.startMs - b.v.startMs || a.i - b.i).map(({ v }) => v);
      assertEquals(timeBuckets(requestColumns(list), phases), bucketsOfObjects(sorted, phases));
    }),
  );
});

// 300,000 records as a run streams them, one at a time.
function* manyRecords(n: number) {
  for (let i = 0; i < n; i++) {
    yield {
      phase: "profiling",
      index: i,
      start_ms: i * 0.01,
      end_ms: i * 0.01 + 5 + (i % 7),
      conversation_index: i,
      turn_index: 0,
      chunks_ms: [],
      tokens: {
        output: 8,
        reasoning: 0,
        output_source: "usage",
        reasoning_source: "none",
        input_source: "none",
      },
      metrics: {
        time_to_first_token: { value: 1 + (i % 5), unit: "ms" },
        request_latency: { value: 5 + (i % 7), unit: "ms" },
        inter_token_latency: { value: 0.5, unit: "ms" },
        output_sequence_length: { value: 8, unit: "tokens" },
      },
      ...(i % 1000 === 0 ? { error: "HTTP 500", error_kind: "http", status: 500 } : {}),
    };
  }
}

Deno.test("a report of 300,000 requests is drawn (it overflowed the call stack)", async () => {
  const result = {
    benchmark: { url: "http://127.0.0.1:1/v1/chat/completions", streaming: true },
    phases: { profiling: { started_at: "2026-01-01T00:00:00Z", duration_ms: 3000 } },
    metrics: { request_latency: { unit: "ms", avg: 8 } },
  };
  const view = toRunView(result, manyRecords(300_000));
  assertEquals(view.requests.length, 300_000);
  assertEquals(view.errors, [{ kind: "http", status: 500, count: 300 }]);
  const html = runReportHtml(view);
  assert(html.includes("20000 shown"), "the latency-over-run chart is thinned");
  // Through the html exporter, as a run's end does: records read one at a time.
  const dir = await Deno.makeTempDir();
  try {
    const exporter = new HtmlExporter({}, { outputDir: dir, write: () => {} });
    const records = () => manyRecords(300_000) as unknown as Iterable<never>;
    const paths = await exporter.export(
      Object.defineProperty({ ...result, records: [] }, "readRecords", {
        value: records,
      }) as unknown as BenchmarkResult,
    );
    assertEquals(paths.length, 1);
    assert((await Deno.readTextFile(paths[0]!)).includes("20000 shown"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
