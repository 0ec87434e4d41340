import { csvLine, csvNumber } from "../report/shared.ts";
import { orderMetrics, statKeys } from "../report/metric_catalog.ts";
import type { SweepData } from "./sweep_data.ts";
import { SWEEP_SERVER_ROLES } from "./sweep_server.ts";

/**
 * Renders a sweep as `sweep.csv`: one row per value, columns the swept setting, the successful
 * and failed requests, the duration, then `<metric>_<stat>` for every metric and statistic the
 * points have (AIPerf's metric order and statistic order; an empty cell where a point lacks one),
 * then the server's figures the points have, `server_<role>_<stat>` (`server_running_avg`,
 * `server_kv_cache_max`, `server_gpu_power_avg`; see `SWEEP_SERVER_ROLES`).
 *
 * @param sweep The sweep.
 * @returns The CSV text.
 *
 * @example
 * ```ts
 * import { sweepCsv } from "./sweep_csv.ts";
 *
 * const csv = sweepCsv({ field: "concurrency", values: [1, 2], benchmark: {}, points: [
 *   { value: 1, ok: 10, errors: 0, duration_ms: 500,
 *     metrics: { time_to_first_token: { unit: "ms", avg: 20, p99: 25 } } },
 *   { value: 2, ok: 10, errors: 1, duration_ms: 300,
 *     metrics: { time_to_first_token: { unit: "ms", avg: 21.5, p99: 30 } } },
 * ] });
 * const [header, , second] = csv.split("\n");
 * if (header !== "concurrency,request_count,error_request_count,duration_ms,time_to_first_token_avg,time_to_first_token_p99") throw new Error(header);
 * if (second !== "2,10,1,300,21.50,30") throw new Error(second);
 * ```
 */
export function sweepCsv(sweep: SweepData): string {
  const metrics = orderMetrics(new Set(sweep.points.flatMap((p) => Object.keys(p.metrics))));
  const columns: [string, string][] = [];
  for (const metric of metrics) {
    const keys: string[] = [];
    for (const p of sweep.points) {
      const stats = p.metrics[metric] as Record<string, unknown> | undefined;
      if (stats !== undefined) {
        for (const k of statKeys(stats)) if (!keys.includes(k)) keys.push(k);
      }
    }
    for (const k of keys) columns.push([metric, k]);
  }
  const server: [string, string][] = SWEEP_SERVER_ROLES.flatMap(({ role, stats }) =>
    stats.filter((stat) => sweep.points.some((p) => p.server?.[role]?.stats[stat] !== undefined))
      .map((stat) => [role, stat] as [string, string])
  );
  const lines = [
    csvLine([
      sweep.field,
      "request_count",
      "error_request_count",
      "duration_ms",
      ...columns.map(([m, k]) => `${m}_${k}`),
      ...server.map(([role, stat]) => `server_${role}_${stat}`),
    ]),
  ];
  for (const p of sweep.points) {
    lines.push(csvLine([
      String(p.value),
      String(p.ok),
      String(p.errors),
      csvNumber(p.duration_ms),
      ...columns.map(([m, k]) => csvNumber((p.metrics[m] as Record<string, unknown>)?.[k])),
      ...server.map(([role, stat]) => csvNumber(p.server?.[role]?.stats[stat])),
    ]));
  }
  return lines.join("\n") + "\n";
}
