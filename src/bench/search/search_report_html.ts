import {
  chartFigure,
  type ChartSpec,
  escapeHtml,
  formatNumber,
  page,
  raw,
  table,
} from "../report/shared.ts";
import { timingText } from "../report/run_report_html.ts";
import type { SearchData } from "./search_data.ts";

/**
 * Renders a search as a self-contained HTML page: the answer and its uncertainty, the share of
 * requests meeting the SLOs at each value probed against the target, and every probe in the
 * order it ran with the decision that led to it.
 *
 * @param search The search.
 * @returns The HTML document.
 *
 * @example
 * ```ts
 * import { searchReportHtml } from "./search_report_html.ts";
 *
 * const probe = (value: number, fraction: number, passed: boolean) => ({ value, passed, ok: 100,
 *   errors: 0, good: fraction * 100, fraction, fraction_interval: [fraction - 0.05, fraction] as const,
 *   why: "start", metrics: {} });
 * const html = searchReportHtml({ field: "concurrency", target: 0.95, slos: [], rules: {},
 *   probes: [probe(1, 1, true), probe(2, 0.5, false)], answer: 1, missed_at: 2,
 *   stopped: "the bracket is within the precision", summary: "Largest concurrency: 1",
 *   benchmark: {} });
 * if (!html.includes('id="search-probes"') || !html.includes("Largest concurrency")) {
 *   throw new Error("wrong");
 * }
 * ```
 */
export function searchReportHtml(search: SearchData): string {
  const byValue = [...search.probes].sort((a, b) => a.value - b.value);
  const chart: ChartSpec = {
    id: "search-probes",
    title: `Share of requests meeting every SLO, by ${search.field}`,
    note: `One point per probe; the line: the target (${formatNumber(search.target * 100)} %)`,
    x: { label: search.field, values: byValue.map((p) => p.value) },
    y: { label: "good share (%)" },
    series: [
      {
        label: "good share",
        values: byValue.map((p) => p.fraction * 100),
        kind: "line+points",
      },
      {
        label: "target",
        values: byValue.map(() => search.target * 100),
        kind: "line",
        color: 1,
        dash: true,
      },
    ],
    pointLabels: { series: 0, text: byValue.map((p) => (p.passed ? "meets" : "misses")) },
  };
  const rows = search.probes.map((p, i) => [
    String(i + 1),
    p.dir === undefined
      ? String(p.value)
      : raw(`<a href="${escapeHtml(p.dir)}/report.html">${escapeHtml(String(p.value))}</a>`),
    `${formatNumber(p.fraction * 100)} %`,
    `${formatNumber(p.fraction_interval[0] * 100)}–${formatNumber(p.fraction_interval[1] * 100)} %`,
    formatNumber(p.ok),
    formatNumber(p.errors),
    p.passed ? "meets" : "misses",
    p.why,
  ]);
  const slos = search.slos.map((s) => `${s.metric} ${s.limit}`).join(", ");
  const b = search.benchmark;
  const lead = [
    typeof b.url === "string" ? b.url : undefined,
    timingText(b),
    `target: ${formatNumber(search.target * 100)} % of requests within ${slos || "the SLOs"}`,
  ].filter((x) => x !== undefined).join(" · ");
  const body = [
    `<h1>plugmap bench search</h1>`,
    `<p class="lead">${escapeHtml(lead)}</p>`,
    `<p><strong>${escapeHtml(search.summary)}</strong></p>`,
    `<p>Stopped: ${escapeHtml(search.stopped)}.</p>`,
    `<div class="grid">${chartFigure(chart)}</div>`,
    `<h2>Probes, in the order they ran</h2>`,
    `<div class="wide">${
      table(
        ["#", search.field, "good", "95 % interval", "ok", "errors", "target", "why this value"],
        rows,
      )
    }</div>`,
    `<p>Each probe is a full benchmark (warmup, then profiling) at one value; each links to its ` +
    `own report when it was written.</p>`,
  ].join("\n");
  return page("plugmap bench search", body, [chart]);
}
