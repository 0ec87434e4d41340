import { studentTQuantile } from "../metrics/student_t.ts";
import type { Metrics } from "../types.ts";
import { STAT_KEYS as STATS } from "../report/metric_catalog.ts";

/** One statistic over the repeated runs: AIPerf's `ConfidenceMetric`. */
export interface ConfidenceMetric {
  /** Mean over the runs. */
  readonly mean: number;
  /** Sample standard deviation over the runs (n - 1). */
  readonly std: number;
  /** Smallest run's value. */
  readonly min: number;
  /** Largest run's value. */
  readonly max: number;
  /** `std / |mean|`; `null` (AIPerf: infinity) when the mean is 0. */
  readonly cv: number | null;
  /** Standard error, `std / sqrt(n)`. */
  readonly se: number;
  /** Lower end of the confidence interval of the mean, `mean - t_critical * se`. */
  readonly ci_low: number;
  /** Upper end, `mean + t_critical * se`. */
  readonly ci_high: number;
  /** Student's t quantile at `1 - (1 - level) / 2`, `n - 1` degrees of freedom; `null` for one run. */
  readonly t_critical: number | null;
  /** The metric's unit. */
  readonly unit: string;
}

/** One repeated run as the aggregate sees it: its figures, or why it failed. */
export interface RunOutcome {
  /** `run_0001`, ... */
  readonly label: string;
  /** The profiling phase's metrics, when the run succeeded. */
  readonly metrics?: Metrics;
  /** Why it failed (no metrics then). */
  readonly error?: string;
}

/** `profile_export_aiperf_aggregate.json`'s content (AIPerf's layout, schema 1.0). */
export interface AggregateData {
  readonly schema_version: "1.0";
  readonly metadata: {
    readonly aggregation_type: "confidence";
    readonly num_profile_runs: number;
    readonly num_successful_runs: number;
    readonly failed_runs: readonly { readonly label: string; readonly error: string }[];
    readonly confidence_level: number;
    readonly run_labels: readonly string[];
    /** Present (true) when only one run succeeded: no interval (AIPerf's single-run mode). */
    readonly single_run?: true;
  };
  /** `<metric>_<stat>` (`time_to_first_token_p99`) to its statistics over the runs. */
  readonly metrics: Readonly<Record<string, ConfidenceMetric>>;
}

/**
 * Aggregates repeated runs as AIPerf's confidence aggregation does: for every statistic of every
 * metric the successful runs report (`time_to_first_token` `p99`, keyed
 * `time_to_first_token_p99`), the mean over the runs, the sample standard deviation, min, max,
 * coefficient of variation, standard error and the Student's t confidence interval of the mean
 * at `level`. Non-finite values are skipped. With one successful run, each statistic is its
 * value with no spread (AIPerf's single-run mode).
 *
 * @param runs Every run, successful or not, in order.
 * @param level The confidence level (0.95).
 * @returns The aggregate.
 * @throws {RangeError} When no run succeeded.
 *
 * @example
 * ```ts
 * import { aggregateRuns } from "./aggregate_runs.ts";
 *
 * const run = (label: string, avg: number) => ({
 *   label,
 *   metrics: { request_latency: { unit: "ms", avg } },
 * });
 * const data = aggregateRuns([run("run_0001", 100), run("run_0002", 110)], 0.95);
 * const m = data.metrics.request_latency_avg!;
 * if (m.mean !== 105 || Math.abs(m.ci_high - 168.53) > 0.01) throw new Error(JSON.stringify(m));
 * ```
 */
export function aggregateRuns(runs: readonly RunOutcome[], level: number): AggregateData {
  const ok = runs.filter((r) => r.metrics !== undefined);
  if (ok.length === 0) {
    throw new RangeError(`Cannot aggregate ${runs.length} runs: none succeeded`);
  }
  const metrics: Record<string, ConfidenceMetric> = {};
  const names = [...new Set(ok.flatMap((r) => Object.keys(r.metrics!)))];
  for (const name of names) {
    for (const stat of STATS) {
      const values: number[] = [];
      let unit = "";
      for (const run of ok) {
        const stats = run.metrics![name];
        const value = stats?.[stat];
        if (value === undefined || !Number.isFinite(value)) continue;
        values.push(value);
        if (unit === "") unit = stats!.unit;
      }
      if (values.length > 0) metrics[`${name}_${stat}`] = confidenceOf(values, level, unit);
    }
  }
  return {
    schema_version: "1.0",
    metadata: {
      aggregation_type: "confidence",
      num_profile_runs: runs.length,
      num_successful_runs: ok.length,
      failed_runs: runs.filter((r) => r.metrics === undefined)
        .map((r) => ({ label: r.label, error: r.error ?? "failed" })),
      confidence_level: level,
      run_labels: ok.map((r) => r.label),
      ...(ok.length === 1 ? { single_run: true as const } : {}),
    },
    metrics,
  };
}

function confidenceOf(values: readonly number[], level: number, unit: string): ConfidenceMetric {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (n === 1) {
    return {
      mean,
      std: 0,
      min,
      max,
      cv: 0,
      se: 0,
      ci_low: mean,
      ci_high: mean,
      t_critical: null,
      unit,
    };
  }
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const se = std / Math.sqrt(n);
  const t = studentTQuantile(1 - (1 - level) / 2, n - 1);
  return {
    mean,
    std,
    min,
    max,
    cv: mean === 0 ? null : std / Math.abs(mean),
    se,
    ci_low: mean - t * se,
    ci_high: mean + t * se,
    t_critical: t,
    unit,
  };
}
