/** A service level objective: a per-request metric and its limit. */
export interface Slo {
  /** An AIPerf per-request metric name, e.g. `time_to_first_token`. */
  readonly metric: string;
  /** The limit, in the metric's unit (ms for latencies). */
  readonly limit: number;
  /** True when larger is better (throughput per user): the value must be at least `limit`. */
  readonly atLeast: boolean;
}

/** The per-request metrics an SLO may name, with whether larger is better. */
export const SLO_METRICS: Readonly<Record<string, boolean>> = {
  time_to_first_token: false,
  time_to_second_token: false,
  time_to_first_output_token: false,
  inter_token_latency: false,
  request_latency: false,
  output_token_throughput_per_user: true,
  output_sequence_length: true,
};

/**
 * Parses AIPerf's `--goodput` syntax: space-separated `metric:limit` pairs, e.g.
 * `"time_to_first_token:200 inter_token_latency:20"`. A request is good when it meets every one.
 *
 * @param text The flag's value.
 * @returns The SLOs.
 * @throws {SyntaxError} When a pair is malformed, a metric unknown or a limit not a number >= 0.
 *
 * @example
 * ```ts
 * import { parseGoodput } from "./parse_goodput.ts";
 *
 * const [ttft] = parseGoodput("time_to_first_token:200");
 * if (ttft?.limit !== 200 || ttft.atLeast) throw new Error("wrong");
 * ```
 */
export function parseGoodput(text: string): Slo[] {
  const slos: Slo[] = [];
  for (const pair of text.trim().split(/\s+/).filter(Boolean)) {
    const match = /^([a-z_]+)[:=](.+)$/.exec(pair);
    if (match === null) {
      throw new SyntaxError(`expected "metric:value" pairs, got "${pair}"`);
    }
    const [, metric, value] = match as unknown as [string, string, string];
    if (!(metric in SLO_METRICS)) {
      throw new SyntaxError(
        `unknown metric "${metric}"; expected one of ${Object.keys(SLO_METRICS).join(", ")}`,
      );
    }
    const limit = Number(value);
    if (!Number.isFinite(limit) || limit < 0) {
      throw new SyntaxError(`expected a number >= 0 for "${metric}", got "${value}"`);
    }
    slos.push({ metric, limit, atLeast: SLO_METRICS[metric]! });
  }
  if (slos.length === 0) throw new SyntaxError("expected at least one metric:value pair");
  return slos;
}
