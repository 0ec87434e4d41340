import { join } from "node:path";
import type { Registry } from "../../../mod.ts";
import type { BenchmarkSettings } from "../config/resolve_settings.ts";
import { formatNumber } from "../report/shared.ts";
import type { Components } from "../run/create_components.ts";
import { runBenchmark, type RunOptions } from "../run/run_benchmark.ts";
import type { BenchmarkResult, TimingStrategy } from "../types.ts";
import { exportersIn, runExporters } from "../exporters/run_exporters.ts";
import type { SweepData, SweepPoint } from "./sweep_data.ts";
import { pointStat } from "./sweep_data.ts";
import { sweepServerFigures } from "./sweep_server.ts";

/** Where a sweep reports as it goes. */
export interface SweepIO {
  /** One line per value, as each finishes (standard error). */
  readonly log: (line: string) => void;
  /**
   * Where each value's profiling records are streamed (`records.jsonl`), by the value's
   * directory name (`concurrency_4`); kept in memory when absent.
   */
  readonly recordsPath?: (dir: string) => string;
  /** How a shard steps with the other shards of a sharded sweep; absent when not sharded. */
  readonly step?: SweepStep;
}

/**
 * A sharded sweep's part in each value (implemented by the shard folder's `shardSweepStep`): the
 * shards run every value together, and decide together whether to go on.
 */
export interface SweepStep {
  /** This shard's share of a value's timing config (a concurrency split over the shards). */
  config(config: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /** Wraps a value's timing strategy so this shard sends only its part of the schedule. */
  timing(name: string, timing: TimingStrategy): TimingStrategy;
  /** Called before a value runs, with its directory name (`concurrency_4`). */
  begin(dir: string): void;
  /**
   * Tells the other shards this shard's counts at a value and resolves with the whole run's,
   * the same on every shard (so the sweep stops, or goes on, on every shard alike).
   */
  agree(dir: string, counts: StepCounts): Promise<StepCounts>;
}

/** A value's counts (one shard's, or the whole run's). */
export interface StepCounts {
  /** Successful requests. */
  readonly ok: number;
  /** Failed requests. */
  readonly errors: number;
  /** Whether the value was interrupted (on any shard, for the whole run's). */
  readonly interrupted: boolean;
}

/** A finished sweep. */
export interface SweepOutcome {
  /** The sweep's data (`sweep.json`). */
  readonly data: SweepData;
  /** Each value's full result, in run order. */
  readonly results: readonly BenchmarkResult[];
  /** Files the per-value exporters wrote. */
  readonly paths: readonly string[];
  /** Exporters that failed: `exporter "NAME" failed: why`. */
  readonly exportFailures: readonly string[];
}

/**
 * Runs a sweep: the warmup once, then one profiling phase per value of the swept timing setting
 * (a fresh timing strategy from the registry for each, with that value in its config). With an
 * output directory, each value's results go through the selected exporters into
 * `<output>/<field>_<value>/`. Stops after a value whose share of failed requests is above
 * `settings.sweep.maxErrorRate`, and on Ctrl-C. Sharded (`io.step`), each value's config and
 * timing are this shard's part, each value's profiling phase is held by `options.startGate` until
 * its own common start, and the whole run's counts, summed over the shards, decide whether to go
 * on, so every shard stops at the same value.
 *
 * @param registry The benchmark's registry (timing strategies and exporters are created from it).
 * @param components The run's components; the timing strategy is replaced per value.
 * @param settings The run's settings, with `sweep`.
 * @param options Interruption, progress and hooks, as for one run.
 * @param io Where each value's line goes.
 * @returns The sweep's data and results.
 * @throws {TypeError} When `settings.sweep` is absent.
 */
export async function runSweep(
  registry: Registry,
  components: Components,
  settings: BenchmarkSettings,
  options: RunOptions,
  io: SweepIO,
): Promise<SweepOutcome> {
  const sweep = settings.sweep;
  if (sweep === undefined) throw new TypeError("Cannot run a sweep: the settings have no sweep");
  const points: SweepPoint[] = [];
  const results: BenchmarkResult[] = [];
  const paths: string[] = [];
  const exportFailures: string[] = [];
  let stopped: string | undefined;
  for (const [i, value] of sweep.values.entries()) {
    if (options.interrupt.aborted) {
      stopped = "interrupted";
      break;
    }
    const step = io.step;
    const whole = { ...settings.timing.config, [sweep.field]: value };
    const config = step?.config(whole) ?? whole;
    const created = await registry.factory<TimingStrategy>("timing_strategy")
      .create(settings.timing.name, config);
    const timing = step?.timing(settings.timing.name, created) ?? created;
    const { warmup, ...rest } = settings;
    const dir = `${sweep.field}_${value}`;
    step?.begin(dir);
    if (settings.output !== undefined && settings.exporters.length > 0) {
      // The host makes each value's directory, for every exporter, built-in or plugin.
      await Deno.mkdir(join(settings.output, dir), { recursive: true });
    }
    const recordsPath = io.recordsPath?.(dir);
    const result = await runBenchmark(
      { ...components, timing: { name: settings.timing.name, instance: timing } },
      {
        ...rest,
        ...(i === 0 && warmup !== undefined ? { warmup } : {}),
        timing: { ...settings.timing, config },
      },
      recordsPath === undefined ? options : { ...options, recordsPath },
    );
    results.push(result);
    if (settings.output !== undefined) {
      const exported = await runExporters(
        exportersIn(registry, settings.exporters, join(settings.output, dir)),
        result,
      );
      paths.push(...exported.paths);
      exportFailures.push(...exported.failures);
    }
    const profiling = result.phases.profiling;
    const ok = profiling?.request_count ?? 0;
    const errors = profiling?.error_request_count ?? 0;
    const server = sweepServerFigures(profiling?.server_metrics);
    const point: SweepPoint = {
      value,
      ok,
      errors,
      duration_ms: profiling?.duration_ms ?? 0,
      metrics: result.metrics,
      ...(settings.output === undefined ? {} : { dir }),
      ...(server === undefined ? {} : { server }),
    };
    points.push(point);
    io.log(pointLine(sweep.field, point));
    // Sharded, the whole run's counts decide (the last value needs no decision).
    const counts = { ok, errors, interrupted: result.interrupted === true };
    const agreed = step === undefined || i === sweep.values.length - 1
      ? counts
      : await step.agree(dir, counts);
    const rate = agreed.ok + agreed.errors === 0 ? 0 : agreed.errors / (agreed.ok + agreed.errors);
    if (result.interrupted || agreed.interrupted) {
      stopped = result.interrupted ? "interrupted" : "interrupted (on another shard)";
      break;
    }
    if (rate > sweep.maxErrorRate && i < sweep.values.length - 1) {
      stopped = `${formatNumber(rate * 100)}% of requests failed at ${sweep.field} ${value} ` +
        `(more than --sweep-max-error-rate ${sweep.maxErrorRate})`;
      break;
    }
  }
  const first = results[0]?.benchmark ?? {};
  const data: SweepData = {
    field: sweep.field,
    values: sweep.values,
    points,
    ...(stopped === undefined ? {} : { stopped }),
    benchmark: { ...first, timing_config: { ...settings.timing.config, [sweep.field]: "swept" } },
  };
  return { data, results, paths, exportFailures };
}

/** `concurrency 4: 230.1 req/s, 7,301.5 tokens/s, TTFT p99 22.4 ms, ITL p99 2.1 ms, 0 errors`. */
function pointLine(field: string, p: SweepPoint): string {
  const part = (label: string, metric: string, stat: string, unit: string) => {
    const v = pointStat(p, metric, stat);
    return v === undefined ? [] : [`${label}${formatNumber(v)}${unit}`];
  };
  return `${field} ${p.value}: ` + [
    ...part("", "request_throughput", "avg", " req/s"),
    ...part("", "output_token_throughput", "avg", " tokens/s"),
    ...part("TTFT p99 ", "time_to_first_token", "p99", " ms"),
    ...part("ITL p99 ", "inter_token_latency", "p99", " ms"),
    `${p.errors} errors`,
  ].join(", ");
}
