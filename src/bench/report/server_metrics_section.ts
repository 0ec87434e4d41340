import { chartFigure, type ChartSpec, escapeHtml } from "./_html.ts";
import type { RunView } from "./run_view.ts";

/**
 * The report's "Server" section: the server's charts (from `serverMetricsCharts`), then per
 * phase the scrapes and their cost, the server's TTFT beside the client's, and the known
 * metrics with their headline figure. Empty when the run scraped no metrics endpoint.
 *
 * @param run The run.
 * @param charts Its server charts.
 * @returns HTML.
 *
 * @example
 * ```ts
 * import { serverMetricsSection } from "./server_metrics_section.ts";
 *
 * if (serverMetricsSection({ phases: [] } as never, []) !== "") throw new Error("wrong");
 * ```
 */
export function serverMetricsSection(run: RunView, charts: readonly ChartSpec[]): string {
  const phases = run.phases.filter((p) => p.summary.server_metrics !== undefined);
  if (phases.length === 0) return "";
  const parts = [`<h2>Server</h2>`];
  if (charts.length > 0) parts.push(`<div class="grid">${charts.map(chartFigure).join("")}</div>`);
  for (const phase of phases) {
    const s = phase.summary.server_metrics as ServerView;
    const c = s.collection;
    const cost = c.scrape_ms === undefined
      ? ""
      : `, ${c.scrape_ms.p50.toFixed(1)} ms per scrape (p99 ${c.scrape_ms.p99.toFixed(1)} ms, in ` +
        `the ${c.thread === "worker" ? "collector's worker" : "main thread"})`;
    parts.push(
      `<p><b>${escapeHtml(phase.name)}</b>: ${s.summary.endpoints_successful.length} of ` +
        `${s.summary.endpoints_configured.length} endpoint(s), ${c.scrapes} scrapes ` +
        `(${c.failed_scrapes} failed)${escapeHtml(cost)}` +
        (s.ttft_comparison === undefined ? "" : `. ${escapeHtml(s.ttft_comparison.sentence)}`) +
        "</p>",
    );
    if (s.highlights.length > 0) {
      const rows = s.highlights.map((h) =>
        `<tr><td>${escapeHtml(h.title)}</td><td><code>${escapeHtml(h.metric)}</code></td>` +
        `<td>${escapeHtml(h.stat)}</td><td>${format(h.value)} ${escapeHtml(h.unit)}</td></tr>`
      );
      parts.push(
        `<table><thead><tr><th>Known metric</th><th>Name</th><th>Figure</th><th>Value</th>` +
          `</tr></thead><tbody>${rows.join("")}</tbody></table>`,
      );
    }
    for (const w of s.warnings) parts.push(`<p class="warning">${escapeHtml(w)}</p>`);
  }
  return parts.join("\n");
}

interface ServerView {
  readonly summary: {
    readonly endpoints_configured: readonly string[];
    readonly endpoints_successful: readonly string[];
  };
  readonly collection: {
    readonly scrapes: number;
    readonly failed_scrapes: number;
    readonly thread: string;
    readonly scrape_ms?: { readonly p50: number; readonly p99: number };
  };
  readonly highlights: readonly {
    readonly title: string;
    readonly metric: string;
    readonly stat: string;
    readonly value: number;
    readonly unit: string;
  }[];
  readonly ttft_comparison?: { readonly sentence: string };
  readonly warnings: readonly string[];
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 || Number.isInteger(value) ? value.toFixed(0) : value.toFixed(2);
}
