import { serverMetricsCharts } from "./server_metrics_charts.ts";
import { serverMetricsSection } from "./server_metrics_section.ts";
import { type Histogram, histogram, timeBuckets } from "./_chart_data.ts";
import {
  chartFigure,
  type ChartSpec,
  escapeHtml,
  formatNumber,
  page,
  type Raw,
  table,
} from "./_html.ts";
import { metricInfo, orderMetrics, statKeys } from "./metric_catalog.ts";
import { runConfigHtml } from "./run_config_html.ts";
import { timeWindowsHtml } from "./time_windows_html.ts";
import type { RunView, StatsView } from "./run_view.ts";
import { anySucceeded, type RequestColumns, successValues } from "./request_columns.ts";

// Latency-over-the-run charts draw at most this many requests (evenly thinned beyond).
const MAX_POINTS = 20_000;

/**
 * Renders one run as a self-contained HTML page: the metrics table; TTFT, ITL and request
 * latency distributions per phase; latency over the run; throughput and errors over time, per
 * phase; the phases; the error breakdown; the client lateness guard; the run's settings.
 * Charts are drawn by uPlot, inlined with the data, so the file opens offline from disk.
 *
 * @param run The run, e.g. from {@linkcode toRunView}.
 * @param title The page title; default `plugmap bench report`.
 * @returns The HTML document.
 *
 * @example
 * ```ts
 * import { runReportHtml } from "./run_report_html.ts";
 * import { toRunView } from "./run_view.ts";
 *
 * const html = runReportHtml(toRunView({
 *   benchmark: { url: "http://127.0.0.1:8000/v1/chat/completions" },
 *   phases: { profiling: { started_at: "2025-01-01T00:00:00Z", duration_ms: 30 } },
 *   metrics: { time_to_first_token: { unit: "ms", avg: 21, p50: 20, p99: 25 } },
 * }, [{ phase: "profiling", start_ms: 0, request_latency_ms: 30, time_to_first_token_ms: 21 }]));
 * if (!html.includes('id="chart-ttft"') || html.includes("<link")) throw new Error("wrong");
 * ```
 */
export function runReportHtml(run: RunView, title = "plugmap bench report"): string {
  const server = serverMetricsCharts(run);
  const charts = [...runCharts(run), ...server];
  const b = run.benchmark;
  const subtitle = [
    typeof b.url === "string" ? b.url : undefined,
    timingText(b),
    typeof b.started_at === "string" ? `started ${b.started_at}` : undefined,
  ].filter((x) => x !== undefined).join(" · ");
  const byId = new Map(charts.map((c) => [c.id, c]));
  const figures = (...ids: string[]) =>
    ids.map((id) => byId.get(id)).filter((c) => c !== undefined).map(chartFigure).join("");
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="lead">${escapeHtml(subtitle)}</p>`,
    notices(run),
    `<h2>Metrics (profiling)</h2>`,
    `<div class="wide metrics">${metricsTable(run.metrics)}</div>`,
    `<h2>Distributions</h2>`,
    `<div class="grid">${figures("chart-ttft", "chart-itl", "chart-latency")}</div>`,
    `<h2>Over the run</h2>`,
    `<div class="grid">${
      figures("chart-latency-over-run", "chart-throughput", "chart-errors")
    }</div>`,
    serverMetricsSection(run, server),
    `<h2>Steady state and time slices</h2>`,
    timeWindowsHtml(run.extra),
    `<h2>Phases</h2>`,
    phasesTable(run),
    `<h2>Errors</h2>`,
    errorsTable(run),
    `<h2>Client lateness guard</h2>`,
    latencyGuard(run),
    shardsSection(run),
    `<h2>Settings</h2>`,
    settingsList(run),
    `<h2>How to run it again</h2>`,
    runConfigHtml(run.extra.run_config),
  ].join("\n");
  return page(title, body, charts);
}

/** The charts of one run (also used by the comparison page for its own layout). */
export function runCharts(run: RunView): ChartSpec[] {
  const requests = run.requests;
  // Only phases with saved requests get series (records.jsonl may hold profiling alone).
  const saved = phaseNames(run).filter((p) => hasPhase(requests, p));
  const phases = saved.length === 0 ? ["profiling"] : saved;
  const per = (column: Float64Array) =>
    phases.map((phase) => successValues(requests, column, phase));
  const charts: ChartSpec[] = [];
  const distribution = (id: string, name: string, label: string, samples: number[][]) => {
    const h = histogram(samples);
    charts.push(histogramChart(id, name, label, h, phases, emptyNote(run, id !== "chart-latency")));
  };
  distribution("chart-ttft", "Time to first token", "TTFT (ms)", per(requests.ttftMs));
  distribution("chart-itl", "Inter-token latency", "ITL (ms)", per(requests.itlMs));
  distribution("chart-latency", "Request latency", "latency (ms)", per(requests.latencyMs));

  const points = thinnedSuccesses(requests, MAX_POINTS);
  const orNull = (column: Float64Array) =>
    [...points].map((i) => Number.isNaN(column[i]!) ? null : column[i]!);
  charts.push({
    id: "chart-latency-over-run",
    title: "Latency over the run",
    note: `Each successful request at its start time` +
      (points.length < requests.length ? ` (${points.length} shown)` : ""),
    x: { label: "start (s)", values: [...points].map((i) => requests.startMs[i]! / 1000) },
    y: { label: "ms" },
    series: [
      { label: "request latency", values: orNull(requests.latencyMs), kind: "points" },
      { label: "TTFT", values: orNull(requests.ttftMs), kind: "points" },
    ],
  });

  const buckets = timeBuckets(run.requests, phases);
  const tokens = requests.outputTokens.some((v) => !Number.isNaN(v));
  charts.push({
    id: "chart-throughput",
    title: tokens ? "Output token throughput over time" : "Request throughput over time",
    note: `Completions per ${formatNumber(buckets.widthS)} s bucket, by phase (a phase's ` +
      "last bucket over the part of it the phase lasted)",
    x: { label: "time (s)", values: buckets.x },
    y: { label: tokens ? "tokens/s" : "requests/s" },
    series: phases.map((phase, i) => ({
      label: phase,
      values: tokens ? buckets.tokens[i]! : buckets.requests[i]!,
      kind: "line" as const,
      color: i,
    })),
  });
  charts.push({
    id: "chart-errors",
    title: "Errors over time",
    note: run.errors.length === 0
      ? "No request failed"
      : `Failed requests per ${formatNumber(buckets.widthS)} s bucket, by phase`,
    x: { label: "time (s)", values: buckets.x },
    y: { label: "errors" },
    series: phases.map((phase, i) => ({
      label: phase,
      values: buckets.errors[i]!,
      kind: "bars" as const,
      color: i === 0 ? 1 : i + 3,
    })),
  });
  return charts;
}

/** The phases requests or summaries mention, in run order. */
export function phaseNames(run: RunView): string[] {
  const names = run.phases.map((p) => p.name);
  for (const name of run.requests.phaseNames) {
    if (!names.includes(name) && hasPhase(run.requests, name)) names.push(name);
  }
  return names.length === 0 ? ["profiling"] : names;
}

// Whether any request is of the phase.
function hasPhase(requests: RequestColumns, phase: string): boolean {
  const p = requests.phaseNames.indexOf(phase);
  return p >= 0 && requests.phase.includes(p);
}

// The indexes of the successful requests, every step-th so that at most `max` remain (all of
// them when there are fewer).
function thinnedSuccesses(requests: RequestColumns, max: number): Uint32Array {
  let ok = 0;
  for (let i = 0; i < requests.length; i++) if (requests.error[i] === -1) ok++;
  const all = new Uint32Array(ok);
  for (let i = 0, k = 0; i < requests.length; i++) if (requests.error[i] === -1) all[k++] = i;
  if (ok <= max) return all;
  const step = ok / max;
  return Uint32Array.from({ length: max }, (_, i) => all[Math.floor(i * step)]!);
}

/**
 * Why a distribution of `run` is empty: no request succeeded, the metric needs streaming and
 * the run did not stream, or (otherwise) the run did not measure it. `requests` are the requests
 * drawn (the run's own by default; a comparison passes both runs').
 */
export function emptyNote(
  run: RunView,
  streamingOnly: boolean,
  requests: readonly RequestColumns[] = [run.requests],
): string {
  if (!requests.some(anySucceeded)) {
    return requests.every((r) => r.length === 0)
      ? "No request saved in this run"
      : "No request succeeded in this run: nothing to draw";
  }
  if (streamingOnly && run.benchmark.streaming === false) {
    return "Not measured in this run (streaming only)";
  }
  return "Not measured in this run";
}

/** A histogram chart, one bar series per sample; `empty` is its note when it has no value. */
export function histogramChart(
  id: string,
  name: string,
  label: string,
  h: Histogram,
  labels: readonly string[],
  empty = "Not measured in this run",
): ChartSpec {
  const total = h.counts.reduce((n, c) => n + c.reduce((a, b) => a + b, 0), 0);
  return {
    id,
    title: `${name} distribution`,
    note: total === 0
      ? empty
      : `${total} requests` + (h.clipped ? "; the last bin holds everything above p99.5" : ""),
    x: { label, values: h.edges },
    y: { label: "requests" },
    series: labels.map((l, i) => ({ label: l, values: h.counts[i] ?? [], kind: "bars", color: i })),
  };
}

/** `fixed_concurrency (concurrency 8)`, from the benchmark section. */
export function timingText(b: Readonly<Record<string, unknown>>): string | undefined {
  if (typeof b.timing_strategy !== "string") return undefined;
  const config = b.timing_config;
  if (typeof config !== "object" || config === null) return b.timing_strategy;
  const parts = Object.entries(config).map(([k, v]) => `${k.replaceAll("_", " ")} ${String(v)}`);
  // request_rate's default arrival, named so a reader knows the schedule.
  if (b.timing_strategy === "request_rate" && !("arrival" in config)) {
    parts.push("arrival constant");
  }
  return parts.length === 0 ? b.timing_strategy : `${b.timing_strategy} (${parts.join(", ")})`;
}

/** A table of every metric and every statistic it has. */
export function metricsTable(metrics: Readonly<Record<string, StatsView>>): string {
  const names = orderMetrics(Object.keys(metrics));
  const keys: string[] = [];
  for (const name of names) {
    for (const k of statKeys(metrics[name]!)) if (!keys.includes(k)) keys.push(k);
  }
  if (names.length === 0) return "<p>No metrics in this run.</p>";
  const rows = names.map((name) => {
    const stats = metrics[name]!;
    const unit = typeof stats.unit === "string" ? ` (${stats.unit})` : "";
    return [metricInfo(name).header + unit, ...keys.map((k) => formatNumber(stats[k]))];
  });
  return table(["Metric", ...keys], rows);
}

function notices(run: RunView): string {
  const lines: string[] = [];
  const list = (key: string) => {
    const v = run.extra[key];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  };
  if (run.extra.interrupted === true) lines.push("Interrupted: the figures cover what completed.");
  for (const f of list("failures")) lines.push(`Failed: ${f}`);
  for (const w of list("warnings")) lines.push(`Warning: ${w}`);
  return lines.map((l) => `<p class="warn">${escapeHtml(l)}</p>`).join("\n");
}

function phasesTable(run: RunView): string {
  if (run.phases.length === 0) return "<p>No phase ran.</p>";
  const stat = (p: RunView["phases"][number], metric: string, key: string) =>
    formatNumber(p.metrics[metric]?.[key]);
  return table(
    [
      "Phase",
      "ok",
      "errors",
      "cancelled",
      "duration (s)",
      "requests/s",
      "TTFT p50 (ms)",
      "TTFT p99 (ms)",
      "ITL p50 (ms)",
    ],
    run.phases.map((p) => [
      p.name,
      formatNumber(p.ok),
      formatNumber(p.errors),
      formatNumber(p.cancelled),
      formatNumber(p.durationMs / 1000),
      stat(p, "request_throughput", "avg"),
      stat(p, "time_to_first_token", "p50"),
      stat(p, "time_to_first_token", "p99"),
      stat(p, "inter_token_latency", "p50"),
    ]),
  );
}

// A merged sharded run (bench:report --merge): each shard's counts, start, clock offset and
// client lateness; nothing for a run of one machine.
function shardsSection(run: RunView): string {
  const shards = run.extra.shards;
  if (!Array.isArray(shards)) return "";
  const n = (v: unknown) => (typeof v === "number" ? formatNumber(v) : "–");
  const rows = shards.map((raw) => {
    const s = raw as Record<string, unknown>;
    const late = (s.client_lateness ?? {}) as Record<string, Record<string, unknown>>;
    return [
      n(s.index),
      n(s.request_count),
      n(s.error_request_count),
      n(s.start_offset_ms),
      typeof s.clock_rtt_ms === "number"
        ? `${n(s.clock_offset_ms)} ± ${n(s.clock_rtt_ms / 2)}`
        : "not measured",
      n(s.start_late_ms),
      n(late.event_loop_delay_ms?.p90),
      n(late.send_delay_ms?.p50),
      s.status === undefined ? "unfinished" : n(s.status),
      Array.isArray(s.problems) ? s.problems.join("; ") : "",
    ];
  });
  return `<h2>Shards</h2>\n<p>Merged from ${shards.length} shards (docs/scaling.md): each ` +
    "shard's times are moved onto shard 0's clock by its offset; lateness in ms.</p>" +
    table(
      [
        "Shard",
        "Requests",
        "Errors",
        "Start +ms",
        "Clock offset (ms)",
        "Late (ms)",
        "Loop delay p90",
        "Send delay p50",
        "Status",
        "Problems",
      ],
      rows,
      1,
    );
}

function errorsTable(run: RunView): string {
  if (run.errors.length === 0) return `<p class="ok">No request failed.</p>`;
  return table(
    ["Kind", "HTTP status", "Requests", "Example"],
    run.errors.map((e) => [
      e.kind,
      e.status === undefined ? "–" : String(e.status),
      formatNumber(e.count),
      e.message ?? "",
    ]),
    1,
  );
}

function latencyGuard(run: RunView): string {
  const phases = Object.entries(run.lateness);
  if (phases.length === 0) {
    return "<p>This export has no client lateness measurement; the figures above cannot tell " +
      "client delay from server latency.</p>";
  }
  const rows: (string | Raw)[][] = [];
  const warnings: string[] = [];
  const columns = new Set<string>();
  for (const [, lateness] of phases) {
    for (const v of Object.values(lateness)) {
      if (typeof v === "object" && v !== null) Object.keys(v).forEach((k) => columns.add(k));
    }
  }
  const keys = [...columns];
  for (const [phase, lateness] of phases) {
    for (const [name, v] of Object.entries(lateness)) {
      if (typeof v === "string") warnings.push(`${phase}: ${v}`);
      else if (typeof v === "object" && v !== null) {
        const stats = v as Record<string, unknown>;
        rows.push([phase, name.replaceAll("_", " "), ...keys.map((k) => formatNumber(stats[k]))]);
      }
    }
  }
  const verdict = warnings.length === 0
    ? `<p class="ok">The client kept up: its own delays are small next to the measured latencies.</p>`
    : warnings.map((w) => `<p class="warn">${escapeHtml(w)}</p>`).join("");
  return verdict + table(["Phase", "Measure", ...keys], rows, 2);
}

function settingsList(run: RunView): string {
  const items: [string, string][] = [];
  const add = (prefix: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (typeof value === "object" && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) add(prefix ? `${prefix}.${k}` : k, v);
    } else {
      items.push([prefix, Array.isArray(value) ? value.join(", ") : String(value)]);
    }
  };
  add("", run.benchmark);
  for (const p of run.phases) {
    for (const key of ["request_count_limit", "duration_limit_ms", "started_at"]) {
      if (p.summary[key] !== undefined) add(`${p.name}.${key}`, p.summary[key]);
    }
  }
  return `<dl class="settings">${
    items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")
  }</dl>`;
}
