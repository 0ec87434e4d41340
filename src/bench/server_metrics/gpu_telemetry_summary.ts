import { DCGM_FIELDS } from "./gpu_telemetry_records.ts";
import type { PhaseServerMetrics } from "./types.ts";

/** One GPU of AIPerf's `telemetry_data`. */
export interface GpuTelemetrySummaryGpu {
  readonly gpu_index: number;
  readonly gpu_name: string | null;
  readonly gpu_uuid: string | null;
  /** Always `nvidia`: the DCGM exporter's GPUs. */
  readonly platform: "nvidia";
  readonly hostname: string | null;
  /** By AIPerf's field name: a gauge's statistics, a counter's increase as `avg`; with `unit`. */
  readonly metrics: Readonly<Record<string, Readonly<Record<string, number | string>>>>;
}

/** AIPerf's `telemetry_data` section of `profile_export_aiperf.json`. */
export interface GpuTelemetrySummary {
  readonly summary: {
    readonly endpoints_configured: readonly string[];
    readonly endpoints_successful: readonly string[];
    readonly start_time: string;
    readonly end_time: string;
  };
  /** By the exporter's `host:port`, then `gpu_<index>`. */
  readonly endpoints: Readonly<
    Record<string, { readonly gpus: Readonly<Record<string, GpuTelemetrySummaryGpu>> }>
  >;
}

/**
 * AIPerf's aggregated GPU telemetry (`telemetry_data` in `profile_export_aiperf.json`) from a
 * phase's server metrics: per DCGM exporter and GPU (the `gpu` label), each of
 * {@linkcode DCGM_FIELDS} the exporter published, under AIPerf's NVIDIA name and in its unit. A
 * gauge keeps its statistics (`avg`, `min`, `max`, `std`, `p1` ... `p99`); a counter (energy,
 * XID errors, power violation) its increase over the phase as `avg`, as AIPerf reports counters.
 *
 * @param phase The profiling phase's `server_metrics`.
 * @returns The section; undefined when no DCGM exporter answered.
 *
 * @example
 * ```ts
 * import { gpuTelemetrySummary } from "./gpu_telemetry_summary.ts";
 *
 * const section = gpuTelemetrySummary({
 *   summary: { start_time: "2026-01-01T00:00:00.000Z", end_time: "2026-01-01T00:01:00.000Z" },
 *   metrics: { DCGM_FI_DEV_POWER_USAGE: { type: "gauge", description: "", series: [{
 *     endpoint_url: "http://node1:9400/metrics", labels: { gpu: "0", modelName: "H100" },
 *     stats: { avg: 300, min: 120, max: 386 } }] } },
 * } as never);
 * const power = section?.endpoints["node1:9400"]?.gpus.gpu_0?.metrics.nvidia_power_usage;
 * if (power?.max !== 386 || power.unit !== "W") throw new Error("wrong");
 * ```
 */
export function gpuTelemetrySummary(
  phase: Pick<PhaseServerMetrics, "summary" | "metrics"> | undefined,
): GpuTelemetrySummary | undefined {
  if (phase === undefined) return undefined;
  const endpoints: Record<string, { gpus: Record<string, GpuTelemetrySummaryGpu> }> = {};
  const urls = new Set<string>();
  for (const [name, known] of Object.entries(DCGM_FIELDS)) {
    const metric = phase.metrics[name];
    if (metric === undefined) continue;
    for (const series of metric.series) {
      const labels = series.labels ?? {};
      if (!/^\d+$/.test(labels.gpu ?? "")) continue;
      const stats = metric.type === "counter"
        ? (series.stats.total === undefined ? {} : { avg: Math.max(0, series.stats.total) })
        : series.stats;
      const scaled: Record<string, number | string> = {};
      for (const [stat, value] of Object.entries(stats)) scaled[stat] = value * known.scale;
      if (Object.keys(scaled).length === 0) continue;
      scaled.unit = known.unit;
      urls.add(series.endpoint_url);
      const host = new URL(series.endpoint_url).host;
      const gpus = (endpoints[host] ??= { gpus: {} }).gpus;
      const gpu = gpus[`gpu_${labels.gpu}`] ??= {
        gpu_index: Number(labels.gpu),
        gpu_name: labels.modelName ?? null,
        gpu_uuid: labels.UUID ?? null,
        platform: "nvidia",
        hostname: labels.Hostname ?? null,
        metrics: {},
      };
      (gpu.metrics as Record<string, unknown>)[known.field] = scaled;
    }
  }
  if (urls.size === 0) return undefined;
  return {
    summary: {
      endpoints_configured: [...urls],
      endpoints_successful: [...urls],
      start_time: phase.summary.start_time,
      end_time: phase.summary.end_time,
    },
    endpoints,
  };
}
