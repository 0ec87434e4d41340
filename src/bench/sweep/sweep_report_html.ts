import { paretoFront } from "../report/shared.ts";
import {
  chartFigure,
  type ChartSpec,
  escapeHtml,
  formatNumber,
  page,
  type Raw,
  raw,
  table,
} from "../report/shared.ts";
import { timingText } from "../report/run_report_html.ts";
import { pointStat, type SweepData, type SweepPoint } from "./sweep_data.ts";
import { sweepServerSection } from "./sweep_server_html.ts";

const LATENCY_STATS = ["p50", "p90", "p99"] as const;

/**
 * Renders a sweep as a self-contained HTML page: throughput against TTFT and ITL percentiles
 * with the Pareto front (highest throughput for the lowest p99), throughput and, when the runs
 * measured goodput, goodput against the swept setting with the load where goodput peaks; a
 * table of every value; and, when the server's metrics were scraped, what the server said at
 * each value (its running batch, queue, KV cache, TTFT, GPU).
 *
 * @param sweep The sweep.
 * @returns The HTML document.
 *
 * @example
 * ```ts
 * import { sweepReportHtml } from "./sweep_report_html.ts";
 *
 * const point = (value: number, tps: number, p99: number) => ({
 *   value, ok: 10, errors: 0, duration_ms: 100, metrics: {
 *     output_token_throughput: { unit: "tokens/sec", avg: tps },
 *     time_to_first_token: { unit: "ms", avg: p99 / 2, p50: p99 / 2, p99 },
 *   },
 * });
 * const html = sweepReportHtml({ field: "concurrency", values: [1, 2, 4], benchmark: {},
 *   points: [point(1, 100, 20), point(2, 180, 25), point(4, 170, 60)] });
 * if (!html.includes("Pareto front") || !html.includes('id="sweep-ttft"')) throw new Error("wrong");
 * ```
 */
export function sweepReportHtml(sweep: SweepData): string {
  const tokens = sweep.points.some((p) => pointStat(p, "output_token_throughput", "avg"));
  const axis: ThroughputAxis = {
    label: tokens ? "output tokens/s" : "requests/s",
    of: (p) => pointStat(p, tokens ? "output_token_throughput" : "request_throughput", "avg"),
  };
  const charts: ChartSpec[] = [];
  const fronts: Record<string, number[]> = {};

  // Latency against throughput: x must ascend, so points are drawn in throughput order.
  const byThroughput = sweep.points.filter((p) => axis.of(p) !== undefined)
    .sort((a, b) => axis.of(a)! - axis.of(b)!);
  for (const [id, metric, name] of LATENCY_CHARTS) {
    const { chart, front } = latencyChart(sweep, byThroughput, axis, id, metric, name);
    charts.push(chart);
    fronts[metric] = front;
  }

  const byValue = [...sweep.points].sort((a, b) => a.value - b.value);
  charts.push({
    id: "sweep-throughput",
    title: `Throughput by ${sweep.field}`,
    x: { label: sweep.field, values: byValue.map((p) => p.value) },
    y: { label: axis.label },
    series: [{
      label: axis.label,
      values: byValue.map((p) => axis.of(p) ?? null),
      kind: "line+points",
    }],
  });
  const goodput = goodputChart(sweep, byValue);
  if (goodput !== undefined) charts.push(goodput.chart);
  const peak = goodput?.peak;
  const rows = valueRows(byValue, fronts, peak !== undefined);
  const server = sweepServerSection(sweep, byValue);
  return page(
    "plugmap bench sweep",
    sweepBody(sweep, charts, rows, peak) + server.html,
    [...charts, ...server.charts],
  );
}

/** The throughput drawn on the x axis: output tokens/s when the runs counted tokens. */
interface ThroughputAxis {
  label: string;
  of: (p: SweepPoint) => number | undefined;
}

const LATENCY_CHARTS = [
  ["sweep-ttft", "time_to_first_token", "TTFT"],
  ["sweep-itl", "inter_token_latency", "ITL"],
] as const;

/** One latency metric's percentiles against throughput, with its Pareto front (swept values). */
function latencyChart(
  sweep: SweepData,
  byThroughput: SweepPoint[],
  axis: ThroughputAxis,
  id: string,
  metric: string,
  name: string,
): { chart: ChartSpec; front: number[] } {
  const p99 = (p: SweepPoint) => pointStat(p, metric, "p99") ?? pointStat(p, metric, "avg");
  const front = paretoFront(byThroughput.map((p) => ({ x: axis.of(p)!, y: p99(p) ?? NaN })));
  const chart: ChartSpec = {
    id,
    title: `Throughput against ${name}`,
    note: `One point per ${sweep.field}, labelled with its value; wide dashed line with ` +
      `rings: the Pareto front (no other ${sweep.field} gives more throughput at a lower p99)`,
    x: { label: axis.label, values: byThroughput.map((p) => axis.of(p)!) },
    y: { label: `${name} (ms)` },
    series: [
      ...LATENCY_STATS.map((stat, i) => ({
        label: `${name} ${stat}`,
        values: byThroughput.map((p) => pointStat(p, metric, stat) ?? null),
        kind: "line+points" as const,
        color: i,
      })),
      {
        label: "Pareto front (p99)",
        values: byThroughput.map((p, i) => front.includes(i) ? p99(p) ?? null : null),
        kind: "line" as const,
        color: 4,
        dash: true,
        // Wider than the p99 line it runs along, and joined across the points off the front.
        width: 5,
        spanGaps: true,
      },
    ],
    pointLabels: {
      series: LATENCY_STATS.indexOf("p99"),
      text: byThroughput.map((p) => `${sweep.field} ${p.value}`),
    },
    height: 280,
  };
  return { chart, front: front.map((i) => byThroughput[i]!.value) };
}

/** Goodput against the swept setting with its peak marked, when the runs measured goodput. */
function goodputChart(
  sweep: SweepData,
  byValue: SweepPoint[],
): { chart: ChartSpec; peak: SweepPoint } | undefined {
  const goodput = byValue.map((p) => pointStat(p, "goodput", "avg"));
  if (!goodput.some((g) => g !== undefined)) return undefined;
  let best = -Infinity;
  let peak: SweepPoint | undefined;
  byValue.forEach((p, i) => {
    if ((goodput[i] ?? -Infinity) > best) [best, peak] = [goodput[i]!, p];
  });
  const chart: ChartSpec = {
    id: "sweep-goodput",
    title: `Goodput by ${sweep.field}`,
    note: `Requests per second that met every --goodput target; the ring marks the peak`,
    x: { label: sweep.field, values: byValue.map((p) => p.value) },
    y: { label: "goodput (requests/s)" },
    series: [
      { label: "goodput", values: goodput.map((g) => g ?? null), kind: "line+points" },
      {
        label: "peak",
        values: byValue.map((p) => p === peak ? pointStat(p, "goodput", "avg")! : null),
        kind: "marker",
        color: 1,
      },
    ],
  };
  return { chart, peak: peak! };
}

/** The table's rows, one per swept value, in value order. */
function valueRows(
  byValue: SweepPoint[],
  fronts: Record<string, number[]>,
  hasGoodput: boolean,
): (string | Raw)[][] {
  const onFront = (metric: string, p: SweepPoint) => fronts[metric]?.includes(p.value) ? "yes" : "";
  return byValue.map((p) => [
    p.dir === undefined
      ? String(p.value)
      : raw(`<a href="${escapeHtml(p.dir)}/report.html">${escapeHtml(String(p.value))}</a>`),
    formatNumber(p.ok),
    formatNumber(p.errors),
    formatNumber(pointStat(p, "request_throughput", "avg")),
    formatNumber(pointStat(p, "output_token_throughput", "avg")),
    formatNumber(pointStat(p, "time_to_first_token", "p50")),
    formatNumber(pointStat(p, "time_to_first_token", "p99")),
    formatNumber(pointStat(p, "inter_token_latency", "p50")),
    formatNumber(pointStat(p, "inter_token_latency", "p99")),
    formatNumber(pointStat(p, "request_latency", "p99")),
    ...(hasGoodput ? [formatNumber(pointStat(p, "goodput", "avg"))] : []),
    onFront("time_to_first_token", p),
    onFront("inter_token_latency", p),
  ]);
}

/** The page's body: lead line, notes, the charts and the table. */
function sweepBody(
  sweep: SweepData,
  charts: ChartSpec[],
  rows: (string | Raw)[][],
  peak: SweepPoint | undefined,
): string {
  const b = sweep.benchmark;
  const lead = [
    typeof b.url === "string" ? b.url : undefined,
    timingText(b),
    `${sweep.field} swept over ${sweep.values.join(", ")}`,
  ].filter((x) => x !== undefined).join(" · ");
  const notes = [
    sweep.stopped === undefined
      ? ""
      : `<p class="warn">Stopped early: ${escapeHtml(sweep.stopped)}</p>`,
    peak === undefined
      ? ""
      : `<p><strong>Goodput peaks at ${escapeHtml(sweep.field)} ${
        escapeHtml(String(peak.value))
      }</strong> (${formatNumber(pointStat(peak, "goodput", "avg"))} requests/s).</p>`,
  ].join("");
  const figure = (id: string) => {
    const chart = charts.find((c) => c.id === id);
    return chart === undefined ? "" : chartFigure(chart);
  };
  const hasGoodput = peak !== undefined;
  return [
    `<h1>plugmap bench sweep</h1>`,
    `<p class="lead">${escapeHtml(lead)}</p>`,
    notes,
    `<h2>Latency against throughput</h2>`,
    `<div class="grid">${figure("sweep-ttft")}${figure("sweep-itl")}</div>`,
    `<h2>Load</h2>`,
    `<div class="grid">${figure("sweep-throughput")}${figure("sweep-goodput")}</div>`,
    `<h2>Every ${escapeHtml(sweep.field)}</h2>`,
    `<div class="wide">${
      table([
        sweep.field,
        "ok",
        "errors",
        "requests/s",
        "tokens/s",
        "TTFT p50",
        "TTFT p99",
        "ITL p50",
        "ITL p99",
        "latency p99",
        ...(hasGoodput ? ["goodput"] : []),
        "front TTFT",
        "front ITL",
      ], rows)
    }</div>`,
    `<p>Latencies in ms; "front": on the Pareto front of p99 against throughput. Each ${
      escapeHtml(sweep.field)
    } links to its own report when it was written.</p>`,
  ].join("\n");
}
