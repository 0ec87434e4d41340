// The shapes the resolve steps produce: everything a run needs, after the defaults, the
// benchmark file and the flags are merged.
import type { Slo } from "./parse_goodput.ts";
import type { TableArgs } from "./parse_bench_args.ts";
import type { LoadedBenchmarkFile } from "./load_benchmark_file.ts";

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
  /** At most this many requests before their first token (`--prefill-concurrency`). */
  readonly prefillConcurrency?: number;
  /** Milliseconds over which that limit grows from 1 (`--prefill-concurrency-ramp-duration`). */
  readonly prefillRampMs?: number;
}

/** The part of a trace a fixed schedule sends (`--fixed-schedule-start/end-offset`), in ms. */
export interface ScheduleWindow {
  /** Entries with an earlier timestamp are not sent. */
  readonly start?: number;
  /** Entries with a later timestamp are not sent. */
  readonly end?: number;
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
  /** The warmup's own timing strategy (AIPerf's `--warmup-concurrency`, ...); the run's if absent. */
  readonly warmupTiming?: SelectionSetting;
  readonly profiling: PhaseSetting;
  /** The output directory, relative to the working directory. */
  readonly output?: string;
  /** Start the embedded server (no url was given). */
  readonly embedded: boolean;
  /** Settings of the embedded server. */
  readonly server: ServerSettings & {
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
  /**
   * Count tokens from the server's `usage` when it reports them (default); false counts them
   * with the tokenizer, as AIPerf does without `--use-server-token-count`.
   */
  readonly useServerTokenCount: boolean;
  /**
   * AIPerf's request cancellation: this percent of requests is aborted `delayMs` after it is
   * sent (`--request-cancellation-rate`, `--request-cancellation-delay`).
   */
  readonly cancellation?: {
    readonly ratePercent: number;
    readonly delayMs: number;
    /** `--random-seed`: which requests are chosen repeats. */
    readonly seed?: number;
  };
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
  /** Verify plugins against `plugins.lock.json` beside the benchmark file; refuse others. */
  readonly frozen?: boolean;
  /** How long one plugin may take to load and create (`--plugin-load-timeout`), in ms. */
  readonly pluginLoadTimeoutMs: number;
}

/**
 * The embedded server's settings: the server rows of the settings table (the server's own
 * `ServerOptions` takes them as they are).
 */
export type ServerSettings = Pick<
  TableArgs,
  | "ttftMs"
  | "itlMs"
  | "outputTokens"
  | "reasoningTokens"
  | "reasoningField"
  | "tokensPerChunk"
  | "usage"
  | "errorEvery"
  | "crashAfter"
>;
