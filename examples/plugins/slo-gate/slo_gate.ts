import type { PhaseHook, PhaseHookContext, PhaseSummary } from "@plugmap/plugmap/bench";
import { compare, parseThreshold, type Threshold } from "./parse_threshold.ts";

/** Configuration of {@linkcode SloGate}. */
export interface SloGateConfig {
  /** Thresholds such as `time_to_first_token.p99 <= 200`. */
  readonly thresholds: readonly unknown[];
  /** The phase to check; default `profiling`. */
  readonly phase?: string;
}

/** The verdict on one threshold. */
export interface ThresholdResult {
  /** The threshold. */
  readonly threshold: Threshold;
  /** The measured value, if the metric was reported. */
  readonly actual: number | undefined;
  /** Whether it held (a missing metric fails). */
  readonly passed: boolean;
}

/**
 * The `slo_gate` phase hook: when its phase completes, checks every threshold against the
 * phase's statistics, prints PASS or FAIL per threshold, and fails the run on any miss (so the
 * benchmark exits non-zero and can gate CI). A metric that was not measured fails its check.
 * Phase counts (`request_count`, `error_request_count`, `cancelled_request_count`) can be
 * checked too.
 *
 * @example
 * ```ts
 * import type { PhaseSummary } from "@plugmap/plugmap/bench";
 * import { SloGate } from "./slo_gate.ts";
 *
 * const failures: string[] = [];
 * const gate = new SloGate({ thresholds: ["time_to_first_token.p99 <= 200", "error_request_count == 0"] }, {
 *   log: () => {},
 *   fail: (reason) => failures.push(reason),
 * });
 * // The fields the gate reads; the benchmark passes the whole summary.
 * const summary: Partial<PhaseSummary> = {
 *   phase: "profiling", request_count: 10, error_request_count: 0,
 *   metrics: { time_to_first_token: { unit: "ms", avg: 150, p99: 250 } },
 * };
 * gate.onPhaseComplete(summary as PhaseSummary);
 * if (failures.length !== 1) throw new Error("the p99 check should fail");
 * ```
 */
export class SloGate implements PhaseHook {
  /** The parsed thresholds. */
  readonly thresholds: readonly Threshold[];
  /** The phase checked. */
  readonly phase: string;
  /** The verdicts of the last check. */
  results: readonly ThresholdResult[] = [];
  readonly #context: PhaseHookContext;

  /**
   * @param config `thresholds` (required) and `phase`.
   * @param context `log` and `fail`, from the benchmark.
   * @throws {SyntaxError} When a threshold cannot be parsed.
   * @throws {TypeError} When `thresholds` is empty or holds a non-string.
   */
  constructor(config: SloGateConfig, context: PhaseHookContext) {
    if (!Array.isArray(config.thresholds) || config.thresholds.length === 0) {
      throw new TypeError('Invalid "thresholds": expected a non-empty list');
    }
    this.thresholds = config.thresholds.map((t, i) => {
      if (typeof t !== "string") {
        throw new TypeError(`Invalid "thresholds[${i}]": expected a string, got ${typeof t}`);
      }
      return parseThreshold(t);
    });
    this.phase = config.phase ?? "profiling";
    this.#context = context;
  }

  /** Checks the thresholds when the configured phase completes. */
  onPhaseComplete(summary: PhaseSummary): void {
    if (summary.phase !== this.phase) return;
    this.results = this.thresholds.map((threshold) => {
      const actual = measured(summary, threshold);
      const passed = actual !== undefined && compare(actual, threshold.op, threshold.value);
      return { threshold, actual, passed };
    });
    const failed = this.results.filter((r) => !r.passed);
    for (const r of this.results) {
      const value = r.actual === undefined ? "not measured" : format(r.actual);
      this.#context.log(
        `SLO ${r.passed ? "PASS" : "FAIL"}  ${r.threshold.text}  (actual ${value})`,
      );
    }
    if (failed.length > 0) {
      this.#context.fail(
        `${failed.length} of ${this.results.length} SLO thresholds missed in ${summary.phase}: ` +
          failed.map((r) => r.threshold.text).join(", "),
      );
    }
  }
}

function measured(summary: PhaseSummary, t: Threshold): number | undefined {
  const stats = summary.metrics[t.metric];
  if (stats !== undefined) {
    const value = (stats as unknown as Record<string, unknown>)[t.stat];
    return typeof value === "number" ? value : undefined;
  }
  if (t.stat !== "avg") return undefined;
  const count = (summary as unknown as Record<string, unknown>)[t.metric];
  return typeof count === "number" ? count : undefined;
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
