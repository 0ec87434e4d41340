import { chartFigure, type ChartSpec, escapeHtml, formatNumber, table } from "../report/shared.ts";
import { pointStat, type SweepData, type SweepPoint } from "./sweep_data.ts";
import { SWEEP_SERVER_ROLES } from "./sweep_server.ts";

/**
 * The sweep page's Server section: per value of the swept setting, what the server's metrics
 * said during its profiling phase (running batch and queue, KV cache, preemptions, the server's
 * TTFT beside the client's, GPU utilization, power and memory), one chart per kind of series the
 * points have (average and maximum), and a table of the figures. Empty without server metrics.
 *
 * @param sweep The sweep.
 * @param byValue Its points in value order.
 * @returns The section's charts (for the page's script) and its HTML ("" when none).
 *
 * @example
 * ```ts
 * import { sweepServerSection } from "./sweep_server_html.ts";
 *
 * const point = (value: number, running: number) => ({ value, ok: 1, errors: 0,
 *   duration_ms: 10, metrics: {}, server: { running: { metric: "vllm:num_requests_running",
 *     unit: "requests", stats: { avg: running, max: running + 1 }, series: 1 } } });
 * const sweep = { field: "concurrency", values: [1, 4], benchmark: {},
 *   points: [point(1, 0.9), point(4, 3.8)] };
 * const { charts, html } = sweepServerSection(sweep, sweep.points);
 * if (charts[0]?.id !== "sweep-server-running" || !html.includes("running requests")) {
 *   throw new Error("wrong");
 * }
 * ```
 */
export function sweepServerSection(
  sweep: SweepData,
  byValue: readonly SweepPoint[],
): { charts: ChartSpec[]; html: string } {
  const charts: ChartSpec[] = [];
  const columns: { role: string; stat: string; head: string }[] = [];
  for (const { role, title, stats } of SWEEP_SERVER_ROLES) {
    const present = stats.filter((stat) =>
      byValue.some((p) => p.server?.[role]?.stats[stat] !== undefined)
    );
    if (present.length === 0) continue;
    const unit = byValue.find((p) => p.server?.[role] !== undefined)!.server![role]!.unit;
    for (const stat of present) columns.push({ role, stat, head: `${title} ${stat} (${unit})` });
    const series: ChartSpec["series"][number][] = present.map((stat, i) => ({
      label: `${title} ${stat}`,
      values: byValue.map((p) => p.server?.[role]?.stats[stat] ?? null),
      kind: "line+points" as const,
      color: 0,
      ...(i > 0 ? { dash: true } : {}),
    }));
    if (role === "ttft") {
      series.push({
        label: "client TTFT avg",
        values: byValue.map((p) => pointStat(p, "time_to_first_token", "avg") ?? null),
        kind: "line+points",
        color: 1,
      });
    }
    charts.push({
      id: `sweep-server-${role.replaceAll("_", "-")}`,
      title: `${title[0]!.toUpperCase()}${title.slice(1)} by ${sweep.field}`,
      note: role === "ttft"
        ? "The server's own TTFT histogram (average) beside the client's TTFT average"
        : `From the server's Prometheus metrics during each value's profiling phase` +
          (present.length > 1 ? "; dashed: the maximum" : ""),
      x: { label: sweep.field, values: byValue.map((p) => p.value) },
      y: { label: unit },
      series,
    });
  }
  if (charts.length === 0) return { charts, html: "" };
  const rows = byValue.map((p) => [
    String(p.value),
    ...columns.map(({ role, stat }) => formatNumber(p.server?.[role]?.stats[stat])),
  ]);
  const html = [
    `<h2>Server</h2>`,
    `<div class="grid">${charts.map(chartFigure).join("")}</div>`,
    `<div class="wide">${table([sweep.field, ...columns.map((c) => c.head)], rows)}</div>`,
    `<p>Scraped from the server's Prometheus endpoints while each ${
      escapeHtml(sweep.field)
    } ran its profiling phase. Several series of one kind (GPUs, engines): avg is the mean of ` +
    `their averages, max the highest of any one.</p>`,
  ].join("\n");
  return { charts, html };
}
