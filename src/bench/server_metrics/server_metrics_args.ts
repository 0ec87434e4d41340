import type { ServerMetricsFormat } from "../config/flag_lists.ts";
import { BenchConfigError } from "../config/bench_config_error.ts";

/** The server-metrics settings of a run (AIPerf's flags), checked. */
export interface ServerMetricsArgs {
  /** `--server-metrics URL...`: endpoints scraped besides the one derived from `--url`. */
  readonly urls: readonly string[];
  /** `--no-server-metrics`: scrape nothing of the server, the derived endpoint included. */
  readonly disabled: boolean;
  /** `--server-metrics-formats`: the files written (default json, csv). */
  readonly formats: readonly ServerMetricsFormat[];
  /**
   * `--gpu-telemetry [URL...]`: DCGM exporters to scrape; given without URLs, AIPerf's defaults
   * (localhost:9400 and :9401). Undefined when the flag is absent.
   */
  readonly gpuTelemetry?: readonly string[];
  /** `--no-gpu-telemetry`. */
  readonly noGpuTelemetry: boolean;
  /**
   * Milliseconds between scrapes, from AIPerf's environment variable
   * `AIPERF_SERVER_METRICS_COLLECTION_INTERVAL` (seconds) when set; 333 otherwise.
   */
  readonly intervalMs?: number;
}

/** A server-metrics export file: AIPerf's `json`, `csv` and `jsonl` (no `parquet` here). */
export type { ServerMetricsFormat } from "../config/flag_lists.ts";

/** The flags as the settings table reads them (each list already split). */
export interface ServerMetricsFlags {
  readonly serverMetrics?: readonly string[];
  readonly noServerMetrics?: boolean;
  readonly serverMetricsFormats?: readonly ServerMetricsFormat[];
  readonly gpuTelemetry?: readonly string[];
  readonly noGpuTelemetry?: boolean;
}

/**
 * The server-metrics settings from the parsed flags: `--server-metrics` cannot be given with
 * `--no-server-metrics`; `--gpu-telemetry`'s keywords (`dashboard`, `pynvml`) are not URLs;
 * the interval comes from AIPerf's environment variable.
 *
 * @param flags The parsed flags.
 * @returns The settings.
 * @throws {BenchConfigError} For contradictory flags or a bad interval variable.
 *
 * @example
 * ```ts
 * import { serverMetricsArgs } from "./server_metrics_args.ts";
 *
 * const args = serverMetricsArgs({ serverMetrics: ["node1:8081"], gpuTelemetry: ["dashboard"] });
 * if (args.urls[0] !== "node1:8081" || args.gpuTelemetry?.length !== 0) throw new Error("wrong");
 * if (args.formats.join() !== "json,csv") throw new Error("AIPerf's default formats");
 * ```
 */
export function serverMetricsArgs(flags: ServerMetricsFlags): ServerMetricsArgs {
  if (flags.noServerMetrics && (flags.serverMetrics?.length ?? 0) > 0) {
    throw new BenchConfigError("cannot be given with --server-metrics URL...", {
      flag: "--no-server-metrics",
    });
  }
  const interval = intervalFromEnvironment();
  const gpu = flags.gpuTelemetry?.filter((u) => u !== "dashboard" && u !== "pynvml");
  return {
    ...(interval === undefined ? {} : { intervalMs: interval }),
    urls: flags.serverMetrics ?? [],
    disabled: flags.noServerMetrics ?? false,
    formats: flags.serverMetricsFormats ?? ["json", "csv"],
    ...(gpu === undefined || flags.noGpuTelemetry ? {} : { gpuTelemetry: gpu }),
    noGpuTelemetry: flags.noGpuTelemetry ?? false,
  };
}

const INTERVAL_VARIABLE = "AIPERF_SERVER_METRICS_COLLECTION_INTERVAL";

function intervalFromEnvironment(): number | undefined {
  let text: string | undefined;
  try {
    text = Deno.env.get(INTERVAL_VARIABLE);
  } catch {
    return undefined; // no permission to read the environment: the default
  }
  if (text === undefined || text.trim() === "") return undefined;
  const seconds = Number(text);
  if (!(seconds > 0) || !Number.isFinite(seconds)) {
    throw new BenchConfigError(`expected a number of seconds > 0, got "${text}"`, {
      flag: INTERVAL_VARIABLE,
    });
  }
  return seconds * 1000;
}
