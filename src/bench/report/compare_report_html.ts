import { histogram } from "./_chart_data.ts";
import { chartFigure, escapeHtml, formatNumber, page, raw, table } from "./_html.ts";
import { metricInfo, orderMetrics } from "./metric_catalog.ts";
import type { NoiseVerdict } from "./judge_noise.ts";
import { noiseSummary } from "./noise_summary.ts";
import { rerunDifferences } from "../rerun/rerun_differences.ts";
import type { RunConfig } from "../types.ts";
import { emptyNote, histogramChart, timingText } from "./run_report_html.ts";
import type { RunView } from "./run_view.ts";
import { type RequestColumns, successValues } from "./request_columns.ts";

const COMPARED = ["avg", "p50", "p90", "p99"] as const;

/** One row of a comparison: a metric's statistic in both runs. */
export interface MetricDelta {
  readonly metric: string;
  readonly stat: string;
  readonly unit: string;
  readonly a: number;
  readonly b: number;
  /** `(b - a) / a` in percent; undefined when `a` is 0. */
  readonly percent?: number;
}

/**
 * The statistics two runs share (`avg`, `p50`, `p90`, `p99` of every metric both have), with
 * B's change against A.
 *
 * @param a The baseline run.
 * @param b The run compared with it.
 * @returns One entry per metric and statistic, in AIPerf's metric order.
 *
 * @example
 * ```ts
 * import { metricDeltas } from "./compare_report_html.ts";
 * import { toRunView } from "./run_view.ts";
 *
 * const run = (p99: number) => toRunView({ metrics: { request_latency: { unit: "ms", avg: 10, p99 } } });
 * const [avg, p99] = metricDeltas(run(20), run(30));
 * if (avg?.percent !== 0 || p99?.percent !== 50) throw new Error("wrong");
 * ```
 */
export function metricDeltas(a: RunView, b: RunView): MetricDelta[] {
  const out: MetricDelta[] = [];
  for (const metric of orderMetrics(Object.keys(a.metrics))) {
    const sa = a.metrics[metric]!;
    const sb = b.metrics[metric];
    if (sb === undefined) continue;
    for (const stat of COMPARED) {
      const va = sa[stat];
      const vb = sb[stat];
      if (typeof va !== "number" || typeof vb !== "number") continue;
      out.push({
        metric,
        stat,
        unit: typeof sa.unit === "string" ? sa.unit : "",
        a: va,
        b: vb,
        ...(va === 0 ? {} : { percent: ((vb - va) / Math.abs(va)) * 100 }),
      });
    }
  }
  return out;
}

// Higher is better for throughputs and goodput; lower for latencies; neither for sizes.
function direction(metric: string): 1 | -1 | 0 {
  if (/throughput|goodput/.test(metric)) return 1;
  if (/latency|time_to|error/.test(metric)) return -1;
  return 0;
}

/**
 * Renders two runs side by side: every shared statistic with B's change against A (green when
 * better, red when worse), and both runs' TTFT, ITL and request latency distributions on one
 * chart each.
 *
 * @param a The baseline run and its label (e.g. its directory).
 * @param b The run compared with it and its label.
 * @returns The HTML document.
 *
 * @example
 * ```ts
 * import { compareReportHtml } from "./compare_report_html.ts";
 * import { toRunView } from "./run_view.ts";
 *
 * const run = toRunView({ metrics: { request_latency: { unit: "ms", avg: 10 } } });
 * const html = compareReportHtml({ label: "a", run }, { label: "b", run });
 * if (!html.includes('id="compare-ttft"')) throw new Error("wrong");
 * ```
 */
export function compareReportHtml(
  a: { label: string; run: RunView },
  b: { label: string; run: RunView },
  verdicts?: readonly NoiseVerdict[],
): string {
  const ok = (run: RunView, pick: (r: RequestColumns) => Float64Array) =>
    successValues(run.requests, pick(run.requests), "profiling");
  const labels = [a.label, b.label];
  const charts = (
    [
      ["compare-ttft", "Time to first token", "TTFT (ms)", (r: RequestColumns) => r.ttftMs],
      ["compare-itl", "Inter-token latency", "ITL (ms)", (r: RequestColumns) => r.itlMs],
      ["compare-latency", "Request latency", "latency (ms)", (r: RequestColumns) => r.latencyMs],
    ] as const
  ).map(([id, name, label, pick]) => {
    const empty = emptyNote(a.run, id !== "compare-latency", [a.run.requests, b.run.requests]);
    return histogramChart(
      id,
      name,
      label,
      histogram([ok(a.run, pick), ok(b.run, pick)]),
      labels,
      empty,
    );
  });
  const rows = metricDeltas(a.run, b.run).map((d, i) => {
    const dir = direction(d.metric);
    const verdict = verdicts?.[i];
    // With records, only a change larger than the noise is coloured.
    const sign = verdict !== undefined && verdict.verdict !== "unknown"
      ? (verdict.verdict === "better" || verdict.verdict === "worse" ? verdict.verdict : "")
      : d.percent === undefined || dir === 0 || Math.abs(d.percent) < 0.5
      ? ""
      : Math.sign(d.percent) === dir
      ? "better"
      : "worse";
    const percent = d.percent === undefined
      ? "–"
      : `${d.percent >= 0 ? "+" : ""}${d.percent.toFixed(1)}%`;
    return [
      `${metricInfo(d.metric).header} (${d.unit})`,
      d.stat,
      formatNumber(d.a),
      formatNumber(d.b),
      raw(`<span class="${sign}">${escapeHtml(percent)}</span>`),
      ...(verdicts === undefined ? [] : [noiseCell(verdict)]),
    ];
  });
  const describe = (x: { label: string; run: RunView }, name: string) => {
    const b = x.run.benchmark;
    return `<p><strong>${name}</strong>: ${escapeHtml(x.label)} · ${
      escapeHtml([b.url, timingText(b), b.started_at].filter((v) => v !== undefined).join(" · "))
    }</p>`;
  };
  const body = [
    `<h1>plugmap bench comparison</h1>`,
    describe(a, "A"),
    describe(b, "B"),
    `<h2>Distributions (profiling)</h2>`,
    `<div class="grid">${charts.map(chartFigure).join("")}</div>`,
    `<h2>What differs in how they ran</h2>`,
    configDifferences(a.run, b.run),
    `<h2>Metrics: B against A</h2>`,
    ...(verdicts === undefined ? [] : [
      `<p><strong>${escapeHtml(noiseSummary(verdicts))}</strong></p>`,
      `<p>A change is marked only when its interval (bootstrap over each run's requests, 95 % ` +
      `over all statistics together) excludes no change and it is at least 5 % (and 1 ms for a time).</p>`,
    ]),
    `<div class="wide">${
      table(
        ["Metric", "stat", "A", "B", "change", ...(verdicts === undefined ? [] : ["vs noise"])],
        rows,
        2,
      )
    }</div>`,
  ].join("\n");
  return page("plugmap bench comparison", body, charts);
}

function configDifferences(a: RunView, b: RunView): string {
  const [ca, cb] = [a.extra.run_config, b.extra.run_config];
  const ok = (c: unknown): c is RunConfig =>
    typeof c === "object" && c !== null && Array.isArray((c as RunConfig).command_line);
  if (!ok(ca) || !ok(cb)) {
    return `<p>${ok(ca) ? "B" : "A"} has no run description (an older export): not compared.</p>`;
  }
  const differences = rerunDifferences(ca, cb);
  return differences.length === 0
    ? "<p>The same settings, files, plugmap and environment.</p>"
    : `<ul>${differences.map((d) => `<li>${escapeHtml(d)}</li>`).join("")}</ul>`;
}

function noiseCell(v: NoiseVerdict | undefined): string {
  if (v?.interval === undefined) return "–";
  const f = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(1)}`;
  const range = `${f(v.interval[0])} to ${f(v.interval[1])} %`;
  return v.verdict === "noise" ? `within noise (${range})` : `${v.verdict} (${range})`;
}
