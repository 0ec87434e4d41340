import { cwdUrl } from "../_file_url.ts";
import { BenchConfigError } from "./bench_config_error.ts";
import type { BenchmarkFilePhase, Selection } from "./benchmark_file.ts";
import type { BenchArgs } from "./parse_bench_args.ts";
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
}

/** When a phase stops issuing requests. */
export interface PhaseSetting {
  readonly requestCount?: number;
  readonly durationMs?: number;
}

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
  sweepMaxErrorRate: 0.1,
  profilingRequests: 100,
  ttftMs: 20,
  itlMs: 2,
  outputTokens: 32,
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
  if (args.concurrency !== undefined) {
    if (timingName === "request_rate") timingConfig.max_concurrency = args.concurrency;
    else if (timingName === "fixed_concurrency") timingConfig.concurrency = args.concurrency;
    else {
      timingName = "fixed_concurrency";
      timingConfig = { concurrency: args.concurrency };
    }
  }
  const timing: SelectionSetting = {
    name: timingName,
    config: timingConfig,
    field: "timing_strategy",
  };

  const dataset = selection(file.dataset, DEFAULTS.dataset, "dataset");
  const sampler = selection(file.dataset_sampler, DEFAULTS.sampler, "dataset_sampler");
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
  let warmup: PhaseSetting | undefined = fileWarmup === undefined
    ? { requestCount: DEFAULTS.warmupRequests }
    : phase(fileWarmup);
  if (args.warmupRequestCount !== undefined) warmup = { requestCount: args.warmupRequestCount };
  if (warmup?.requestCount === 0 && warmup.durationMs === undefined) warmup = undefined;
  if (
    warmup !== undefined && warmup.requestCount === undefined && warmup.durationMs === undefined
  ) {
    throw new BenchConfigError("expected request_count or duration", where("phases.warmup"));
  }

  let profiling: PhaseSetting = file.phases?.profiling === undefined
    ? { requestCount: DEFAULTS.profilingRequests }
    : phase(file.phases.profiling);
  if (args.requestCount !== undefined || args.duration !== undefined) {
    profiling = {
      ...(args.requestCount === undefined ? {} : { requestCount: args.requestCount }),
      ...(args.duration === undefined ? {} : { durationMs: args.duration * 1000 }),
    };
  }
  if (profiling.requestCount === undefined && profiling.durationMs === undefined) {
    throw new BenchConfigError("expected request_count or duration", where("phases.profiling"));
  }
  if (profiling.requestCount === 0) {
    throw new BenchConfigError(
      "expected a positive integer",
      where("phases.profiling.request_count"),
    );
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
    server: {
      ttftMs: args.ttftMs ?? file.server?.ttft_ms ?? DEFAULTS.ttftMs,
      itlMs: args.itlMs ?? file.server?.itl_ms ?? DEFAULTS.itlMs,
      outputTokens: args.outputTokens ?? file.server?.output_tokens ?? DEFAULTS.outputTokens,
      ...defined("reasoningTokens", args.reasoningTokens ?? file.server?.reasoning_tokens),
      ...defined("reasoningField", args.reasoningField ?? file.server?.reasoning_field),
      ...defined("tokensPerChunk", args.tokensPerChunk ?? file.server?.tokens_per_chunk),
      ...defined("usage", args.usage ?? file.server?.usage),
      ...defined("errorEvery", args.errorEvery ?? file.server?.error_every),
      ...defined("crashAfter", args.crashAfter ?? file.server?.crash_after),
    },
    ...(sweep === undefined ? {} : { sweep }),
    ...(progress === undefined ? {} : { progress }),
    ...defined("tokenizer", args.tokenizer),
    ...defined("goodput", args.goodput),
    ...defined("percentiles", args.percentiles),
    workers: args.workers ?? 1,
    preflight: args.preflight ?? true,
    strict: args.strictPlugins ?? file.strict ?? false,
  };
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
  };
}
