import { BenchConfigError } from "./bench_config_error.ts";
import type { BenchmarkFile } from "./benchmark_file.ts";
import type { BenchArgs } from "./parse_bench_args.ts";
import type { PhaseSetting } from "./types.ts";
import { DEFAULTS, SEND_ONCE } from "./_defaults.ts";
import { phase } from "./_selection.ts";

/** When the warmup (absent: none) and the profiling phase stop. */
export interface PhaseStops {
  readonly warmup?: PhaseSetting;
  readonly profiling: PhaseSetting;
}

/**
 * Decides when the phases stop: the flags replace the file's phase, the file's replaces the
 * default (8 warmup and 100 profiling requests; a dataset file is sent once, without warmup).
 * A duration gets AIPerf's grace period.
 *
 * @param args The parsed flags.
 * @param file The benchmark file (`{}` without one).
 * @param dataset The name of the chosen dataset.
 * @param where Locates a field of the file, for errors.
 * @returns The stops.
 * @throws {BenchConfigError} When a phase has no stop, or a grace period no duration.
 *
 * @example
 * ```ts
 * import { resolvePhases } from "./resolve_phases.ts";
 *
 * const { warmup, profiling } = resolvePhases({ duration: 2 }, {}, "synthetic", (f) => ({ field: f }));
 * if (warmup?.requestCount !== 8 || profiling.gracePeriodMs !== 30_000) throw new Error();
 * ```
 */
export function resolvePhases(
  args: BenchArgs,
  file: BenchmarkFile,
  dataset: string,
  where: (field: string) => { field: string },
): PhaseStops {
  const fromFile = SEND_ONCE.includes(dataset);
  const fileWarmup = file.phases?.warmup;
  // A file is sent as it is: no warmup unless asked for.
  let warmup: PhaseSetting | undefined = fileWarmup === undefined
    ? (fromFile ? undefined : { requestCount: DEFAULTS.warmupRequests })
    : phase(fileWarmup);
  const { warmupRequestCount, warmupDuration, numWarmupSessions } = args;
  if (
    warmupRequestCount !== undefined || warmupDuration !== undefined ||
    numWarmupSessions !== undefined
  ) {
    // AIPerf's warmup stops: whichever comes first.
    warmup = {
      ...(warmupRequestCount === undefined ? {} : { requestCount: warmupRequestCount }),
      ...(warmupDuration === undefined ? {} : { durationMs: warmupDuration * 1000 }),
      ...(numWarmupSessions === undefined ? {} : { conversationCount: numWarmupSessions }),
    };
  }
  if (warmup?.durationMs !== undefined && args.warmupGracePeriod !== undefined) {
    warmup = { ...warmup, gracePeriodMs: args.warmupGracePeriod * 1000 };
  }
  if (
    warmup?.requestCount === 0 && warmup.durationMs === undefined &&
    warmup.conversationCount === undefined
  ) warmup = undefined;
  if (warmup !== undefined && !stops(warmup) && warmup.conversationCount === undefined) {
    throw new BenchConfigError("expected request_count or duration", where("phases.warmup"));
  }
  let profiling: PhaseSetting = file.phases?.profiling === undefined
    ? (fromFile ? { datasetOnce: true } : { requestCount: DEFAULTS.profilingRequests })
    : phase(file.phases.profiling);
  const { requestCount, duration, conversationNum } = args;
  if (requestCount !== undefined || duration !== undefined || conversationNum !== undefined) {
    profiling = {
      ...(requestCount === undefined ? {} : { requestCount }),
      ...(duration === undefined ? {} : { durationMs: duration * 1000 }),
      ...(conversationNum === undefined ? {} : { conversationCount: conversationNum }),
    };
  }
  // Without a duration AIPerf accepts a grace period and ignores it (it "only applies when
  // --benchmark-duration is set"); so do we.
  if (profiling.durationMs !== undefined) {
    profiling = { ...profiling, gracePeriodMs: (args.gracePeriod ?? DEFAULTS.gracePeriod) * 1000 };
  }
  if (!stops(profiling) && profiling.conversationCount === undefined && !profiling.datasetOnce) {
    throw new BenchConfigError("expected request_count or duration", where("phases.profiling"));
  }
  if (profiling.requestCount === 0) {
    throw new BenchConfigError(
      "expected a positive integer",
      where("phases.profiling.request_count"),
    );
  }
  // AIPerf's prefill concurrency: the warmup's own, else the run's.
  const prefill = prefillOf(args.prefillConcurrency, args.prefillConcurrencyRampDuration);
  const warmupPrefill = {
    ...prefill,
    ...prefillOf(args.warmupPrefillConcurrency, args.warmupPrefillConcurrencyRampDuration),
  };
  return {
    ...(warmup === undefined ? {} : { warmup: { ...warmup, ...warmupPrefill } }),
    profiling: { ...profiling, ...prefill },
  };
}

function prefillOf(limit: number | undefined, rampSeconds: number | undefined) {
  return {
    ...(limit === undefined ? {} : { prefillConcurrency: limit }),
    ...(rampSeconds === undefined ? {} : { prefillRampMs: rampSeconds * 1000 }),
  };
}

function stops(p: PhaseSetting): boolean {
  return p.requestCount !== undefined || p.durationMs !== undefined;
}
