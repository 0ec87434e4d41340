import type { ChartSpec } from "./_html.ts";
import type { RunView } from "./run_view.ts";

/** The report's panels of the server's side, one per role, in this order. */
const PANELS: readonly { role: string; title: string; label: string; clientInFlight?: boolean }[] =
  [
    { role: "waiting", title: "Server queue (waiting requests)", label: "requests" },
    {
      role: "running",
      title: "Server running batch (running requests)",
      label: "requests",
      clientInFlight: true,
    },
    { role: "kv_cache", title: "Server KV cache usage", label: "fraction" },
    { role: "gpu_utilization", title: "GPU utilization", label: "%" },
    { role: "gpu_power", title: "GPU power", label: "W" },
    { role: "gpu_memory_used", title: "GPU memory used", label: "MiB" },
    { role: "ttft", title: "Server time to first token (median per interval)", label: "ms" },
  ];

interface TimelineView {
  readonly metric: string;
  readonly role: string;
  readonly title: string;
  readonly endpoint_url: string;
  readonly labels: Readonly<Record<string, string>> | null;
  readonly t_ms: readonly number[];
  readonly values: readonly (number | null)[];
}

/**
 * The server's series on the run's time line, one chart per kind of series the run has (queue
 * depth, running batch, KV cache, GPU utilization, power and memory, the server's TTFT): each
 * phase's `server_metrics.timeline`, seconds from the phase's start as the client's charts
 * count, one line per phase, endpoint and label set. The running-batch chart also draws the
 * client's own requests in flight, from the saved records, so the two can be read together.
 * None without server metrics.
 *
 * @param run The run.
 * @returns The charts, in panel order.
 *
 * @example
 * ```ts
 * import { serverMetricsCharts } from "./server_metrics_charts.ts";
 *
 * const charts = serverMetricsCharts({ phases: [{ name: "profiling", summary: {
 *   server_metrics: { timeline: [{ metric: "vllm:num_requests_waiting", role: "waiting",
 *     title: "vLLM waiting requests", endpoint_url: "http://h/metrics", labels: null,
 *     t_ms: [0, 333], values: [0, 4] }] } } }], requests: [] } as never);
 * if (charts[0]?.id !== "chart-server-waiting") throw new Error("wrong");
 * ```
 */
export function serverMetricsCharts(run: RunView): ChartSpec[] {
  const lines: { phase: string; line: TimelineView }[] = [];
  for (const phase of run.phases) {
    const server = phase.summary.server_metrics as { timeline?: TimelineView[] } | undefined;
    for (const line of server?.timeline ?? []) lines.push({ phase: phase.name, line });
  }
  const charts: ChartSpec[] = [];
  for (const panel of PANELS) {
    const own = lines.filter((l) => l.line.role === panel.role);
    if (own.length === 0) continue;
    const several = new Set(own.map((l) => l.phase)).size > 1 || own.length > 1;
    const series = own.map(({ phase, line }) => ({
      label: several ? `${phase}: ${name(line)}` : name(line),
      points: line.t_ms.map((t, i) => [t / 1000, line.values[i] ?? null] as const),
    }));
    if (panel.clientInFlight) {
      for (const phase of new Set(own.map((l) => l.phase))) {
        series.push({
          label: `${phase}: client in flight`,
          points: inFlight(run, phase, own.filter((l) => l.phase === phase)),
        });
      }
    }
    const x = [...new Set(series.flatMap((s) => s.points.map(([t]) => t)))].sort((a, b) => a - b);
    charts.push({
      id: `chart-server-${panel.role.replaceAll("_", "-")}`,
      title: panel.title,
      note: "Scraped from the server's Prometheus metrics, seconds from each phase's start",
      x: { label: "time (s)", values: x },
      y: { label: panel.label },
      series: series.map((s, i) => {
        const at = new Map(s.points.map(([t, v]) => [t, v]));
        return {
          label: s.label,
          values: x.map((t) => at.get(t) ?? null),
          kind: "line+points" as const,
          color: i,
          spanGaps: true,
          ...(s.label.endsWith("client in flight") ? { dash: true } : {}),
        };
      }),
    });
  }
  return charts;
}

function name(line: TimelineView): string {
  const labels = Object.entries(line.labels ?? {})
    .filter(([k]) => k !== "model_name")
    .map(([k, v]) => `${k}=${v}`);
  return line.title + (labels.length > 0 ? ` {${labels.join(", ")}}` : "");
}

// The client's requests in flight at each scrape time of the phase (from its saved records).
function inFlight(
  run: RunView,
  phase: string,
  lines: readonly { line: TimelineView }[],
): (readonly [number, number | null])[] {
  const { phaseNames, startMs, endMs } = run.requests;
  const p = phaseNames.indexOf(phase);
  const mine: number[] = [];
  for (let i = 0; i < run.requests.length; i++) if (run.requests.phase[i] === p) mine.push(i);
  if (mine.length === 0) return [];
  const times = [...new Set(lines.flatMap((l) => l.line.t_ms))].sort((a, b) => a - b);
  return times.map((t) => {
    let count = 0;
    for (const i of mine) if (startMs[i]! <= t && endMs[i]! > t) count++;
    return [t / 1000, count] as const;
  });
}
