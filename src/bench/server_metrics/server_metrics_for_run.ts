import type { PhaseSummary } from "../types.ts";
import { fetchMetrics } from "./_fetch_metrics.ts";
import { compareTtft } from "./compare_ttft.ts";
import { metricsEndpoints } from "./metrics_endpoints.ts";
import type { ServerMetricsArgs } from "./server_metrics_args.ts";
import { startServerMetrics } from "./start_server_metrics.ts";

/** What a run collects from the server's side (`RunOptions.serverMetrics`). */
export interface ServerMetricsRunOptions {
  /** The flags: endpoints, `--no-server-metrics`, `--gpu-telemetry`, formats. */
  readonly args: ServerMetricsArgs;
  /** Milliseconds between scrapes; default 333 (AIPerf's). */
  readonly intervalMs?: number;
  /** Write the JSONL time series here (with `--server-metrics-formats ... jsonl`). */
  readonly jsonlPath?: string;
  /** Write AIPerf's GPU telemetry time series here (with `--gpu-telemetry`). */
  readonly gpuJsonlPath?: string;
  /** Scrape from a Worker; default true. */
  readonly worker?: boolean;
}

/** The server's side of a run, phase by phase. */
export interface RunServerMetrics {
  /**
   * Call before a phase starts: resolves after the boundary scrape (the first one also waits
   * for the Worker to be up); the number names the phase for `phaseEnd`.
   */
  phaseStart(): Promise<number>;
  /**
   * Call when it is over: the summary with `server_metrics` (and the TTFT comparison); the
   * summary as it was, and a warning, if the collector failed.
   */
  phaseEnd(phase: number, summary: PhaseSummary): Promise<PhaseSummary>;
  /** Stops collecting. */
  close(): Promise<void>;
}

/**
 * Starts collecting the server's metrics for a run against `serverUrl`: its `/metrics`, the
 * `--server-metrics` endpoints and the `--gpu-telemetry` exporters, in a Worker. When every
 * endpoint is derived (no flag named one), each is asked once first, and no Worker is started
 * when none answers with Prometheus text (most servers have no `/metrics`). Each phase's
 * summary then carries `server_metrics` (AIPerf's statistics, the known metrics first, their
 * time line, the cost of scraping, and the server's TTFT beside the client's); a phase gets none
 * when no endpoint was named and the server has no `/metrics`.
 *
 * @param options The flags and interval.
 * @param serverUrl The benchmarked endpoint's URL.
 * @param onWarning Receives each warning once.
 * @returns The run's collection, or undefined when there is nothing to scrape.
 *
 * @example
 * ```ts
 * import { serverMetricsForRun } from "./server_metrics_for_run.ts";
 *
 * const none = await serverMetricsForRun(
 *   { args: { urls: [], disabled: true, formats: [], noGpuTelemetry: true } },
 *   "http://127.0.0.1:1/v1/chat/completions",
 *   () => {},
 * );
 * if (none !== undefined) throw new Error("nothing to scrape");
 * ```
 */
export async function serverMetricsForRun(
  options: ServerMetricsRunOptions,
  serverUrl: string,
  onWarning: (warning: string) => void,
): Promise<RunServerMetrics | undefined> {
  let endpoints = metricsEndpoints(options.args, serverUrl);
  if (endpoints.every((e) => e.auto)) {
    const answers = await Promise.all(endpoints.map((e) => answersMetrics(e.url)));
    endpoints = endpoints.filter((_, i) => answers[i]);
  }
  if (endpoints.length === 0) return undefined;
  const session = startServerMetrics({
    settings: {
      endpoints,
      ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
    },
    ...(options.worker === undefined ? {} : { worker: options.worker }),
    ...(options.jsonlPath === undefined ? {} : { jsonlPath: options.jsonlPath }),
    ...(options.gpuJsonlPath === undefined ? {} : { gpuJsonlPath: options.gpuJsonlPath }),
    onWarning,
  });
  return {
    phaseStart: () => session.phaseStart().catch(() => -1),
    async phaseEnd(phase, summary) {
      let server;
      try {
        server = await session.phaseEnd(phase);
      } catch (error) {
        onWarning(`the collector failed: ${(error as Error).message}`);
        return summary;
      }
      if (server.summary.endpoints_configured.length === 0) return summary;
      const ttft = compareTtft(server, summary.metrics);
      return {
        ...summary,
        server_metrics: { ...server, ...(ttft === undefined ? {} : { ttft_comparison: ttft }) },
      };
    },
    close: () => session.close().catch((e) => onWarning(`the collector failed: ${e.message}`)),
  };
}

// A derived endpoint is worth a Worker when it answers with something like Prometheus text.
async function answersMetrics(url: string): Promise<boolean> {
  const outcome = await fetchMetrics(url, 2000, 8 * 1024 * 1024, new AbortController().signal);
  return outcome.ok && /^(# (HELP|TYPE) |[a-zA-Z_:][a-zA-Z0-9_:]*[{ ])/m.test(outcome.text);
}
