import { BenchConfigError } from "../config/bench_config_error.ts";
import type { ServerMetricsArgs } from "./server_metrics_args.ts";
import type { MetricsEndpoint } from "./types.ts";

/** AIPerf's default DCGM exporter addresses (Dynamo's DCGM is on 9401). */
const DEFAULT_DCGM = ["http://localhost:9400/metrics", "http://localhost:9401/metrics"];

/**
 * The endpoints to scrape: the benchmarked server's `/metrics` (its origin + `/metrics`,
 * derived from the endpoint URL, unless `--no-server-metrics`), the `--server-metrics` URLs and
 * the `--gpu-telemetry` DCGM exporters (AIPerf's defaults when the flag has no URL). A URL
 * without a scheme gets `http://`; one without a path gets `/metrics`. Duplicates are scraped
 * once.
 *
 * @param args The flags.
 * @param serverUrl The benchmarked endpoint's URL (any route of the server).
 * @returns The endpoints, the derived ones marked `auto` (skipped silently when absent).
 * @throws {BenchConfigError} For a URL that cannot be read.
 *
 * @example
 * ```ts
 * import { metricsEndpoints } from "./metrics_endpoints.ts";
 *
 * const endpoints = metricsEndpoints(
 *   { urls: ["node1:8081"], disabled: false, formats: [], noGpuTelemetry: false },
 *   "http://127.0.0.1:8000/v1/chat/completions",
 * );
 * if (endpoints[0]?.url !== "http://127.0.0.1:8000/metrics") throw new Error("derived");
 * if (endpoints[1]?.url !== "http://node1:8081/metrics") throw new Error("given");
 * ```
 */
export function metricsEndpoints(args: ServerMetricsArgs, serverUrl: string): MetricsEndpoint[] {
  const out: MetricsEndpoint[] = [];
  const add = (endpoint: MetricsEndpoint) => {
    const same = out.findIndex((e) => e.url === endpoint.url);
    // Named by the user wins over derived: its failures are then reported.
    if (same < 0) out.push(endpoint);
    else if (out[same]!.auto && !endpoint.auto) out[same] = endpoint;
  };
  if (!args.disabled) {
    try {
      add({ url: new URL("/metrics", serverUrl).href, kind: "server", auto: true });
    } catch {
      // A URL the endpoint itself rejects is reported by the endpoint.
    }
  }
  for (const url of args.urls) {
    add({ url: normalize(url, "--server-metrics"), kind: "server", auto: false });
  }
  if (args.gpuTelemetry !== undefined && !args.noGpuTelemetry) {
    const given = args.gpuTelemetry.filter((u) => u !== "pynvml");
    if (given.length === 0) {
      for (const url of DEFAULT_DCGM) add({ url, kind: "gpu", auto: true });
    }
    for (const url of given) {
      add({ url: normalize(url, "--gpu-telemetry"), kind: "gpu", auto: false });
    }
  }
  return out;
}

function normalize(text: string, flag: string): string {
  const withScheme = text.includes("://") ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new BenchConfigError(`"${text}" is not a URL`, { flag });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new BenchConfigError(`"${text}" is not an http(s) URL`, { flag });
  }
  if (url.pathname === "/" || url.pathname === "") url.pathname = "/metrics";
  return url.href;
}
