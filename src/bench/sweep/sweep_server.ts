import { SERVER_METRIC_CATALOG } from "../server_metrics/server_metric_catalog.ts";
import type { MetricRole, PhaseServerMetrics, SeriesSummary } from "../server_metrics/types.ts";
import type { SweepServerFigure } from "./sweep_data.ts";

/** A kind of server series a sweep shows per value, and its figures. */
export interface SweepServerRole {
  readonly role: MetricRole;
  /** A short label for headings and table columns. */
  readonly title: string;
  /** The figures kept, in column order. */
  readonly stats: readonly string[];
}

/**
 * The server's series a sweep shows per value, in column order: the running batch and the queue,
 * the KV cache, preemptions, the server's own TTFT, and the GPU (DCGM). `sweep.csv` names their
 * columns `server_<role>_<stat>` (`server_running_avg`, `server_gpu_power_max`).
 *
 * @example
 * ```ts
 * import { SWEEP_SERVER_ROLES } from "./sweep_server.ts";
 *
 * if (SWEEP_SERVER_ROLES[0]?.role !== "running") throw new Error("wrong");
 * ```
 */
export const SWEEP_SERVER_ROLES: readonly SweepServerRole[] = [
  { role: "running", title: "running requests", stats: ["avg", "max"] },
  { role: "waiting", title: "waiting requests", stats: ["avg", "max"] },
  { role: "kv_cache", title: "KV cache usage", stats: ["avg", "max"] },
  { role: "preemptions", title: "preemptions", stats: ["total"] },
  { role: "ttft", title: "server TTFT", stats: ["avg"] },
  { role: "gpu_utilization", title: "GPU utilization", stats: ["avg", "max"] },
  { role: "gpu_power", title: "GPU power", stats: ["avg", "max"] },
  { role: "gpu_memory_used", title: "GPU memory used", stats: ["avg", "max"] },
];

/**
 * Reduces one profiling phase's server metrics to the figures a sweep shows per value: for each
 * role of {@linkcode SWEEP_SERVER_ROLES}, the first metric of the catalog with that role the
 * server published (vLLM's before SGLang's, ...), over all its endpoint + label series. Gauges
 * give `avg` (mean of the series' averages) and `max` (highest of any series), counters `total`
 * (summed), histograms `avg` (over every observation; seconds shown in ms).
 *
 * @param phase The phase's `server_metrics`, if any were collected.
 * @returns The figures by role; undefined when the phase has none.
 *
 * @example
 * ```ts
 * import { sweepServerFigures } from "./sweep_server.ts";
 *
 * const series = (max: number, avg: number) => ({ endpoint_url: "http://h/metrics",
 *   labels: null, stats: { avg, max } });
 * const figures = sweepServerFigures({ metrics: {
 *   "vllm:num_requests_running": { type: "gauge", description: "", series: [series(8, 5)] },
 * } } as never);
 * if (figures?.running?.stats.max !== 8) throw new Error("wrong");
 * ```
 */
export function sweepServerFigures(
  phase: Pick<PhaseServerMetrics, "metrics"> | undefined,
): Record<string, SweepServerFigure> | undefined {
  if (phase === undefined) return undefined;
  const out: Record<string, SweepServerFigure> = {};
  for (const { role, stats } of SWEEP_SERVER_ROLES) {
    for (const known of SERVER_METRIC_CATALOG) {
      if (known.role !== role) continue;
      const metric = phase.metrics[known.name];
      if (metric === undefined || metric.series.length === 0) continue;
      const figures = combine(metric.type, metric.series, known.unit === "ms" ? 1000 : 1);
      const kept = Object.fromEntries(
        stats.filter((s) => figures[s] !== undefined).map((s) => [s, figures[s]!]),
      );
      if (Object.keys(kept).length === 0) continue;
      out[role] = {
        metric: known.name,
        unit: known.unit,
        stats: kept,
        series: metric.series.length,
      };
      break;
    }
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

function combine(
  type: string,
  series: readonly SeriesSummary[],
  scale: number,
): Record<string, number | undefined> {
  const finite = (values: (number | undefined)[]) =>
    values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  if (type === "counter") {
    const totals = finite(series.map((s) => s.stats.total));
    return { total: totals.length === 0 ? undefined : totals.reduce((a, b) => a + b, 0) };
  }
  if (type === "histogram") {
    const count = finite(series.map((s) => s.stats.count)).reduce((a, b) => a + b, 0);
    const sum = finite(series.map((s) => s.stats.sum)).reduce((a, b) => a + b, 0);
    return { avg: count > 0 ? (sum / count) * scale : undefined };
  }
  const avgs = finite(series.map((s) => s.stats.avg));
  const maxes = finite(series.map((s) => s.stats.max));
  return {
    avg: avgs.length === 0 ? undefined : avgs.reduce((a, b) => a + b, 0) / avgs.length,
    max: maxes.length === 0 ? undefined : Math.max(...maxes),
  };
}
