import { BenchConfigError } from "../config/bench_config_error.ts";
import type { BenchArgs } from "../config/parse_bench_args.ts";
import type { BenchmarkSettings } from "../config/resolve_settings.ts";

/** What `--search-space` searches and how it stops. */
export interface SearchSetting {
  /** The timing setting searched: `request_rate` or `concurrency`. */
  readonly field: "request_rate" | "concurrency";
  /** The timing strategy each probe runs (`request_rate` or `fixed_concurrency`). */
  readonly timing: string;
  /** The timing config every probe shares (the searched field is set per probe). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Lowest value searched. */
  readonly low: number;
  /** Highest value searched. */
  readonly high: number;
  /** Share of requests that must meet every `--goodput` SLO (0.95). */
  readonly target: number;
  /** Relative width of the final bracket (request rate). */
  readonly precision: number;
  /** At most this many probes. */
  readonly maxProbes: number;
  /** A probe whose share of failed requests is above this misses the target. */
  readonly maxErrorRate: number;
}

/**
 * The search of a run, from its flags: what is searched, the target and the stopping rules;
 * `undefined` without `--search-space`.
 *
 * @param args The parsed flags.
 * @param settings The resolved settings (the timing config probes share).
 * @returns The search, or `undefined`.
 * @throws {BenchConfigError} Without `--goodput` (nothing to meet), with a sweep, or with
 * `--search-*` options but no `--search-space`.
 */
export function searchSetting(
  args: BenchArgs,
  settings: BenchmarkSettings,
): SearchSetting | undefined {
  const space = args.searchSpace;
  if (space === undefined) {
    for (
      const [key, flag] of [
        ["searchGoodputFraction", "--search-goodput-fraction"],
        ["searchPrecision", "--search-precision"],
        ["searchMaxIterations", "--search-max-iterations"],
        ["searchMaxErrorRate", "--search-max-error-rate"],
      ] as const
    ) {
      if (args[key] !== undefined) {
        throw new BenchConfigError(
          "needs --search-space (request_rate:LOW:HIGH or " +
            "concurrency:LOW:HIGH)",
          { flag },
        );
      }
    }
    return undefined;
  }
  if (settings.goodput === undefined) {
    throw new BenchConfigError(
      'needs --goodput (the SLOs a request must meet, e.g. "time_to_first_token:200")',
      { flag: "--search-space" },
    );
  }
  if (settings.sweep !== undefined) {
    throw new BenchConfigError("cannot be combined with a sweep (a list of values)", {
      flag: "--search-space",
    });
  }
  const timing = space.field === "request_rate" ? "request_rate" : "fixed_concurrency";
  const config = settings.timing.name === timing ? settings.timing.config : {};
  return {
    field: space.field,
    timing,
    config,
    low: space.low,
    high: space.high,
    target: args.searchGoodputFraction ?? 0.95,
    precision: args.searchPrecision ?? 0.1,
    maxProbes: args.searchMaxIterations ?? 12,
    maxErrorRate: args.searchMaxErrorRate ?? 0.05,
  };
}
