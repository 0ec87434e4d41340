// The Prometheus text format parser (the package ships no types: its output is declared here).
import parse from "npm:parse-prometheus-text-format@^1.1.1";

/** One sample line as the package returns it: strings, as written. */
export interface ParsedSample {
  readonly value?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly timestamp_ms?: string;
}

/** One family as the package returns it. */
export interface ParsedFamily {
  readonly name: string;
  readonly help: string;
  /** Upper case: COUNTER, GAUGE, HISTOGRAM, SUMMARY, UNTYPED. */
  readonly type: string;
  readonly metrics: readonly ParsedSample[];
}

/**
 * Parses Prometheus text; throws an `InvalidLineError` whose message ends with the offending
 * line (`Encountered invalid line: ...`).
 */
export const parsePrometheusTextFormat = parse as unknown as (
  text: string,
) => ParsedFamily[];
