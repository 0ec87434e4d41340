import { BenchConfigError } from "./bench_config_error.ts";
import type { BenchmarkFile } from "./benchmark_file.ts";
import { type BenchArgs, flagOf } from "./parse_bench_args.ts";
import { inputFileType } from "./resolve_dataset.ts";
import type { ScheduleWindow, SelectionSetting } from "./types.ts";
import { DEFAULTS } from "./_defaults.ts";
import { defined } from "./_selection.ts";

/** The timing strategy of a run, and the part of a trace a fixed schedule sends. */
export interface TimingChoice {
  readonly timing: SelectionSetting;
  /** The entries a fixed schedule sends, by timestamp; every entry when absent. */
  readonly scheduleWindow?: ScheduleWindow;
}

// The strategy being chosen: its name and config, changed by one rule after another.
interface Draft {
  name: string;
  config: Record<string, unknown>;
}

/**
 * Chooses the timing strategy, as AIPerf does: a fixed schedule (`--fixed-schedule`, or a
 * Mooncake trace without another timing), else `--request-rate` (with `--concurrency` as its
 * cap), else `--concurrency`, else the file's, else 8 in flight.
 *
 * @param args The parsed flags.
 * @param file The benchmark file (`{}` without one).
 * @returns The choice.
 * @throws {BenchConfigError} Naming the flag, when a flag needs another or contradicts one.
 *
 * @example
 * ```ts
 * import { resolveTiming } from "./resolve_timing.ts";
 *
 * const { timing } = resolveTiming({ requestRate: 50, concurrency: 4 }, {});
 * if (timing.name !== "request_rate" || timing.config.max_concurrency !== 4) throw new Error();
 * ```
 */
export function resolveTiming(args: BenchArgs, file: BenchmarkFile): TimingChoice {
  const chosen = file.timing_strategy ??
    { name: DEFAULTS.timing, config: { concurrency: DEFAULTS.concurrency } };
  const draft: Draft = { name: chosen.name, config: { ...chosen.config } };
  const scheduleWindow = fixedSchedule(args, file, draft);
  requestRate(args, draft);
  concurrency(args, draft);
  return {
    timing: { name: draft.name, config: draft.config, field: "timing_strategy" },
    ...defined("scheduleWindow", scheduleWindow),
  };
}

function switchTo(draft: Draft, name: string): void {
  if (draft.name !== name) draft.config = {};
  draft.name = name;
}

/** `--fixed-schedule` (or a Mooncake trace alone), its offsets and its window. */
function fixedSchedule(
  args: BenchArgs,
  file: BenchmarkFile,
  draft: Draft,
): ScheduleWindow | undefined {
  // A Mooncake trace replays on its timestamps unless a timing is chosen (as in AIPerf).
  // --input-file alone: the type its first entry shows, else mooncake_trace (AIPerf's default).
  const trace = inputFileType(args) === "mooncake_trace" &&
    file.timing_strategy === undefined && args.requestRate === undefined &&
    args.concurrency === undefined;
  if (args.fixedSchedule || trace) {
    if (args.requestRate !== undefined) {
      throw new BenchConfigError("cannot be combined with --request-rate", {
        flag: "--fixed-schedule",
      });
    }
    switchTo(draft, "fixed_schedule");
  }
  const fixed = draft.name === "fixed_schedule";
  if (args.fixedScheduleAutoOffset) {
    if (!fixed) {
      throw new BenchConfigError("needs --fixed-schedule", {
        flag: "--fixed-schedule-auto-offset",
      });
    }
    draft.config.auto_offset = true;
  }
  // AIPerf's window on a trace: entries from the start offset to the end offset (both
  // included) are sent, and the schedule's zero is the start offset.
  const start = args.fixedScheduleStartOffset;
  const end = args.fixedScheduleEndOffset;
  for (const [value, flag] of [[start, "start"], [end, "end"]] as const) {
    if (value !== undefined && !fixed) {
      throw new BenchConfigError("needs --fixed-schedule (or a mooncake_trace --input-file)", {
        flag: `--fixed-schedule-${flag}-offset`,
      });
    }
  }
  if (start !== undefined && args.fixedScheduleAutoOffset) {
    throw new BenchConfigError("cannot be combined with --fixed-schedule-auto-offset", {
      flag: "--fixed-schedule-start-offset",
    });
  }
  if (start !== undefined && end !== undefined && start > end) {
    throw new BenchConfigError(
      `must not be after --fixed-schedule-end-offset (${start} > ${end})`,
      { flag: "--fixed-schedule-start-offset" },
    );
  }
  if (start !== undefined) draft.config.start_offset = start;
  return start === undefined && end === undefined
    ? undefined
    : { ...defined("start", start), ...defined("end", end) };
}

/** `--request-rate` and the settings that only a request rate takes. */
function requestRate(args: BenchArgs, draft: Draft): void {
  if (args.requestRate !== undefined) {
    switchTo(draft, "request_rate");
    draft.config.request_rate = args.requestRate;
  } else if (
    args.searchSpace?.field === "request_rate" &&
    (args.arrival ?? args.arrivalSmoothness ?? args.requestRateRampDuration) !== undefined
  ) {
    // A request-rate search's probes take these settings; each probe sets its own rate (the
    // lower bound stands in until the first).
    switchTo(draft, "request_rate");
    draft.config.request_rate = args.searchSpace.low;
  } else if (args.arrival !== undefined && draft.name !== "request_rate") {
    throw new BenchConfigError("needs --request-rate (or a request_rate timing strategy)", {
      flag: flagOf(args, "arrival"),
    });
  }
  if (args.arrival !== undefined) draft.config.arrival = args.arrival;
  const rateOnly = [
    ["arrivalSmoothness", "smoothness"],
    ["requestRateRampDuration", "ramp_duration"],
  ] as const;
  for (const [key, field] of rateOnly) {
    if (args[key] === undefined) continue;
    if (draft.name !== "request_rate") {
      throw new BenchConfigError("needs --request-rate", { flag: flagOf(args, key) });
    }
    draft.config[field] = args[key];
  }
  if (args.arrivalSmoothness !== undefined) draft.config.arrival ??= "gamma";
  if (args.randomSeed !== undefined && draft.name === "request_rate") {
    draft.config.seed = args.randomSeed;
  }
}

/** `--concurrency`: a request rate's cap, or the concurrency of fixed_concurrency. */
function concurrency(args: BenchArgs, draft: Draft): void {
  if (args.concurrency !== undefined) {
    if (draft.name === "fixed_schedule") {
      throw new BenchConfigError("cannot be combined with --fixed-schedule", {
        flag: "--concurrency",
      });
    }
    if (draft.name === "request_rate") draft.config.max_concurrency = args.concurrency;
    else {
      switchTo(draft, "fixed_concurrency");
      draft.config.concurrency = args.concurrency;
    }
  }
  if (args.concurrencyRampDuration !== undefined) {
    // With a request rate, AIPerf ramps the cap on requests in flight.
    if (draft.name === "request_rate" && draft.config.max_concurrency !== undefined) {
      draft.config.concurrency_ramp_duration = args.concurrencyRampDuration;
      return;
    }
    if (draft.name !== "fixed_concurrency") {
      throw new BenchConfigError("needs --concurrency (fixed_concurrency timing, or a cap)", {
        flag: "--concurrency-ramp-duration",
      });
    }
    draft.config.ramp_duration = args.concurrencyRampDuration;
  }
}
