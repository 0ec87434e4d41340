import { BenchConfigError } from "../config/bench_config_error.ts";
import type { BenchArgs } from "../config/parse_bench_args.ts";
import type { BenchmarkSettings } from "../config/resolve_settings.ts";

/** How `--num-profile-runs` repeats the benchmark. */
export interface MultiRunSetting {
  /** How many runs (> 1). */
  readonly runs: number;
  /** Pause between runs, in ms (`--profile-run-cooldown-seconds`). */
  readonly cooldownMs: number;
  /** Confidence level of the intervals over the runs (`--confidence-level`). */
  readonly level: number;
  /** Warm up before every run, not only the first (`--no-profile-run-disable-warmup-after-first`). */
  readonly warmupEachRun: boolean;
}

/** The seed repeated runs use without `--random-seed` (AIPerf's `--set-consistent-seed`). */
export const CONSISTENT_SEED = 42;

/**
 * The flags with AIPerf's consistent seed: with `--num-profile-runs` above 1, no `--random-seed`
 * and `--set-consistent-seed` (the default), `--random-seed 42`, so every run sends the same
 * prompts on the same schedule.
 *
 * @param args The parsed flags.
 * @returns `args`, or a copy with `randomSeed: 42`.
 */
export function withConsistentSeed(args: BenchArgs): BenchArgs {
  const repeated = (args.numProfileRuns ?? 1) > 1;
  if (!repeated || args.randomSeed !== undefined || args.setConsistentSeed === false) return args;
  return { ...args, randomSeed: CONSISTENT_SEED };
}

/**
 * The repetition of a run, from its flags; `undefined` for one run. Checks `--confidence-level`
 * (used by single runs too, for the intervals in `profile_export.json`).
 *
 * @param args The parsed flags.
 * @param settings The resolved settings.
 * @param sharded Whether this process is one shard of a sharded benchmark.
 * @returns The repetition, or `undefined`.
 * @throws {BenchConfigError} When `--confidence-level` is 0 or 1, or repeated runs are combined
 * with a sweep, a search (`--search-space`) or sharding.
 */
export function multiRunSetting(
  args: BenchArgs,
  settings: BenchmarkSettings,
  sharded: boolean,
): MultiRunSetting | undefined {
  const level = args.confidenceLevel ?? 0.95;
  if (level <= 0 || level >= 1) {
    throw new BenchConfigError(`expected a level above 0 and below 1, got "${level}"`, {
      flag: "--confidence-level",
    });
  }
  const runs = args.numProfileRuns ?? 1;
  if (runs <= 1) return undefined;
  const other = settings.sweep !== undefined
    ? "a sweep (a list of values)"
    : args.searchSpace !== undefined
    ? "--search-space"
    : sharded
    ? "--shard (run the repetitions on the coordinator's side instead)"
    : undefined;
  if (other !== undefined) {
    throw new BenchConfigError(`cannot be combined with ${other}`, { flag: "--num-profile-runs" });
  }
  return {
    runs,
    cooldownMs: (args.profileRunCooldownSeconds ?? 0) * 1000,
    level,
    warmupEachRun: args.profileRunDisableWarmupAfterFirst === false,
  };
}
