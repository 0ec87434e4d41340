import type { Metrics } from "../types.ts";
import type { PhaseServerMetrics, TtftComparison } from "./types.ts";

/**
 * Puts the server's own time to first token (its TTFT histogram: vLLM, SGLang, TensorRT-LLM or
 * Dynamo) beside the client's. The server's clock starts when it has read the request and stops
 * when it has produced the first token; the client's starts before the request is sent and
 * stops when the token arrives. The gap is the network, what happens before the server's clock
 * starts (connection, HTTP parsing, a frontend's queue) and the client's own lateness.
 *
 * @param server The phase's server metrics.
 * @param client The phase's client statistics (`time_to_first_token` in ms).
 * @returns The comparison, or undefined without both figures.
 *
 * @example
 * ```ts
 * import { compareTtft } from "./compare_ttft.ts";
 *
 * const comparison = compareTtft(
 *   { highlights: [{ metric: "vllm:time_to_first_token_seconds", server: "vLLM", role: "ttft",
 *     title: "", type: "histogram", unit: "ms", value: 20, stat: "p50_estimate",
 *     stats: { count: 4, avg: 0.021, p50_estimate: 0.02 }, series: 1 }] } as never,
 *   { time_to_first_token: { unit: "ms", avg: 25, p50: 24 } },
 * );
 * if (Math.round(comparison!.gap_avg_ms) !== 4) throw new Error("wrong");
 * ```
 */
export function compareTtft(
  server: PhaseServerMetrics,
  client: Metrics,
): TtftComparison | undefined {
  const ttft = server.highlights.find((h) => h.role === "ttft" && (h.stats.count ?? 0) > 0);
  const mine = client.time_to_first_token;
  if (ttft === undefined || mine === undefined || mine.p50 === undefined) return undefined;
  const serverAvg = ttft.stats.avg! * 1000;
  const serverP50 = ttft.stats.p50_estimate! * 1000;
  const gap = mine.avg - serverAvg;
  return {
    metric: ttft.metric,
    server_avg_ms: serverAvg,
    server_p50_ms: serverP50,
    client_avg_ms: mine.avg,
    client_p50_ms: mine.p50,
    gap_avg_ms: gap,
    sentence: `The client's time to first token averaged ${ms(mine.avg)}, the server's own ` +
      `(${ttft.metric}) ${ms(serverAvg)}: ${ms(Math.abs(gap))} ${gap >= 0 ? "more" : "less"} ` +
      "at the client (network, what precedes the server's clock, and the client's lateness)",
  };
}

function ms(value: number): string {
  return `${value.toFixed(value >= 100 ? 0 : 1)} ms`;
}
