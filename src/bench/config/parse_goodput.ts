import { didYouMean } from "../_did_you_mean.ts";

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

// Short names people type for the SLO metrics (AIPerf's short headers and common usage).
const SHORT_NAMES: Readonly<Record<string, string>> = {
  ttft: "time_to_first_token",
  ttst: "time_to_second_token",
  ttfot: "time_to_first_output_token",
  itl: "inter_token_latency",
  tpot: "inter_token_latency",
  latency: "request_latency",
  e2e: "request_latency",
  e2el: "request_latency",
  tps_per_user: "output_token_throughput_per_user",
  osl: "output_sequence_length",
};

function unknownMetric(metric: string): string {
  const known = Object.keys(SLO_METRICS);
  const short = SHORT_NAMES[metric.toLowerCase()];
  const hint = short !== undefined
    ? ` (did you mean "${short}"?)`
    : didYouMean(metric.toLowerCase(), [...known, ...Object.keys(SHORT_NAMES)])
      .replace(/"([a-z_]+)"/, (_all, name: string) => `"${SHORT_NAMES[name] ?? name}"`);
  return `unknown metric "${metric}"${hint}; expected one of ${known.join(", ")}`;
}

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
    const match = /^([A-Za-z_0-9]+)[:=](.+)$/.exec(pair);
    if (match === null) {
      throw new SyntaxError(`expected "metric:value" pairs, got "${pair}"`);
    }
    const [, metric, value] = match as unknown as [string, string, string];
    if (!(metric in SLO_METRICS)) {
      throw new SyntaxError(unknownMetric(metric));
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
