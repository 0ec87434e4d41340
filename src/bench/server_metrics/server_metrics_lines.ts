import type { PhaseSummary } from "../types.ts";

/**
 * The console lines of a phase's server metrics: what scraping cost (beside the client's
 * lateness), the known metrics (vLLM, SGLang, TGI, TensorRT-LLM, Dynamo, DCGM) with their
 * headline figure over all their series, and the server's TTFT beside the client's. Empty without server metrics.
 *
 * @param summary The phase.
 * @returns Lines, indented under the phase's line.
 *
 * @example
 * ```ts
 * import { serverMetricsLines } from "./server_metrics_lines.ts";
 *
 * if (serverMetricsLines({} as never).length !== 0) throw new Error("nothing to say");
 * ```
 */
export function serverMetricsLines(summary: PhaseSummary): string[] {
  const server = summary.server_metrics;
  if (server === undefined) return [];
  const c = server.collection;
  const ok = server.summary.endpoints_successful.length;
  const lines = [
    `  Server metrics: ${ok} of ${server.summary.endpoints_configured.length} endpoint(s), ` +
    `${c.scrapes} scrapes (${c.failed_scrapes} failed)` +
    (c.scrape_ms === undefined
      ? ""
      : `, ${c.scrape_ms.p50.toFixed(1)} ms per scrape p50 (p99 ${c.scrape_ms.p99.toFixed(1)}` +
        ` ms), in the ${c.thread === "worker" ? "collector's worker" : "main thread"}`),
  ];
  for (const h of server.highlights.slice(0, 12)) {
    const extra = h.type === "gauge" || h.type === "unknown"
      ? ` (max ${format(h.stats.max!)})`
      : h.type === "counter"
      ? ` (total ${format(h.stats.total!)})`
      : (h.stats.count ?? 0) > 0
      ? ` (p99 ${format(h.stats.p99_estimate! * (h.unit === "ms" ? 1000 : 1))} ms, ` +
        `${h.stats.count} observations)`
      : " (no observations)";
    const over = h.series > 1 ? extra.replace(/\)$/, `; over ${h.series} series)`) : extra;
    lines.push(`    ${h.title}: ${h.stat} ${format(h.value)} ${h.unit}${over}`);
  }
  if (server.ttft_comparison !== undefined) lines.push(`  ${server.ttft_comparison.sentence}`);
  return lines;
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 || Number.isInteger(value) ? value.toFixed(0) : value.toFixed(2);
}
