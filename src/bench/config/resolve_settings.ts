import { cwdUrl, resolveLocation } from "../_file_url.ts";
import { detectDatasetFileType } from "../datasets/detect_dataset_type.ts";
import { BenchConfigError } from "./bench_config_error.ts";
import type { BenchmarkFilePhase, Selection } from "./benchmark_file.ts";
import { type BenchArgs, flagOf, type TableArgs } from "./parse_bench_args.ts";
import type { Setting } from "./setting.ts";
import { DATASET_TYPES, defaultOf, SETTINGS } from "./settings_table.ts";
import type { LoadedBenchmarkFile } from "./load_benchmark_file.ts";
import type { Slo } from "../metrics/parse_goodput.ts";
import type { ServerOptions } from "../server/start_server.ts";

/** One implementation to create: its name, its config and where it was chosen. */
export interface SelectionSetting {
  /** The implementation name (or `plugin/name`). */
  readonly name: string;
  /** Its config, before the registry validates it. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Where it was chosen in the benchmark file (`plugins.phase_hooks[0]`), for messages. */
  readonly field: string;
  /**
   * Config keys set by flags (`--isl` sets `input_tokens_mean`): applied over `config` when the
   * chosen implementation's `config_schema` declares the key, refused (naming the flag) when
   * it does not, unless `quiet`.
   */
  readonly flags?: readonly FlagConfig[];
}

/** A config key a flag sets (see {@linkcode SelectionSetting.flags}). */
export interface FlagConfig {
  /** The config key. */
  readonly key: string;
  readonly value: unknown;
  /** The flag, as typed. */
  readonly flag: string;
  /** Skip implementations that do not declare the key, instead of refusing the flag. */
  readonly quiet?: boolean;
}

/** When a phase stops issuing requests. */
export interface PhaseSetting {
  readonly requestCount?: number;
  readonly durationMs?: number;
  /** Stop starting conversations after this many. */
  readonly conversationCount?: number;
  /** Send every dataset entry once, in order (a file's default). */
  readonly datasetOnce?: boolean;
  /**
   * With `durationMs`: how long requests in flight at the end get to finish before they are
   * cancelled (`--benchmark-grace-period`); unlimited when absent.
   */
  readonly gracePeriodMs?: number;
}

/** The part of a trace a fixed schedule sends (`--fixed-schedule-start/end-offset`), in ms. */
export interface ScheduleWindow {
  /** Entries with an earlier timestamp are not sent. */
  readonly start?: number;
  /** Entries with a later timestamp are not sent. */
  readonly end?: number;
}

/** Datasets read once through, in order, by default (a file is sent as it is). */
const SEND_ONCE = ["single_turn", "multi_turn", "mooncake_trace", "sharegpt"];

/** A sweep: one profiling phase per value of one timing setting. */
export interface SweepSetting {
  /** The flag the values came from. */
  readonly flag: "--concurrency" | "--request-rate";
  /** The timing config field each value is set in (`concurrency`, `max_concurrency`, `request_rate`). */
  readonly field: string;
  /** The values, in the order they run. */
  readonly values: readonly number[];
  /** Stop after a value whose failed share of requests is above this (0 to 1). */
  readonly maxErrorRate: number;
}

/** Everything a run needs, from the defaults, the benchmark file and the flags (in that order). */
export interface BenchmarkSettings {
  /** The benchmark file, if one was given. */
  readonly file?: LoadedBenchmarkFile;
  /** What relative paths resolve against: the file's URL or the working directory. */
  readonly baseUrl: URL;
  readonly endpoint: SelectionSetting;
  readonly timing: SelectionSetting;
  readonly dataset: SelectionSetting;
  readonly sampler: SelectionSetting;
  readonly hooks: readonly SelectionSetting[];
  readonly exporters: readonly SelectionSetting[];
  /** The plugin map of the file (`plugins.map`): name to manifest specifier. */
  readonly pluginMap?: Readonly<Record<string, string>>;
  /** Absent when there is no warmup. */
  readonly warmup?: PhaseSetting;
  readonly profiling: PhaseSetting;
  /** The output directory, relative to the working directory. */
  readonly output?: string;
  /** Start the embedded server (no url was given). */
  readonly embedded: boolean;
  /** Settings of the embedded server. */
  readonly server: ServerOptions & {
    readonly ttftMs: number;
    readonly itlMs: number;
    readonly outputTokens: number;
  };
  /** A sweep over a timing setting, when a flag was given a list. */
  readonly sweep?: SweepSetting;
  /** The entries a fixed schedule sends, by timestamp; every entry when absent. */
  readonly scheduleWindow?: ScheduleWindow;
  /** Show progress; undefined: when standard error is a terminal, or periodically otherwise. */
  readonly progress?: boolean;
  /** The client tokenizer to load (`--tokenizer`). */
  readonly tokenizer?: string;
  /** Goodput SLOs (`--goodput`). */
  readonly goodput?: readonly Slo[];
  /** Percentiles to report (`--metric-percentiles`). */
  readonly percentiles?: readonly number[];
  /** Deno workers sending the load; 1 is the main thread alone. */
  readonly workers: number;
  /** Check the endpoint with one request before the phases. */
  readonly preflight: boolean;
  /**
   * Every plugin diagnostic (even of a plugin the run does not use) and every hook failure
   * fails the run (`--strict-plugins`, `strict: true`).
   */
  readonly strict: boolean;
}

/** Defaults of a run without flags or file: quick against the embedded server. */
export const DEFAULTS = {
  endpoint: "openai_chat",
  timing: "fixed_concurrency",
  concurrency: 8,
  dataset: "synthetic",
  sampler: "sequential",
  exporters: ["console", "json", "jsonl", "csv", "html"],
  warmupRequests: 8,
  sweepMaxErrorRate: defaultOf("sweepMaxErrorRate"),
  profilingRequests: 100,
  /** AIPerf's `--benchmark-grace-period` default, in seconds. */
  gracePeriod: defaultOf("gracePeriod"),
  ttftMs: defaultOf("ttftMs"),
  itlMs: defaultOf("itlMs"),
  outputTokens: defaultOf("outputTokens"),
} as const;

/**
 * Merges the defaults, the benchmark file and the flags (flags win) into the settings of a run.
 *
 * @param args The parsed flags.
 * @param loaded The benchmark file, if any.
 * @returns The settings.
 * @throws {BenchConfigError} When flags contradict each other or a phase has no stop condition.
 *
 * @example
 * ```ts
 * import { resolveSettings } from "./resolve_settings.ts";
 *
 * const settings = resolveSettings({ requestRate: 50, concurrency: 4 });
 * if (settings.timing.name !== "request_rate" || settings.timing.config.max_concurrency !== 4) {
 *   throw new Error("wrong");
 * }
 * ```
 */
export function resolveSettings(args: BenchArgs, loaded?: LoadedBenchmarkFile): BenchmarkSettings {
  const file = loaded?.file ?? {};
  const where = (field: string) => loaded === undefined ? { field } : loaded.locate(field);

  const endpointFile = file.endpoint ?? { name: DEFAULTS.endpoint, config: {} };
  const endpointConfig: Record<string, unknown> = { ...endpointFile.config };
  if (args.url !== undefined) endpointConfig.url = args.url;
  if (args.model !== undefined) endpointConfig.model = args.model;
  if (args.streaming !== undefined) endpointConfig.streaming = args.streaming;
  if (args.endpointPath !== undefined) endpointConfig.path = args.endpointPath;
  if (args.apiKey !== undefined) endpointConfig.api_key = args.apiKey;
  if (args.headers !== undefined) {
    endpointConfig.headers = { ...endpointConfig.headers as object, ...args.headers };
  }
  if (args.extraInputs !== undefined) {
    endpointConfig.extra_body = { ...endpointConfig.extra_body as object, ...args.extraInputs };
  }
  if (args.modelSelection !== undefined) endpointConfig.model_selection = args.modelSelection;
  if (args.modelSelection === "random" && args.randomSeed !== undefined) {
    endpointConfig.seed = args.randomSeed;
  }
  if (args.requestTimeoutSeconds !== undefined) {
    endpointConfig.timeout_ms = Math.round(args.requestTimeoutSeconds * 1000);
  }
  const endpoint: SelectionSetting = {
    name: args.endpoint ?? endpointFile.name,
    config: endpointConfig,
    field: "endpoint",
  };

  // --request-rate switches to request_rate; --concurrency is request_rate's cap, or
  // fixed_concurrency's concurrency, replacing any other strategy.
  const timingFile = file.timing_strategy ??
    { name: DEFAULTS.timing, config: { concurrency: DEFAULTS.concurrency } };
  let timingName = timingFile.name;
  let timingConfig: Record<string, unknown> = { ...timingFile.config };
  // A Mooncake trace replays on its timestamps unless a timing is chosen (as in AIPerf).
  // --input-file alone: the type its first entry shows, else mooncake_trace (AIPerf's default).
  const inputType = args.inputFile === undefined ? undefined : args.customDatasetType ??
    detectDatasetFileType(resolveLocation(args.inputFile)) ?? "mooncake_trace";
  const traceFile = inputType === "mooncake_trace" &&
    file.timing_strategy === undefined && args.requestRate === undefined &&
    args.concurrency === undefined;
  if (args.fixedSchedule || traceFile) {
    if (args.requestRate !== undefined) {
      throw new BenchConfigError("cannot be combined with --request-rate", {
        flag: "--fixed-schedule",
      });
    }
    if (timingName !== "fixed_schedule") timingConfig = {};
    timingName = "fixed_schedule";
  }
  if (args.fixedScheduleAutoOffset) {
    if (timingName !== "fixed_schedule") {
      throw new BenchConfigError("needs --fixed-schedule", {
        flag: "--fixed-schedule-auto-offset",
      });
    }
    timingConfig.auto_offset = true;
  }
  // AIPerf's window on a trace: entries from the start offset to the end offset (both
  // included) are sent, and the schedule's zero is the start offset.
  const startOffset = args.fixedScheduleStartOffset;
  const endOffset = args.fixedScheduleEndOffset;
  for (const [value, flag] of [[startOffset, "start"], [endOffset, "end"]] as const) {
    if (value !== undefined && timingName !== "fixed_schedule") {
      throw new BenchConfigError("needs --fixed-schedule (or a mooncake_trace --input-file)", {
        flag: `--fixed-schedule-${flag}-offset`,
      });
    }
  }
  if (startOffset !== undefined && args.fixedScheduleAutoOffset) {
    throw new BenchConfigError("cannot be combined with --fixed-schedule-auto-offset", {
      flag: "--fixed-schedule-start-offset",
    });
  }
  if (startOffset !== undefined && endOffset !== undefined && startOffset > endOffset) {
    throw new BenchConfigError(
      `must not be after --fixed-schedule-end-offset (${startOffset} > ${endOffset})`,
      { flag: "--fixed-schedule-start-offset" },
    );
  }
  if (startOffset !== undefined) timingConfig.start_offset = startOffset;
  const scheduleWindow: ScheduleWindow | undefined =
    startOffset === undefined && endOffset === undefined ? undefined : {
      ...defined("start", startOffset),
      ...defined("end", endOffset),
    };
  if (args.requestRate !== undefined) {
    if (timingName !== "request_rate") timingConfig = {};
    timingName = "request_rate";
    timingConfig.request_rate = args.requestRate;
  } else if (args.arrival !== undefined && timingName !== "request_rate") {
    throw new BenchConfigError("needs --request-rate (or a request_rate timing strategy)", {
      flag: "--arrival",
    });
  }
  if (args.arrival !== undefined) timingConfig.arrival = args.arrival;
  if (args.arrivalSmoothness !== undefined) {
    if (timingName !== "request_rate") {
      throw new BenchConfigError("needs --request-rate", { flag: "--arrival-smoothness" });
    }
    timingConfig.smoothness = args.arrivalSmoothness;
    timingConfig.arrival ??= "gamma";
  }
  if (args.requestRateRampDuration !== undefined) {
    if (timingName !== "request_rate") {
      throw new BenchConfigError("needs --request-rate", { flag: "--request-rate-ramp-duration" });
    }
    timingConfig.ramp_duration = args.requestRateRampDuration;
  }
  if (args.randomSeed !== undefined && timingName === "request_rate") {
    timingConfig.seed = args.randomSeed;
  }
  if (args.concurrency !== undefined && timingName === "fixed_schedule") {
    throw new BenchConfigError("cannot be combined with --fixed-schedule", {
      flag: "--concurrency",
    });
  }
  if (args.concurrency !== undefined) {
    if (timingName === "request_rate") timingConfig.max_concurrency = args.concurrency;
    else if (timingName === "fixed_concurrency") timingConfig.concurrency = args.concurrency;
    else {
      timingName = "fixed_concurrency";
      timingConfig = { concurrency: args.concurrency };
    }
  }
  if (args.concurrencyRampDuration !== undefined) {
    if (timingName !== "fixed_concurrency") {
      throw new BenchConfigError("needs --concurrency (fixed_concurrency timing)", {
        flag: "--concurrency-ramp-duration",
      });
    }
    timingConfig.ramp_duration = args.concurrencyRampDuration;
  }
  const timing: SelectionSetting = {
    name: timingName,
    config: timingConfig,
    field: "timing_strategy",
  };

  // A revision travels with the tokenizer's name (ORG/NAME@REV), which loadTokenizer reads.
  if (args.tokenizerRevision !== undefined && !/^[\w.-]+\/[\w.-]+$/.test(args.tokenizer ?? "")) {
    throw new BenchConfigError(
      "needs --tokenizer ORG/NAME (a Hugging Face model name, found in the local cache)",
      { flag: "--tokenizer-revision" },
    );
  }
  const tokenizer = args.tokenizerRevision === undefined || args.tokenizerRevision === "main"
    ? args.tokenizer
    : `${args.tokenizer}@${args.tokenizerRevision}`;

  let dataset = selection(file.dataset, DEFAULTS.dataset, "dataset");
  if (args.inputFile !== undefined) {
    const type = inputType ?? "mooncake_trace";
    if (!(DATASET_TYPES as readonly string[]).includes(type)) {
      throw new BenchConfigError(
        `expected one of ${DATASET_TYPES.join(", ")}, got "${type}"`,
        { flag: "--custom-dataset-type" },
      );
    }
    // Flags are relative to the working directory, whatever the benchmark file's place.
    dataset = {
      name: type,
      config: { path: resolveLocation(args.inputFile).href },
      field: "dataset",
    };
  } else if (args.customDatasetType !== undefined) {
    throw new BenchConfigError("needs --input-file", { flag: "--custom-dataset-type" });
  }
  // Applied to the dataset whose config_schema declares the key (createComponents checks).
  dataset = { ...dataset, flags: datasetFlags(args, tokenizer) };

  let sampler = selection(
    file.dataset_sampler,
    dataset.name === "random_pool" ? "random" : DEFAULTS.sampler,
    "dataset_sampler",
  );
  if (args.randomSeed !== undefined && (sampler.name === "random" || sampler.name === "shuffle")) {
    sampler = { ...sampler, config: { ...sampler.config, seed: args.randomSeed } };
  }
  const fromFile = SEND_ONCE.includes(dataset.name);
  const exporters = (file.exporters ?? DEFAULTS.exporters.map((name) => ({ name, config: {} })))
    .map((s, i) => ({
      name: s.name,
      // --per-phase asks the console for one table per phase.
      config: args.perPhase && s.name === "console" ? { ...s.config, per_phase: true } : s.config,
      field: `exporters[${i}]`,
    }));
  const hooks = (file.plugins?.phase_hooks ?? [])
    .map((s, i) => ({ name: s.name, config: s.config, field: `plugins.phase_hooks[${i}]` }));

  const fileWarmup = file.phases?.warmup;
  // A file is sent as it is: no warmup unless asked for.
  let warmup: PhaseSetting | undefined = fileWarmup === undefined
    ? (fromFile ? undefined : { requestCount: DEFAULTS.warmupRequests })
    : phase(fileWarmup);
  if (args.warmupRequestCount !== undefined) warmup = { requestCount: args.warmupRequestCount };
  if (warmup?.requestCount === 0 && warmup.durationMs === undefined) warmup = undefined;
  if (
    warmup !== undefined && warmup.requestCount === undefined && warmup.durationMs === undefined
  ) {
    throw new BenchConfigError("expected request_count or duration", where("phases.warmup"));
  }

  let profiling: PhaseSetting = file.phases?.profiling === undefined
    ? (fromFile ? { datasetOnce: true } : { requestCount: DEFAULTS.profilingRequests })
    : phase(file.phases.profiling);
  if (
    args.requestCount !== undefined || args.duration !== undefined ||
    args.conversationNum !== undefined
  ) {
    profiling = {
      ...(args.requestCount === undefined ? {} : { requestCount: args.requestCount }),
      ...(args.duration === undefined ? {} : { durationMs: args.duration * 1000 }),
      ...(args.conversationNum === undefined ? {} : { conversationCount: args.conversationNum }),
    };
  }
  if (args.gracePeriod !== undefined && profiling.durationMs === undefined) {
    throw new BenchConfigError("can only be used with --benchmark-duration", {
      flag: "--benchmark-grace-period",
    });
  }
  if (profiling.durationMs !== undefined) {
    profiling = {
      ...profiling,
      gracePeriodMs: (args.gracePeriod ?? DEFAULTS.gracePeriod) * 1000,
    };
  }
  if (
    profiling.requestCount === undefined && profiling.durationMs === undefined &&
    profiling.conversationCount === undefined && !profiling.datasetOnce
  ) {
    throw new BenchConfigError("expected request_count or duration", where("phases.profiling"));
  }
  if (profiling.requestCount === 0) {
    throw new BenchConfigError(
      "expected a positive integer",
      where("phases.profiling.request_count"),
    );
  }

  // Synthetic prompts: one per profiling request (up to 2,000, generated before the run), so
  // a prefix cache does not see the same 100 prompts again and again.
  if (dataset.name === "synthetic" && dataset.config.count === undefined) {
    const count = Math.min(Math.max(profiling.requestCount ?? 2000, 100), 2000);
    dataset = { ...dataset, config: { ...dataset.config, count } };
  }

  let sweep: SweepSetting | undefined;
  if (args.sweep !== undefined) {
    const field = args.sweep.flag === "--request-rate"
      ? "request_rate"
      : timingName === "request_rate"
      ? "max_concurrency"
      : "concurrency";
    sweep = {
      ...args.sweep,
      field,
      maxErrorRate: args.sweepMaxErrorRate ?? DEFAULTS.sweepMaxErrorRate,
    };
  }

  const output = args.output ?? file.output;
  const progress = args.progress;
  return {
    ...(loaded === undefined ? {} : { file: loaded }),
    baseUrl: loaded?.url ?? cwdUrl(),
    endpoint,
    timing,
    dataset,
    sampler,
    hooks,
    exporters,
    ...(file.plugins?.map === undefined ? {} : { pluginMap: file.plugins.map }),
    ...(warmup === undefined ? {} : { warmup }),
    profiling,
    ...(output === undefined ? {} : { output }),
    embedded: endpointConfig.url === undefined,
    server: serverOptions(args, file.server ?? {}),
    ...(sweep === undefined ? {} : { sweep }),
    ...(scheduleWindow === undefined ? {} : { scheduleWindow }),
    ...(progress === undefined ? {} : { progress }),
    ...defined("tokenizer", tokenizer),
    ...defined("goodput", args.goodput),
    ...defined("percentiles", args.percentiles),
    workers: args.workers ?? defaultOf("workers"),
    preflight: args.preflight ?? defaultOf("preflight"),
    strict: args.strictPlugins ?? file.strict ?? false,
  };
}

/**
 * The embedded server's options: each server row of the settings table from the flag, else the
 * file's `server:` key, else the row's default.
 */
function serverOptions(
  args: BenchArgs,
  server: Readonly<Record<string, unknown>>,
): BenchmarkSettings["server"] {
  const options: Record<string, unknown> = {};
  for (const row of SETTINGS as readonly Setting[]) {
    if (row.group !== "server") continue;
    const value = (args as Record<string, unknown>)[row.key] ??
      server[row.file!.slice("server.".length)] ?? row.default;
    if (value !== undefined) options[row.key] = value;
  }
  return options as unknown as BenchmarkSettings["server"];
}

/** The dataset config keys the flags set, from the settings table's `plugin` rows. */
function datasetFlags(args: BenchArgs, tokenizer: string | undefined): FlagConfig[] {
  const flags: FlagConfig[] = [];
  for (const row of SETTINGS as readonly Setting[]) {
    const value = (args as Record<string, unknown>)[row.key];
    if (row.plugin?.category !== "dataset" || value === undefined) continue;
    if (row.plugin.omit?.(value)) continue;
    flags.push({ key: row.plugin.key, value, flag: flagOf(args, row.key as keyof TableArgs) });
  }
  // --tokenizer also counts tokens the server does not report: it applies to every run, and
  // sizes the prompts of the datasets that generate them; the seed seeds those that take one.
  if (tokenizer !== undefined) {
    flags.push({
      key: "tokenizer",
      value: tokenizer,
      flag: flagOf(args, "tokenizer"),
      quiet: true,
    });
  }
  if (args.randomSeed !== undefined) {
    flags.push({ key: "seed", value: args.randomSeed, flag: "--random-seed", quiet: true });
  }
  return flags;
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function selection(
  chosen: Selection | undefined,
  fallback: string,
  field: string,
): SelectionSetting {
  return chosen === undefined ? { name: fallback, config: {}, field } : { ...chosen, field };
}

function phase(p: BenchmarkFilePhase): PhaseSetting {
  return {
    ...(p.request_count === undefined ? {} : { requestCount: p.request_count }),
    ...(p.duration === undefined ? {} : { durationMs: p.duration }),
    ...(p.conversation_count === undefined ? {} : { conversationCount: p.conversation_count }),
  };
}
