/**
 * The contracts between the benchmark host and the implementations it creates through plugmap
 * factories: one interface per category (`endpoint`, `timing_strategy`, `dataset_sampler`,
 * `dataset`, `phase_hook`, `exporter`) and the plain-data records they exchange.
 *
 * Data handed to plugins and exporters (records, phase summaries, the benchmark result) uses
 * snake_case keys because it is written to JSON as is; methods are camelCase.
 *
 * @module
 */

/** The name of a benchmark phase: warmup results are discarded, profiling results are reported. */
export type PhaseName = "warmup" | "profiling";

/** One prompt of a dataset. */
export interface DatasetEntry {
  /** The prompt text sent to the endpoint. */
  readonly prompt: string;
  /** The number of output tokens to ask for; the endpoint's own setting applies when absent. */
  readonly maxTokens?: number;
}

/** A `dataset` implementation: a finite list of prompts, loaded once before the run. */
export interface Dataset {
  /** Loads every entry; called once. */
  load(): Promise<readonly DatasetEntry[]>;
}

/** A `dataset_sampler` implementation: picks which dataset entry the next request uses. */
export interface DatasetSampler {
  /** Returns an index in `[0, size)`. */
  next(size: number): number;
}

/** What the host asks an endpoint to send. */
export interface EndpointRequest {
  /** The prompt text. */
  readonly prompt: string;
  /** Output tokens to ask for, if the dataset entry says so. */
  readonly maxTokens?: number;
  /** Aborted when the run is interrupted; the endpoint then gives up the request. */
  readonly signal: AbortSignal;
}

/**
 * What an endpoint measured for one request. Times are `performance.now()` milliseconds,
 * taken by the endpoint itself as close to the wire as it can.
 */
export interface EndpointResult {
  /** Just before the request was sent. */
  readonly start: number;
  /** When the first response carrying output text arrived (streaming only). */
  readonly firstToken?: number;
  /** When the last response carrying output text arrived (streaming only). */
  readonly lastToken?: number;
  /** When the response was complete (or failed). */
  readonly end: number;
  /** Output tokens: the server's `usage.completion_tokens`, else the count of text responses. */
  readonly outputTokens: number;
  /** Input tokens from the server's `usage.prompt_tokens`, when reported. */
  readonly inputTokens?: number;
  /** The HTTP status, when a response arrived. */
  readonly status?: number;
  /** A one-line reason when the request failed; failed requests count as errors. */
  readonly error?: string;
  /** True when the request was abandoned because the run was interrupted. */
  readonly cancelled?: boolean;
}

/** An `endpoint` implementation: sends one request to an LLM server and times it. */
export interface Endpoint {
  /** The full URL requests go to, for reports. */
  readonly url: string;
  /** Whether responses are streamed (only then are TTFT and ITL measured). */
  readonly streaming: boolean;
  /** Sends one request; never rejects, a failure is reported in `error`. */
  send(request: EndpointRequest): Promise<EndpointResult>;
}

/** The host's side of a phase, as a timing strategy sees it. */
export interface PhaseDriver {
  /** Aborted when the phase stops issuing requests (count reached, duration over, interrupted). */
  readonly stopped: AbortSignal;
  /**
   * Starts the next request, or returns `undefined` when the phase issues no more.
   * The promise resolves when the request completes and never rejects.
   */
  issue(): Promise<void> | undefined;
}

/** A `timing_strategy` implementation: decides when requests are issued. */
export interface TimingStrategy {
  /** Issues requests through `driver` until it returns `undefined`; resolves when all are done. */
  run(driver: PhaseDriver): Promise<void>;
}

/** One completed (or failed) request, as written to `records.jsonl`. */
export interface RequestRecord {
  /** The phase the request belongs to. */
  readonly phase: PhaseName;
  /** The request's number within its phase, from 0, in issue order. */
  readonly index: number;
  /** Milliseconds from the phase start to the request start. */
  readonly start_ms: number;
  /** Milliseconds from sending to the complete response. */
  readonly request_latency_ms: number;
  /** Milliseconds from sending to the first output text (streaming only). */
  readonly time_to_first_token_ms?: number;
  /** Mean milliseconds between output tokens after the first (streaming, 2+ tokens). */
  readonly inter_token_latency_ms?: number;
  /** Output tokens. */
  readonly output_sequence_length: number;
  /** Input tokens, when the server reports them. */
  readonly input_sequence_length?: number;
  /** Output tokens per second of this request's latency. */
  readonly output_token_throughput: number;
  /** The HTTP status, when a response arrived. */
  readonly status?: number;
  /** Why the request failed; absent on success. */
  readonly error?: string;
}

/** Statistics of one metric. Aggregate metrics (throughputs, counts) carry only `avg`. */
export interface MetricStatistics {
  /** The unit, e.g. `"ms"`, `"tokens"`, `"tokens/sec"`. */
  readonly unit: string;
  /** Mean. */
  readonly avg: number;
  /** Minimum. */
  readonly min?: number;
  /** Maximum. */
  readonly max?: number;
  /** Median (linear interpolation). */
  readonly p50?: number;
  /** 90th percentile (linear interpolation). */
  readonly p90?: number;
  /** 99th percentile (linear interpolation). */
  readonly p99?: number;
  /** Population standard deviation. */
  readonly std?: number;
  /** How many values the statistics were computed from. */
  readonly count?: number;
}

/** Metric name to statistics, e.g. `time_to_first_token`. */
export type Metrics = Readonly<Record<string, MetricStatistics>>;

/** What a phase hook learns when a phase starts. */
export interface PhaseStart {
  /** The phase. */
  readonly phase: PhaseName;
  /** The request count the phase stops at, if any. */
  readonly request_count?: number;
  /** The duration in milliseconds the phase stops issuing at, if any. */
  readonly duration_ms?: number;
  /** Wall-clock start, ISO 8601. */
  readonly started_at: string;
}

/** A finished phase: counts, duration and statistics. */
export interface PhaseSummary {
  /** The phase. */
  readonly phase: PhaseName;
  /** Requests that completed, successful or not. */
  readonly request_count: number;
  /** Successful requests. */
  readonly success_count: number;
  /** Failed requests. */
  readonly error_count: number;
  /** Requests abandoned because the run was interrupted (not in the statistics). */
  readonly cancelled_count: number;
  /** Milliseconds from the phase start to the last completion. */
  readonly duration_ms: number;
  /** Wall-clock start, ISO 8601. */
  readonly started_at: string;
  /** True when Ctrl-C stopped the phase early. */
  readonly interrupted: boolean;
  /** Statistics over the successful requests. */
  readonly metrics: Metrics;
}

/** Passed to phase hooks when they are created. */
export interface PhaseHookContext {
  /** Prints one line for the user (to standard error, beside the progress). */
  log(line: string): void;
  /** Marks the run as failed: it finishes and reports, then exits non-zero with this reason. */
  fail(reason: string): void;
}

/** A `phase_hook` implementation: every method is optional. */
export interface PhaseHook {
  /** Called when a phase starts. */
  onPhaseStart?(phase: PhaseStart): void | Promise<void>;
  /** Called after each request of a phase completes (not awaited before the next one starts). */
  onRequestComplete?(record: RequestRecord): void | Promise<void>;
  /** Called when a phase is complete, with its statistics. */
  onPhaseComplete?(summary: PhaseSummary): void | Promise<void>;
}

/** A hook that threw: reported, and the benchmark goes on. */
export interface HookFailure {
  /** The hook's name as selected in the benchmark file. */
  readonly hook: string;
  /** The lifecycle call that threw. */
  readonly event: "onPhaseStart" | "onRequestComplete" | "onPhaseComplete";
  /** The phase it happened in. */
  readonly phase: PhaseName;
  /** The error message. */
  readonly message: string;
}

/** The whole run, as exporters receive it. */
export interface BenchmarkResult {
  /** What was run against what. */
  readonly benchmark: {
    readonly endpoint: string;
    readonly url: string;
    readonly streaming: boolean;
    readonly timing_strategy: string;
    /** The timing strategy's settings as given (`concurrency`, `request_rate`, `arrival`). */
    readonly timing_config?: Readonly<Record<string, unknown>>;
    readonly dataset: string;
    readonly dataset_sampler: string;
    readonly phase_hooks: readonly string[];
    readonly started_at: string;
  };
  /** Per-phase counts and durations (and statistics). */
  readonly phases: Readonly<Partial<Record<PhaseName, PhaseSummary>>>;
  /** The profiling phase's statistics. */
  readonly metrics: Metrics;
  /** The profiling phase's requests, in completion order. */
  readonly records: readonly RequestRecord[];
  /** True when Ctrl-C stopped the run early. */
  readonly interrupted: boolean;
  /** Hooks that threw. */
  readonly hook_failures: readonly HookFailure[];
  /** Reasons hooks gave for failing the run (e.g. a missed SLO). */
  readonly failures: readonly string[];
}

/** Passed to exporters when they are created. */
export interface ExporterContext {
  /** The output directory (`--output`), if any; file exporters write nothing without one. */
  readonly outputDir?: string;
  /** Writes text to standard output. */
  write(text: string): void;
}

/** An `exporter` implementation. */
export interface Exporter {
  /** Exports the result; returns the paths written, if any. */
  export(result: BenchmarkResult): Promise<readonly string[]> | readonly string[];
}
