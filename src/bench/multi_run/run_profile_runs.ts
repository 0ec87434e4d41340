import { dirname, join } from "node:path";
import type { Registry } from "../../../mod.ts";
import { sleepUntil } from "../_sleep.ts";
import { BenchConfigError } from "../config/bench_config_error.ts";
import type { BenchmarkSettings } from "../config/resolve_settings.ts";
import { DatasetFileError } from "../datasets/dataset_file_error.ts";
import { formatNumber } from "../report/shared.ts";
import { type Components, createWorkload } from "../run/create_components.ts";
import { PreflightError } from "../run/preflight.ts";
import { runBenchmark, type RunOptions } from "../run/run_benchmark.ts";
import type { PhaseProgress } from "../run/run_phase.ts";
import type { BenchmarkResult, DatasetSampler } from "../types.ts";
import { exportersIn, runExporters } from "../exporters/run_exporters.ts";
import { type AggregateData, aggregateRuns, type RunOutcome } from "./aggregate_runs.ts";
import type { MultiRunSetting } from "./multi_run_setting.ts";

/** Where repeated runs report as they go. */
export interface ProfileRunsIO {
  /** One line per run, as each finishes (standard error). */
  readonly log: (line: string) => void;
  /** Where a run's records are streamed, by its folder (`profile_runs/run_0001`). */
  readonly recordsPath?: (dir: string) => string;
}

/** Finished repeated runs. */
export interface ProfileRunsOutcome {
  /** Each run's outcome, in order. */
  readonly runs: readonly RunOutcome[];
  /** The aggregate over the successful runs; absent when none succeeded. */
  readonly aggregate?: AggregateData;
  /** Files the per-run exporters wrote. */
  readonly paths: readonly string[];
  /** Exporters that failed: `run_0001: exporter "NAME" failed: why`. */
  readonly exportFailures: readonly string[];
  /** Whether Ctrl-C (or SIGTERM, SIGHUP) stopped them. */
  readonly interrupted: boolean;
}

/** `run_0001`, AIPerf's label of the first run. */
export function runLabel(index: number): string {
  return `run_${String(index + 1).padStart(4, "0")}`;
}

/**
 * Runs the benchmark `multi.runs` times with the same workload (a fresh timing strategy, dataset
 * and sampler for each run, created with the same configs and seed), as AIPerf's
 * `--num-profile-runs`: the warmup before the first run only (unless `multi.warmupEachRun`),
 * `multi.cooldownMs` between runs. With an output directory, each run's results go through the
 * selected exporters into `<output>/profile_runs/run_0001/`, ... A run that throws (the server
 * went away) or in which no request succeeded is a failed run; the others are aggregated.
 *
 * @param registry The benchmark's registry.
 * @param components The run's components (the first run's workload).
 * @param settings The run's settings.
 * @param options Interruption, progress and hooks, as for one run.
 * @param multi How many runs, the pause, the confidence level.
 * @param io Where each run's line goes.
 * @returns Each run's outcome and the aggregate.
 * @throws {BenchConfigError} When a run's configuration is refused (nothing sensible to repeat).
 * @throws {PreflightError} When the endpoint fails its pre-flight check.
 */
export async function runProfileRuns(
  registry: Registry,
  components: Components,
  settings: BenchmarkSettings,
  options: RunOptions,
  multi: MultiRunSetting,
  io: ProfileRunsIO,
): Promise<ProfileRunsOutcome> {
  const runs: RunOutcome[] = [];
  const paths: string[] = [];
  const exportFailures: string[] = [];
  const { warmup, ...rest } = settings;
  const draws = new WarmupDraws(options.progress);
  for (let i = 0; i < multi.runs && !options.interrupt.aborted; i++) {
    if (i > 0 && multi.cooldownMs > 0) {
      io.log(`cooling down ${formatNumber(multi.cooldownMs / 1000)} s`);
      await sleepUntil(performance.now() + multi.cooldownMs, options.interrupt);
      if (options.interrupt.aborted) break;
    }
    const label = runLabel(i);
    const dir = join("profile_runs", label);
    if (settings.output !== undefined) {
      await Deno.mkdir(join(settings.output, dir), { recursive: true });
    }
    const recordsPath = io.recordsPath?.(dir);
    if (recordsPath !== undefined) await Deno.mkdir(dirname(recordsPath), { recursive: true });
    const warm = warmup !== undefined && (i === 0 || multi.warmupEachRun);
    const workload = i === 0
      ? {
        sampler: {
          name: components.sampler.name,
          instance: draws.watch(components.sampler.instance),
        },
      }
      : await createWorkload(registry, settings);
    // Without its own warmup, a run's sampler first draws what the first run's warmup drew:
    // its profiling phase then sends the same prompts as the first run's.
    if (i > 0 && !warm) draws.replay(workload.sampler.instance);
    let result: BenchmarkResult;
    try {
      result = await runBenchmark(
        { ...components, ...workload },
        { ...rest, ...(warm ? { warmup } : {}) },
        {
          ...options,
          ...(i === 0 ? { progress: draws.progress } : {}),
          ...(recordsPath === undefined ? {} : { recordsPath }),
        },
      );
    } catch (error) {
      // What every run would hit again (a refused configuration or key) ends them all.
      if (
        error instanceof BenchConfigError || error instanceof DatasetFileError ||
        error instanceof PreflightError
      ) throw error;
      const message = (error as Error)?.message ?? String(error);
      runs.push({ label, error: message });
      io.log(`${label} (${i + 1} of ${multi.runs}): failed: ${message}`);
      continue;
    }
    if (settings.output !== undefined) {
      const exported = await runExporters(
        exportersIn(registry, settings.exporters, join(settings.output, dir)),
        result,
      );
      paths.push(...exported.paths);
      exportFailures.push(...exported.failures.map((failure) => `${label}: ${failure}`));
    }
    const ok = result.phases.profiling?.request_count ?? 0;
    const errors = result.phases.profiling?.error_request_count ?? 0;
    const outcome: RunOutcome = result.interrupted
      ? { label, error: "interrupted" }
      : ok === 0
      ? { label, error: "no request succeeded" }
      : { label, metrics: result.metrics };
    runs.push(outcome);
    io.log(`${label} (${i + 1} of ${multi.runs}): ${runLine(result, ok, errors)}`);
  }
  const succeeded = runs.some((r) => r.metrics !== undefined);
  return {
    runs,
    ...(succeeded ? { aggregate: aggregateRuns(runs, multi.level) } : {}),
    paths,
    exportFailures,
    interrupted: options.interrupt.aborted,
  };
}

// `230.1 req/s, TTFT p99 22.4 ms, latency p99 120.3 ms, 100 requests, 0 errors`.
function runLine(result: BenchmarkResult, ok: number, errors: number): string {
  const part = (label: string, metric: string, stat: "avg" | "p99", unit: string) => {
    const v = result.metrics[metric]?.[stat];
    return v === undefined ? [] : [`${label}${formatNumber(v)}${unit}`];
  };
  return [
    ...part("", "request_throughput", "avg", " req/s"),
    ...part("TTFT p99 ", "time_to_first_token", "p99", " ms"),
    ...part("latency p99 ", "request_latency", "p99", " ms"),
    `${ok} requests`,
    `${errors} errors`,
    ...(result.interrupted ? ["interrupted"] : []),
  ].join(", ");
}

// The sizes the first run's sampler was asked for during its warmup (until its profiling phase
// began), to draw them again from a later run's fresh sampler.
class WarmupDraws {
  readonly #sizes: number[] = [];
  #recording = true;
  readonly progress: PhaseProgress;

  constructor(inner: PhaseProgress | undefined) {
    this.progress = {
      begin: (start, counters) => {
        if (start.phase === "profiling") this.#recording = false;
        inner?.begin(start, counters);
      },
      end: () => inner?.end(),
    };
  }

  watch(sampler: DatasetSampler): DatasetSampler {
    return {
      next: (size) => {
        if (this.#recording) this.#sizes.push(size);
        return sampler.next(size);
      },
    };
  }

  replay(sampler: DatasetSampler): void {
    for (const size of this.#sizes) sampler.next(size);
  }
}
