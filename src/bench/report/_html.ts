// HTML building blocks of the reports: escaping, numbers, tables, and the page around them.
import uplotCss from "npm:uplot@^1.6.32/dist/uPlot.min.css" with { type: "text" };
import uplotJs from "npm:uplot@^1.6.32/dist/uPlot.iife.min.js" with { type: "text" };
import chartsJs from "./_charts.js" with { type: "text" };

/** One chart, drawn in the browser by `_charts.js`. */
export interface ChartSpec {
  /** The id of the element it is drawn into (unique in the page). */
  readonly id: string;
  /** Heading above the chart. */
  readonly title: string;
  /** A sentence under the heading. */
  readonly note?: string;
  /** X values, ascending. */
  readonly x: { readonly label: string; readonly values: readonly number[] };
  /** Y axis label; `log` for a logarithmic scale. */
  readonly y: { readonly label: string; readonly log?: boolean };
  /** One array of values (null for none) per series, aligned with `x.values`. */
  readonly series: readonly {
    readonly label: string;
    readonly values: readonly (number | null)[];
    readonly kind: "bars" | "line" | "points" | "line+points" | "marker";
    readonly color?: number;
    readonly dash?: boolean;
    /** Join points across gaps (nulls), so a series of a few points still draws a line. */
    readonly spanGaps?: boolean;
    /** Line width in pixels; default 2. */
    readonly width?: number;
  }[];
  /**
   * Text drawn beside each point of one series (`series` is its index), aligned with
   * `x.values`; null draws nothing.
   */
  readonly pointLabels?: {
    readonly series: number;
    readonly text: readonly (string | null)[];
  };
  /** Pixel height; default 240. */
  readonly height?: number;
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

/** A number for people: thousands separated, two decimals unless it is an integer. */
export function formatNumber(value: unknown): string {
  if (typeof value !== "number" || !Number.isFinite(value)) return "–";
  return value.toLocaleString("en-US", {
    maximumFractionDigits: Number.isInteger(value) ? 0 : 2,
    minimumFractionDigits: Number.isInteger(value) ? 0 : 2,
  });
}

/** A table; `numeric` columns are right-aligned. Cells are escaped unless wrapped by `raw`. */
export function table(
  header: readonly string[],
  rows: readonly (readonly (string | Raw)[])[],
  numericFrom = 1,
): string {
  const cell = (c: string | Raw, i: number, tag: string) =>
    `<${tag}${i >= numericFrom ? ' class="num"' : ""}>${
      typeof c === "string" ? escapeHtml(c) : c.html
    }</${tag}>`;
  return `<table><thead><tr>${header.map((h, i) => cell(h, i, "th")).join("")}</tr></thead>` +
    `<tbody>${
      rows.map((r) => `<tr>${r.map((c, i) => cell(c, i, "td")).join("")}</tr>`).join("")
    }</tbody></table>`;
}

/** Markup that is already HTML. */
export interface Raw {
  readonly html: string;
}

/** Marks `html` as markup, not text. */
export function raw(html: string): Raw {
  return { html };
}

/** The element a chart is drawn into, with its heading. */
export function chartFigure(spec: ChartSpec): string {
  return `<figure class="chart"><figcaption>${escapeHtml(spec.title)}` +
    (spec.note ? `<small>${escapeHtml(spec.note)}</small>` : "") +
    `</figcaption><div id="${escapeHtml(spec.id)}" class="plot"></div></figure>`;
}

// Text inside <script> must not close it: "</script" and "<!--" are escaped.
function scriptText(text: string): string {
  return text.replace(/<(\/script|!--)/gi, "\\u003c$1");
}

/**
 * A whole self-contained page: styles and scripts inlined (uPlot, the chart script, the data),
 * nothing fetched, so it opens from disk offline. `body` is HTML; `charts` are drawn into the
 * figures `chartFigure` made.
 */
export function page(title: string, body: string, charts: readonly ChartSpec[]): string {
  const data = JSON.stringify(charts).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${uplotCss}</style>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
<script type="application/json" id="plugmap-charts">${data}</script>
<script>${scriptText(uplotJs)}</script>
<script>${scriptText(chartsJs)}</script>
</body>
</html>
`;
}

const STYLE = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --rule: #d0d7de; --warn: #9a6700; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
h2 { font-size: 1.15rem; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
p.lead { color: var(--muted); margin: 0 0 12px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 8px 28px; }
figure.chart { margin: 12px 0; break-inside: avoid; page-break-inside: avoid; min-width: 0; }
figure.chart figcaption { font-weight: 600; margin-bottom: 4px; }
figure.chart figcaption small { display: block; font-weight: 400; color: var(--muted); }
.plot { width: 100%; min-height: 240px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 0.88rem; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 7px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
.num { text-align: right; white-space: nowrap; }
th.num { white-space: normal; }
td:first-child { white-space: nowrap; }
.metrics td:first-child { white-space: normal; min-width: 11em; }
.wide { overflow-x: auto; }
.warn { color: var(--warn); font-weight: 600; }
.ok { color: #1a7f37; }
.better { color: #1a7f37; }
.worse { color: #cf222e; }
dl.settings { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.settings dt { color: var(--muted); }
dl.settings dd { margin: 0; overflow-wrap: anywhere; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .grid { display: block; }
  h2 { break-after: avoid; }
  table { font-size: 7.5pt; }
  th, td { padding: 2px 4px; }
  .wide { overflow: visible; }
  .u-legend { font-size: 8pt; }
}
`;
