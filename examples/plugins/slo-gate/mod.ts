/**
 * An SLO gate phase hook for plugmap bench: list it in a benchmark file's plugin map and it
 * checks thresholds such as `time_to_first_token.p99 <= 200` when a phase completes, failing
 * the run on a miss.
 *
 * ```yaml
 * plugins:
 *   map:
 *     slo: jsr:@plugmap/slo-gate@^1/registry.yaml
 *   phase_hooks:
 *     - name: slo_gate
 *       config: { thresholds: ["time_to_first_token.p99 <= 200"] }
 * ```
 *
 * @example
 * ```ts
 * import { parseThreshold } from "./mod.ts";
 *
 * if (parseThreshold("error_request_count == 0").stat !== "avg") throw new Error("wrong");
 * ```
 *
 * @module
 */
export * from "./slo_gate.ts";
export * from "./parse_threshold.ts";
