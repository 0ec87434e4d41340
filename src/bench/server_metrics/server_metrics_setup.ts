import type { BenchmarkSettings } from "../config/resolve_settings.ts";
import type { ServerMetricsArgs } from "./server_metrics_args.ts";
import type { ServerMetricsRunOptions } from "./server_metrics_for_run.ts";

/**
 * Applies the server-metrics flags to a run: `--server-metrics-formats` becomes the
 * `server_metrics` exporter's `formats` (unless the benchmark file sets them), and the run's
 * collection options are worked out (the JSONL time series, and with `--gpu-telemetry` AIPerf's
 * `gpu_telemetry_export.jsonl`, go to the output directory of a single run; a sweep writes the
 * aggregated files per value).
 *
 * @param args The server-metrics flags.
 * @param settings The run's settings.
 * @returns The settings with the exporter's formats, and the run's collection options.
 *
 * @example
 * ```ts
 * import { serverMetricsSetup } from "./server_metrics_setup.ts";
 * import { resolveSettings } from "../config/resolve_settings.ts";
 *
 * const { settings, run } = serverMetricsSetup(
 *   { urls: [], disabled: false, formats: ["json", "jsonl"], noGpuTelemetry: false },
 *   resolveSettings({ output: "out" }),
 * );
 * const exporter = settings.exporters.find((e) => e.name === "server_metrics");
 * if ((exporter?.config.formats as string[]).join() !== "json,jsonl") throw new Error("formats");
 * if (run.jsonlPath !== "out/server_metrics_export.jsonl") throw new Error("jsonl");
 * ```
 */
export function serverMetricsSetup(
  args: ServerMetricsArgs,
  settings: BenchmarkSettings,
): { settings: BenchmarkSettings; run: ServerMetricsRunOptions } {
  const single = settings.output !== undefined && settings.sweep === undefined;
  return {
    settings: {
      ...settings,
      exporters: settings.exporters.map((e) =>
        e.name === "server_metrics" && e.config.formats === undefined
          ? { ...e, config: { ...e.config, formats: args.formats } }
          : e
      ),
    },
    run: {
      args,
      ...(args.intervalMs === undefined ? {} : { intervalMs: args.intervalMs }),
      ...(args.formats.includes("jsonl") && single
        ? { jsonlPath: `${settings.output}/server_metrics_export.jsonl` }
        : {}),
      ...(args.gpuTelemetry !== undefined && !args.noGpuTelemetry && single
        ? { gpuJsonlPath: `${settings.output}/gpu_telemetry_export.jsonl` }
        : {}),
    },
  };
}
