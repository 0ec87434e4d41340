import type { BenchmarkSettings, PhaseSetting } from "../config/resolve_settings.ts";
import type {
  BenchmarkResult,
  HookFailure,
  PhaseName,
  PhaseSummary,
  RequestRecord,
} from "../types.ts";
import type { Components } from "./create_components.ts";
import { type PhaseProgress, runPhase } from "./run_phase.ts";

/** How a run is watched and stopped. */
export interface RunOptions {
  /** Aborted on Ctrl-C: the current phase stops, later phases do not run. */
  readonly interrupt: AbortSignal;
  /** Shows each phase's progress. */
  readonly progress?: PhaseProgress;
  /** Reasons hooks gave through `fail()`; read when the result is assembled. */
  readonly failures: readonly string[];
  /** Called when a hook throws (the run goes on). */
  readonly onHookFailure?: (failure: HookFailure) => void;
}

/**
 * Runs the benchmark: loads the dataset, runs the warmup phase (its results are discarded)
 * and the profiling phase, and assembles the result exporters receive. Ctrl-C keeps what was
 * measured: the result then has `interrupted: true`.
 *
 * @param components The instances, created through the registry.
 * @param settings Phases and names.
 * @param options Interruption, progress, hook failures.
 * @returns The result.
 * @throws {Error} When the dataset cannot be loaded or the timing strategy throws.
 *
 * @example
 * ```ts
 * import { runBenchmark } from "./run_benchmark.ts";
 * import { resolveSettings } from "../config/resolve_settings.ts";
 * import { FixedConcurrency } from "../timing/fixed_concurrency.ts";
 * import { SequentialSampler } from "../samplers/sequential_sampler.ts";
 *
 * const result = await runBenchmark({
 *   endpoint: { name: "memory", instance: {
 *     url: "memory:", streaming: false,
 *     send: () => Promise.resolve({ start: 0, end: 10, outputTokens: 2 }),
 *   } },
 *   timing: { name: "fixed_concurrency", instance: new FixedConcurrency({ concurrency: 2 }) },
 *   dataset: { name: "one", instance: { load: () => Promise.resolve([{ prompt: "hi" }]) } },
 *   sampler: { name: "sequential", instance: new SequentialSampler() },
 *   hooks: [],
 *   exporters: [],
 * }, resolveSettings({ requestCount: 3 }), {
 *   interrupt: new AbortController().signal,
 *   failures: [],
 * });
 * if (result.records.length !== 3) throw new Error("wrong");
 * ```
 */
export async function runBenchmark(
  components: Components,
  settings: BenchmarkSettings,
  options: RunOptions,
): Promise<BenchmarkResult> {
  const startedAt = new Date().toISOString();
  const entries = await components.dataset.instance.load();
  if (entries.length === 0) {
    throw new RangeError(`The dataset "${components.dataset.name}" has no entries`);
  }
  const hookFailures: HookFailure[] = [];
  const phases: Partial<Record<PhaseName, PhaseSummary>> = {};
  let records: readonly RequestRecord[] = [];
  const run = async (phase: PhaseName, setting: PhaseSetting) => {
    const outcome = await runPhase({
      phase,
      ...setting,
      endpoint: components.endpoint.instance,
      timing: components.timing.instance,
      entries,
      sampler: components.sampler.instance,
      hooks: components.hooks,
      interrupt: options.interrupt,
      ...(options.progress === undefined ? {} : { progress: options.progress }),
      onHookFailure: (failure) => {
        hookFailures.push(failure);
        options.onHookFailure?.(failure);
      },
    });
    phases[phase] = outcome.summary;
    return outcome;
  };
  if (settings.warmup !== undefined && !options.interrupt.aborted) {
    await run("warmup", settings.warmup);
  }
  if (!options.interrupt.aborted) {
    records = (await run("profiling", settings.profiling)).records;
  }
  const endpoint = components.endpoint.instance;
  return {
    benchmark: {
      endpoint: components.endpoint.name,
      url: endpoint.url,
      streaming: endpoint.streaming,
      timing_strategy: components.timing.name,
      timing_config: settings.timing.config,
      dataset: components.dataset.name,
      dataset_sampler: components.sampler.name,
      phase_hooks: components.hooks.map((h) => h.name),
      started_at: startedAt,
    },
    phases,
    metrics: phases.profiling?.metrics ?? {},
    records,
    interrupted: options.interrupt.aborted,
    hook_failures: hookFailures,
    failures: [...options.failures],
  };
}
