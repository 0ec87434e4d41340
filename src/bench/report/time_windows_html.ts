import { formatNumber, table } from "./_html.ts";

type Obj = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stat(window: Obj, metric: string, key: string): string {
  const metrics = isObject(window.metrics) ? window.metrics : {};
  const m = metrics[metric];
  return formatNumber(isObject(m) ? m[key] : undefined);
}

function row(label: string, w: Obj): string[] {
  return [
    label,
    formatNumber(w.request_count),
    formatNumber(w.error_request_count),
    formatNumber(w.request_throughput),
    stat(w, "time_to_first_token", "p50"),
    stat(w, "time_to_first_token", "p99"),
    stat(w, "inter_token_latency", "p50"),
    stat(w, "request_latency", "p50"),
    stat(w, "request_latency", "p99"),
  ];
}

const HEADER = [
  "window (s)",
  "ok",
  "errors",
  "requests/s",
  "TTFT p50",
  "TTFT p99",
  "ITL p50",
  "latency p50",
  "latency p99",
];

/**
 * The "Steady state and time slices" section of a run's report: the steady state (ramp-up and
 * drain left out) beside the whole phase, and each time slice (`--slice-duration`).
 *
 * @param extra The run's top-level fields (`steady_state`, `time_slices`, `metrics`).
 * @returns HTML.
 *
 * @example
 * ```ts
 * import { timeWindowsHtml } from "./time_windows_html.ts";
 *
 * const html = timeWindowsHtml({ steady_state: { start_ms: 50, end_ms: 950, request_count: 80,
 *   error_request_count: 0, request_throughput: 88.9, left_out: 20, metrics: {} } });
 * if (!html.includes("20 requests left out")) throw new Error(html);
 * ```
 */
export function timeWindowsHtml(extra: Obj): string {
  const parts: string[] = [];
  const steady = extra.steady_state;
  const seconds = (w: Obj) =>
    `${formatNumber(Number(w.start_ms) / 1000)}–${formatNumber(Number(w.end_ms) / 1000)}`;
  if (isObject(steady)) {
    parts.push(
      `<p>Steady state: the requests that started after the first completion (ramp-up) and ` +
        `ended before the last start (drain); ${formatNumber(steady.left_out)} requests left ` +
        `out. Latencies in ms.</p>`,
      table(HEADER, [row(`steady ${seconds(steady)}`, steady)]),
    );
  } else {
    parts.push("<p>No steady state: no request started after the first one completed.</p>");
  }
  const slices = extra.time_slices;
  if (isObject(slices) && Array.isArray(slices.slices)) {
    parts.push(
      `<p>Time slices of ${formatNumber(Number(slices.slice_ms) / 1000)} s ` +
        `(--slice-duration), by request start.</p>`,
      table(HEADER, slices.slices.filter(isObject).map((w) => row(seconds(w), w))),
    );
  }
  return parts.join("\n");
}
