/** A comparison operator of a threshold. */
export type ThresholdOperator = "<=" | "<" | ">=" | ">" | "==" | "!=";

/** A parsed threshold: `<metric>.<stat> <op> <value>`. */
export interface Threshold {
  /** The text as written. */
  readonly text: string;
  /** The metric, e.g. `time_to_first_token`, or a phase count such as `error_request_count`. */
  readonly metric: string;
  /** The statistic, e.g. `p99`; `avg` when not written. */
  readonly stat: string;
  /** The comparison. */
  readonly op: ThresholdOperator;
  /** The bound. */
  readonly value: number;
}

const PATTERN =
  /^\s*([A-Za-z_][\w]*)(?:\.([A-Za-z_]\w*))?\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i;

/**
 * Parses a threshold such as `time_to_first_token.p99 <= 200` or `error_request_count == 0`.
 *
 * @param text The threshold.
 * @returns The parsed threshold.
 * @throws {SyntaxError} When the text is not `<metric>[.<stat>] <op> <number>`.
 *
 * @example
 * ```ts
 * import { parseThreshold } from "./parse_threshold.ts";
 *
 * const t = parseThreshold("time_to_first_token.p99 <= 200");
 * if (t.metric !== "time_to_first_token" || t.stat !== "p99" || t.value !== 200) {
 *   throw new Error("wrong");
 * }
 * ```
 */
export function parseThreshold(text: string): Threshold {
  const match = PATTERN.exec(text);
  if (match === null) {
    throw new SyntaxError(
      `Invalid threshold "${text}": expected "<metric>[.<stat>] <op> <number>" ` +
        `with op one of <=, <, >=, >, ==, !=`,
    );
  }
  return {
    text: text.trim(),
    metric: match[1]!,
    stat: match[2] ?? "avg",
    op: match[3] as ThresholdOperator,
    value: Number(match[4]),
  };
}

/** Whether `actual op bound` holds. */
export function compare(actual: number, op: ThresholdOperator, bound: number): boolean {
  switch (op) {
    case "<=":
      return actual <= bound;
    case "<":
      return actual < bound;
    case ">=":
      return actual >= bound;
    case ">":
      return actual > bound;
    case "==":
      return actual === bound;
    case "!=":
      return actual !== bound;
  }
}
