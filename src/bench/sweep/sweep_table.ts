import { boxTable } from "../exporters/tables.ts";
import { formatNumber } from "../report/shared.ts";
import { pointStat, type SweepData } from "./sweep_data.ts";

/**
 * Renders a sweep as a console table, one row per value: requests/s, output tokens/s, TTFT and
 * ITL p50 and p99, request latency p99, goodput, errors.
 *
 * @param sweep The sweep.
 * @param width The widest the table may be; columns go from the right to fit.
 * @returns The table text.
 *
 * @example
 * ```ts
 * import { sweepTable } from "./sweep_table.ts";
 *
 * const text = sweepTable({ field: "concurrency", values: [1], benchmark: {}, points: [
 *   { value: 1, ok: 5, errors: 0, duration_ms: 100,
 *     metrics: { request_throughput: { unit: "requests/sec", avg: 50 } } },
 * ] });
 * if (!text.includes("concurrency") || !text.includes("50")) throw new Error(text);
 * ```
 */
export function sweepTable(sweep: SweepData, width = 100): string {
  const columns = [
    [sweep.field, "", ""],
    ["req/s", "request_throughput", "avg"],
    ["tokens/s", "output_token_throughput", "avg"],
    ["TTFT p50", "time_to_first_token", "p50"],
    ["TTFT p99", "time_to_first_token", "p99"],
    ["ITL p50", "inter_token_latency", "p50"],
    ["ITL p99", "inter_token_latency", "p99"],
    ["latency p99", "request_latency", "p99"],
    ["goodput", "goodput", "avg"],
  ] as const;
  const shown = columns.filter(([, m], i) =>
    i === 0 || sweep.points.some((p) => pointStat(p, m, "avg") !== undefined)
  );
  const rows = [...sweep.points].sort((a, b) => a.value - b.value).map((p) => [
    ...shown.map(([, m, s], i) => i === 0 ? String(p.value) : formatNumber(pointStat(p, m, s))),
    String(p.errors),
  ]);
  // Too wide: columns go from the right (errors stays).
  const steps = shown.map((_, i) => ({ drop: shown.length - 1 - i })).slice(0, -1);
  return boxTable(
    `plugmap bench | sweep (latencies in ms)`,
    [...shown.map(([header]) => ({ header })), { header: "errors" }],
    rows,
    width,
    steps,
  );
}
