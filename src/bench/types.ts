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

import type { PhaseServerMetrics } from "./server_metrics/types.ts";

/** The name of a benchmark phase: warmup results are discarded, profiling results are reported. */
export type PhaseName = "warmup" | "profiling";

/** A later turn of a conversation: sent after the reply to the turn before it. */
export interface DatasetTurn {
  /** The user message of this turn. */
  readonly prompt: string;
  /**
   * A system prompt sent before the conversation (AIPerf's `--shared-system-prompt-length`): a
   * chat endpoint sends it as the first message (`role: "system"`), the Responses endpoint as
   * `instructions`, a completions endpoint as the first line of the prompt.
   */
  readonly system?: string;
  /**
   * More texts sent in the same request after `prompt` (AIPerf's `--prompt-batch-size`, for
   * embeddings: one `input` list).
   */
  readonly batch?: readonly string[];
  /**
   * The passages of a rankings request (AIPerf's `--rankings-passages-*` options); the prompt is
   * then the query.
   */
  readonly passages?: readonly string[];
  /**
   * Images sent with the prompt (AIPerf's `--image-*` options): URLs or data URLs, sent by a
   * chat endpoint as `image_url` content parts.
   */
  readonly images?: readonly string[];
  /** Audio clips sent with the prompt (AIPerf's `--audio-*`), as `input_audio` content parts. */
  readonly audios?: readonly EndpointAudio[];
  /**
   * Videos sent with the prompt (AIPerf's `--video-*` options): data URLs
   * (`data:video/webm;base64,...`), sent by the chat endpoint as `video_url` content parts.
   */
  readonly videos?: readonly string[];
  /** The number of output tokens to ask for; the endpoint's own setting applies when absent. */
  readonly maxTokens?: number;
  /** Milliseconds to wait after the previous turn's reply before sending this turn. */
  readonly delay?: number;
  /**
   * Milliseconds from the start of the schedule at which to send this turn (fixed schedule);
   * never before the previous turn's reply arrived.
   */
  readonly timestamp?: number;
}

/**
 * One entry of a dataset: a prompt, or the first turn of a conversation whose later turns are
 * in `turns`. Each turn is sent with the whole history before it (the server's replies
 * included).
 */
export interface DatasetEntry {
  /** The prompt text sent to the endpoint (the first turn's user message). */
  readonly prompt: string;
  /**
   * A system prompt sent before the conversation (AIPerf's `--shared-system-prompt-length`): a
   * chat endpoint sends it as the first message (`role: "system"`), the Responses endpoint as
   * `instructions`, a completions endpoint as the first line of the prompt.
   */
  readonly system?: string;
  /** More texts sent in the same request (AIPerf's `--prompt-batch-size`). */
  readonly batch?: readonly string[];
  /**
   * The passages of a rankings request (AIPerf's `--rankings-passages-*` options); the prompt is
   * then the query.
   */
  readonly passages?: readonly string[];
  /**
   * Images sent with the prompt (AIPerf's `--image-*` options): URLs or data URLs, sent by a
   * chat endpoint as `image_url` content parts.
   */
  readonly images?: readonly string[];
  /** Audio clips sent with the prompt (AIPerf's `--audio-*`), as `input_audio` content parts. */
  readonly audios?: readonly EndpointAudio[];
  /**
   * Videos sent with the prompt (AIPerf's `--video-*` options): data URLs
   * (`data:video/webm;base64,...`), sent by the chat endpoint as `video_url` content parts.
   */
  readonly videos?: readonly string[];
  /** The number of output tokens to ask for; the endpoint's own setting applies when absent. */
  readonly maxTokens?: number;
  /** Milliseconds from the start of the schedule at which to send it (`fixed_schedule`). */
  readonly timestamp?: number;
  /** The turns that follow the first, in order. */
  readonly turns?: readonly DatasetTurn[];
  /** The conversation's id in the file (`session_id`), for records. */
  readonly sessionId?: string;
}

/** Passed to datasets when they are created. */
export interface DatasetContext {
  /**
   * The URL relative paths resolve against: the benchmark file's, or the working directory's
   * when there is no file.
   */
  readonly baseUrl?: URL;
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

/** One audio clip of a request, as OpenAI's `input_audio` content part carries it. */
export interface EndpointAudio {
  /** The encoded file, base64. */
  readonly data: string;
  /** Its format (`wav`). */
  readonly format: string;
}

/** One message of a conversation's history. */
export interface ChatMessage {
  /** `user` or `assistant`. */
  readonly role: "user" | "assistant";
  /** The text. */
  readonly content: string;
}

/** What the host asks an endpoint to send. */
export interface EndpointRequest {
  /** The prompt text (the current turn's user message). */
  readonly prompt: string;
  /**
   * A system prompt sent before the conversation (AIPerf's `--shared-system-prompt-length`): a
   * chat endpoint sends it as the first message (`role: "system"`), the Responses endpoint as
   * `instructions`, a completions endpoint as the first line of the prompt.
   */
  readonly system?: string;
  /**
   * More texts for the same request (AIPerf's `--prompt-batch-size`): an embeddings endpoint
   * sends `[prompt, ...batch]` as its `input`; others may ignore it.
   */
  readonly batch?: readonly string[];
  /**
   * The passages of a rankings request (AIPerf's `--rankings-passages-*` options); the prompt is
   * then the query.
   */
  readonly passages?: readonly string[];
  /**
   * Images sent with the prompt (AIPerf's `--image-*` options): URLs or data URLs, sent by a
   * chat endpoint as `image_url` content parts.
   */
  readonly images?: readonly string[];
  /** Audio clips sent with the prompt (AIPerf's `--audio-*`), as `input_audio` content parts. */
  readonly audios?: readonly EndpointAudio[];
  /**
   * Videos sent with the prompt (AIPerf's `--video-*` options): data URLs
   * (`data:video/webm;base64,...`), sent by the chat endpoint as `video_url` content parts.
   */
  readonly videos?: readonly string[];
  /**
   * The conversation before this turn (user and assistant messages, oldest first), for
   * endpoints that send a history; absent for a first turn.
   */
  readonly history?: readonly ChatMessage[];
  /** Output tokens to ask for, if the dataset entry says so. */
  readonly maxTokens?: number;
  /** Aborted when the run is interrupted; the endpoint then gives up the request. */
  readonly signal: AbortSignal;
  /**
   * Called by a streaming endpoint when the first chunk carrying tokens arrives (at most once):
   * the host then frees the request's prefill slot (`--prefill-concurrency`). An endpoint that
   * never calls it holds the slot until the request ends.
   */
  readonly onFirstToken?: () => void;
  /**
   * True for the pre-flight check sent before the phases: an endpoint that rotates through
   * settings (models, round robin) sends it with its first and does not count it.
   */
  readonly preflight?: boolean;
}

/**
 * Why a request failed, by kind: `connection_refused`, `dns` (the host name does not resolve),
 * `tls`, `connection` (another connection-level failure: reset, unreachable), `timeout`,
 * `rate_limited` (HTTP 429: the server refused the load; not retried, whatever its `Retry-After`
 * says), `http` (another non-2xx status), `stream` (an error event or malformed data in the stream), `incomplete`
 * (the stream ended before `data: [DONE]`), `response` (a whole response without choices),
 * `client` (the endpoint itself threw), `cancelled` (aborted on purpose by
 * `--request-cancellation-rate`, as AIPerf's cancelled requests).
 */
export type ErrorKind =
  | "connection_refused"
  | "dns"
  | "tls"
  | "connection"
  | "timeout"
  | "rate_limited"
  | "http"
  | "stream"
  | "incomplete"
  | "response"
  | "client"
  | "cancelled";

/** Token counts a server reported in `usage`. */
export interface EndpointUsage {
  /** `usage.completion_tokens` (reasoning tokens included, as OpenAI and vLLM count them). */
  readonly completion_tokens?: number;
  /** `usage.prompt_tokens`. */
  readonly prompt_tokens?: number;
  /** `usage.completion_tokens_details.reasoning_tokens`. */
  readonly reasoning_tokens?: number;
}

/**
 * What an endpoint measured for one request. Times are `performance.now()` milliseconds,
 * taken by the endpoint itself as close to the wire as it can. Endpoints report what they saw
 * (texts, usage, chunk times); the host counts tokens (server usage, else `--tokenizer`).
 */
export interface EndpointResult {
  /** Just before the request was sent. */
  readonly start: number;
  /** When the response was complete (or failed). */
  readonly end: number;
  /**
   * Arrival of every response chunk that carried tokens (content, reasoning or tool-call
   * deltas), in order. Role-only, usage-only and empty chunks are not in it. Streaming only.
   */
  readonly chunks?: readonly number[];
  /** Arrival of the first chunk carrying non-reasoning output (content or a tool call). */
  readonly firstOutputChunk?: number;
  /** How many of `chunks` carried only reasoning. */
  readonly reasoningChunks?: number;
  /**
   * The joined output text (content and tool-call arguments), for a tokenizer; also sent back
   * as the assistant's message by the next turn of a conversation.
   */
  readonly outputText?: string;
  /** The joined reasoning text (`reasoning` or `reasoning_content`), for a tokenizer. */
  readonly reasoningText?: string;
  /** What the server reported in `usage`, if anything. */
  readonly usage?: EndpointUsage;
  /** Output tokens as the endpoint counted them itself, for endpoints without texts or usage. */
  readonly outputTokens?: number;
  /** Input tokens as the endpoint counted them itself. */
  readonly inputTokens?: number;
  /**
   * How many choices the reply carried, when more than one (a server answering `n` > 1): only
   * the first (`index` 0) is timed and in the texts, and `usage` counts them all.
   */
  readonly choices?: number;
  /** True when reasoning was read from `<think>…</think>` in the content. */
  readonly thinkTags?: boolean;
  /** The HTTP status, when a response arrived. */
  readonly status?: number;
  /** A one-line reason when the request failed; failed requests count as errors. */
  readonly error?: string;
  /** The kind of failure, when `error` is set. */
  readonly errorKind?: ErrorKind;
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
  /**
   * The JSON body `send` would post for `request` (without history or signal), for AIPerf's
   * `inputs.json`; optional, endpoints without it are written as `{ prompt, max_tokens }`.
   */
  payload?(request: Omit<EndpointRequest, "signal">): unknown;
}

/** The host's side of a phase, as a timing strategy sees it. */
export interface PhaseDriver {
  /** Aborted when the phase stops issuing requests (count reached, duration over, interrupted). */
  readonly stopped: AbortSignal;
  /**
   * The entry the next `issue()` sends, or `undefined` when the phase issues no more; lets a
   * strategy that follows the entries' timestamps wait for the right moment.
   */
  peek(): DatasetEntry | undefined;
  /**
   * Starts the next request (the next conversation, for an entry with turns), or returns
   * `undefined` when the phase issues no more. The promise resolves when the request (every
   * turn of the conversation) completes and never rejects.
   *
   * @param due The `performance.now()` time the strategy meant the request to start at, if it
   * keeps a schedule; how far the start falls behind it is reported as client lateness
   * (`client_lateness.send_delay_ms`) and in the request's record (`send_delay_ms`).
   */
  issue(due?: number): Promise<void> | undefined;
  /**
   * The `performance.now()` time the phase's schedule starts at: entry timestamps count from
   * it.
   */
  readonly startedAt: number;
}

/** A `timing_strategy` implementation: decides when requests are issued. */
export interface TimingStrategy {
  /** Issues requests through `driver` until it returns `undefined`; resolves when all are done. */
  run(driver: PhaseDriver): Promise<void>;
}

/**
 * Where a token count came from: the server's `usage`, the client `tokenizer` (`--tokenizer`),
 * the number of `chunks` (a guess, warned about), the `endpoint`'s own count, or `none`.
 */
export type TokenSource = "usage" | "tokenizer" | "chunks" | "endpoint" | "none";

/** The token counts of one request and where each came from. */
export interface RecordTokens {
  /** Output tokens that are not reasoning (AIPerf's `output_token_count`). */
  readonly output: number;
  /** Reasoning tokens (AIPerf's `reasoning_token_count`). */
  readonly reasoning: number;
  /** Input (prompt) tokens, when known. */
  readonly input?: number;
  /** Where `output` came from. */
  readonly output_source: TokenSource;
  /** Where `reasoning` came from. */
  readonly reasoning_source: TokenSource;
  /** Where `input` came from. */
  readonly input_source: TokenSource;
  /** With both usage and a tokenizer: the tokenizer's count of output plus reasoning tokens. */
  readonly tokenizer_output_sequence_length?: number;
  /**
   * The server's `usage.completion_tokens` when the metrics could not use it (fewer than the
   * chunks that carried text, or summed over several choices); see `checks`.
   */
  readonly usage_output_sequence_length?: number;
  /**
   * With both `usage.prompt_tokens` and a tokenizer: the tokenizer's count of what was sent
   * (`input` stays the server's count).
   */
  readonly tokenizer_input_sequence_length?: number;
  /** What was found wrong or read differently in this reply, when anything was. */
  readonly checks?: readonly StreamCheck[];
}

/**
 * A case where a reply's own figures could not be taken as they came (docs/metrics-truth.md):
 * - `usage_below_chunks`: `usage.completion_tokens` was below the number of chunks that
 *   carried text (each carries at least one token); the larger count was used.
 * - `several_choices`: the reply carried several choices (`n` > 1); the first was measured.
 * - `think_tags`: reasoning was read from `<think>…</think>` in the content.
 * - `input_length_mismatch`: `usage.prompt_tokens` was far from the tokenizer's count of what
 *   was sent (both kept).
 */
export type StreamCheck =
  | "usage_below_chunks"
  | "several_choices"
  | "think_tags"
  | "input_length_mismatch";

/** One per-request metric value in a record, as AIPerf writes it: `{ value, unit }`. */
export interface RecordMetric {
  /** A number, or a list for `inter_chunk_latency`. */
  readonly value: number | readonly number[];
  /** The unit, e.g. `"ms"`, `"tokens"`, `"tokens/sec/user"`. */
  readonly unit: string;
}

/**
 * The per-request metrics a record may carry, by AIPerf's names: `request_latency`,
 * `time_to_first_token`, `time_to_second_token`, `time_to_first_output_token`,
 * `inter_token_latency`, `inter_chunk_latency` (a list), `output_sequence_length`,
 * `output_token_count`, `reasoning_token_count`, `input_sequence_length`,
 * `output_token_throughput_per_user`. Failed requests carry only `error_isl` (their input
 * tokens, when known).
 */
export type RecordMetrics = Readonly<Record<string, RecordMetric>>;

/**
 * One completed (or failed) request, as written to `records.jsonl`.
 *
 * Times: `start_ms` and `end_ms` are instants, both in milliseconds from the phase start (one
 * origin: `end_ms - start_ms` is the request's wall time, failed requests included);
 * `chunks_ms`, `send_delay_ms` and the latencies in `metrics` are durations, measured from the
 * request's own start.
 */
export interface RequestRecord {
  /** The phase the request belongs to. */
  readonly phase: PhaseName;
  /** The request's number within its phase, from 0, in issue order. */
  readonly index: number;
  /** Milliseconds from the phase start to the request start. */
  readonly start_ms: number;
  /** The conversation's number within its phase, from 0, in issue order. */
  readonly conversation_index: number;
  /** The turn's position in its conversation, from 0 (single prompts are turn 0). */
  readonly turn_index: number;
  /** The conversation's id from the dataset file, when it has one. */
  readonly session_id?: string;
  /** Milliseconds the request started after the time its schedule gave it, when it had one. */
  readonly send_delay_ms?: number;
  /**
   * Milliseconds from the phase start (the origin of `start_ms`) to the end of the response
   * (or the failure).
   */
  readonly end_ms: number;
  /** Arrival of every chunk that carried tokens, in milliseconds from the request start. */
  readonly chunks_ms: readonly number[];
  /** Token counts and their sources. */
  readonly tokens: RecordTokens;
  /** Per-request metrics, AIPerf's names and layout; only `error_isl` for a failed request. */
  readonly metrics: RecordMetrics;
  /** The HTTP status, when a response arrived. */
  readonly status?: number;
  /** Why the request failed; absent on success. */
  readonly error?: string;
  /** The kind of failure; absent on success. */
  readonly error_kind?: ErrorKind;
}

/**
 * Statistics of one metric, AIPerf's `profile_export` layout. Per-request metrics carry the
 * statistics chosen with `--metric-percentiles` (default all of p1 to p99); aggregate metrics
 * (throughputs, counts, goodput) carry only `avg`.
 */
export interface MetricStatistics {
  /** The unit, e.g. `"ms"`, `"tokens"`, `"tokens/sec"`. */
  readonly unit: string;
  /** Mean (or the value, for an aggregate). */
  readonly avg: number;
  /** Minimum. */
  readonly min?: number;
  /** Maximum. */
  readonly max?: number;
  /** 1st percentile (linear interpolation, as numpy). */
  readonly p1?: number;
  /** 5th percentile. */
  readonly p5?: number;
  /** 10th percentile. */
  readonly p10?: number;
  /** 25th percentile. */
  readonly p25?: number;
  /** Median. */
  readonly p50?: number;
  /** 75th percentile. */
  readonly p75?: number;
  /** 90th percentile. */
  readonly p90?: number;
  /** 95th percentile. */
  readonly p95?: number;
  /** 99th percentile. */
  readonly p99?: number;
  /** Population standard deviation. */
  readonly std?: number;
  /** How many values the statistics were computed from. */
  readonly count?: number;
  /**
   * When the percentiles were read from counts at a fixed step (the `inter_chunk_latency` gaps,
   * at 0.001 ms, when their temporary file could not be written or read): that step, in `unit`.
   * The percentiles are then within half a step of the exact ones; count, avg, min, max and std
   * are exact. Absent when every percentile is exact.
   */
  readonly resolution?: number;
}

/** Metric name to statistics, e.g. `time_to_first_token`. */
export type Metrics = Readonly<Record<string, MetricStatistics>>;

/** Failed requests of one kind and status, AIPerf's `error_summary` entry. */
export interface ErrorSummaryEntry {
  /** What failed: `code` is the HTTP status (null without one), `type` the {@linkcode ErrorKind}. */
  readonly error_details: {
    readonly code: number | null;
    readonly type: ErrorKind;
    /** The first message seen of this kind and status. */
    readonly message: string;
  };
  /** How many requests failed this way. */
  readonly count: number;
}

/** Percentiles of a delay, in ms. */
export interface LatenessFigures {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * How late the client itself was in a phase. A late client shows up as server latency: when
 * these figures are large next to the time to first token, the bench warns.
 */
export interface ClientLateness {
  /** Event-loop delay: how late a 10 ms timer fired, in ms. */
  readonly event_loop_delay_ms: LatenessFigures;
  /**
   * How far request starts fell behind their schedule (request rate, fixed schedule, a turn's
   * delay), in ms; for strategies without a schedule, the time from `issue()` to the send.
   */
  readonly send_delay_ms: LatenessFigures;
  /** Requests that had a schedule (request rate, fixed schedule, a turn's delay), if any. */
  readonly scheduled_requests?: number;
  /** A sentence when the lateness can distort the time to first token; absent otherwise. */
  readonly warning?: string;
}

/**
 * A phase's prefill slots (AIPerf's `--prefill-concurrency`): at most `limit` requests between
 * their send and their first token; the others waited before they were sent.
 */
export interface PrefillQueue {
  /** The most requests in prefill at once. */
  readonly limit: number;
  /** Milliseconds over which the limit grew from 1 (`--prefill-concurrency-ramp-duration`). */
  readonly ramp_ms?: number;
  /** Requests that found no free slot and waited for one. */
  readonly waited_requests: number;
  /** How long the requests sent waited for their slot, in ms (0 for those that did not wait). */
  readonly wait_ms: LatenessFigures;
}

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
  /** Successful requests, as AIPerf's `request_count` (the same number as `metrics.request_count`). */
  readonly request_count: number;
  /** Failed requests (the same number as `metrics.error_request_count`). */
  readonly error_request_count: number;
  /** Requests abandoned because the run was interrupted or stopped (in no statistic). */
  readonly cancelled_request_count: number;
  /** Milliseconds from the phase start to the last completion. */
  readonly duration_ms: number;
  /** Wall-clock start, ISO 8601. */
  readonly started_at: string;
  /** True when Ctrl-C stopped the phase early. */
  readonly interrupted: boolean;
  /** Why the phase was stopped early by the bench itself (the server went away), if it was. */
  readonly stopped?: string;
  /** Statistics over the successful requests, and the phase's aggregates. */
  readonly metrics: Metrics;
  /**
   * For conversations of several turns: the per-request statistics of each turn index
   * (`"0"`, `"1"`, ...), over the successful requests of that turn.
   */
  readonly metrics_by_turn?: Readonly<Record<string, Metrics>>;
  /** Failed requests grouped by kind and status, most frequent first. */
  readonly error_summary: readonly ErrorSummaryEntry[];
  /** How late the client was. */
  readonly client_lateness: ClientLateness;
  /**
   * With `--prefill-concurrency`: the slots and the waits for them. Waiting for a slot holds
   * requests back (a closed loop, as AIPerf warns): latencies are then lower than an open-loop
   * load at the same rate would see.
   */
  readonly prefill_concurrency?: PrefillQueue;
  /**
   * Successful requests by each check they raised (`RecordTokens.checks`); absent when none
   * did. Each check also gives one sentence in `warnings`.
   */
  readonly stream_checks?: Readonly<Partial<Record<StreamCheck, number>>>;
  /** Sentences on figures that could not be taken as the server gave them; absent if none. */
  readonly warnings?: readonly string[];
  /** The server's side: its Prometheus metrics over the phase (`--server-metrics`), if any. */
  readonly server_metrics?: PhaseServerMetrics;
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

/** How the tokens of the profiling phase were counted. */
export interface TokenCounting {
  /** The tokenizer (`--tokenizer`), if one was used. */
  readonly tokenizer?: string;
  /** Successful requests whose output count came from each source. */
  readonly output_sources: Readonly<Partial<Record<TokenSource, number>>>;
  /**
   * With both usage and a tokenizer: total output sequence length by usage and by tokenizer,
   * and their difference in percent of the usage figure.
   */
  readonly usage_vs_tokenizer?: {
    readonly requests: number;
    readonly usage_tokens: number;
    readonly tokenizer_tokens: number;
    readonly difference_percent: number;
  };
}

/** One dataset conversation and the request bodies of its turns (AIPerf's `inputs.json`). */
export interface InputSession {
  /** The conversation's id: `session_id` of the file, else `entry-<index>`. */
  readonly session_id: string;
  /** One request body per turn, as the endpoint formats it. */
  readonly payloads: readonly unknown[];
}

/** Where a setting's value came from. */
export type SettingSource = "flag" | "file" | "default";

/** A file a run depended on, by its SHA-256, so a rerun can tell whether it changed. */
export interface FileDigest {
  /** The path or URL as given (absolute for local files). */
  readonly path: string;
  /** SHA-256 of its bytes, hex; absent when it could not be read. */
  readonly sha256?: string;
}

/**
 * Everything needed to run a benchmark again (`deno task bench --rerun DIR`), with secrets
 * redacted (`<redacted>`): the API key, credential headers, passwords in URLs.
 */
export interface RunConfig {
  /** plugmap's version (deno.json). */
  readonly plugmap_version: string;
  /** The command line after `deno task bench`, secrets redacted. */
  readonly command_line: readonly string[];
  /** The working directory relative paths of the command line were given in. */
  readonly cwd: string;
  /** Every setting of the settings table that has a value, with where it came from. */
  readonly settings: Readonly<
    Record<
      string,
      { readonly value: unknown; readonly source: SettingSource; readonly flag?: string }
    >
  >;
  /** The implementations selected and their resolved configs (secrets redacted). */
  readonly selected: Readonly<
    Record<string, { readonly name: string; readonly config: Readonly<Record<string, unknown>> }>
  >;
  /** When each phase stops (`request_count`, `duration_ms`, ...). */
  readonly phases: Readonly<Record<string, unknown>>;
  /** The model names sent (`--model`), when given. */
  readonly models: readonly string[];
  /** The `--goodput` SLOs, when given. */
  readonly slos: readonly { readonly metric: string; readonly limit: number }[];
  /** The client tokenizer (`--tokenizer`), when given. */
  readonly tokenizer?: string;
  /** `--random-seed`, when given (without it, seeded parts use their own defaults). */
  readonly seed?: number;
  /** The files the run read: benchmark file, dataset file, plugin map and lock. */
  readonly files: Readonly<Record<string, FileDigest>>;
  /** The plugin map of the benchmark file (`plugins.map`), when it has one. */
  readonly plugin_map?: Readonly<Record<string, string>>;
  /** Where it ran: Deno's version, OS, architecture. */
  readonly environment: Readonly<Record<string, string>>;
  /** What was redacted (`--api-key`, `header Authorization`), so a rerun can ask for it. */
  readonly redacted: readonly string[];
}

/** A window of a phase (a time slice, or the steady state) and what its requests measured. */
export interface TimeWindow {
  /** Start, in ms from the phase start. */
  readonly start_ms: number;
  /** End, in ms from the phase start. */
  readonly end_ms: number;
  /** Successful requests in it (by their start; the steady state: started and ended in it). */
  readonly request_count: number;
  /** Failed requests in it. */
  readonly error_request_count: number;
  /** Successful requests per second of the window. */
  readonly request_throughput: number;
  /** Statistics (avg, min, max, p50, p90, p99, std) of every per-request metric. */
  readonly metrics: Metrics;
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
    /** Deno workers the load ran from (`--workers`); 1 is the main thread alone. */
    readonly workers: number;
  };
  /** Per-phase counts and durations (and statistics). */
  readonly phases: Readonly<Partial<Record<PhaseName, PhaseSummary>>>;
  /** The profiling phase's statistics, AIPerf's names: `metrics.time_to_first_token.p99`. */
  readonly metrics: Metrics;
  /** The profiling phase's failed requests by kind and status. */
  readonly error_summary: readonly ErrorSummaryEntry[];
  /** How tokens were counted in the profiling phase. */
  readonly token_counting: TokenCounting;
  /**
   * The profiling phase's requests, in completion order. The bench streams them to
   * `records.jsonl` as they finish (see `recordsFile`) and keeps only compact metric columns in
   * memory; reading this property then loads every record from that file (once). Exporters of
   * long runs should go through `readRecords()` instead, one record at a time.
   */
  readonly records: readonly RequestRecord[];
  /**
   * The file the profiling records were streamed to (JSON Lines, one {@linkcode RequestRecord}
   * a line, in completion order, whole lines only), when they were. Not enumerable.
   */
  readonly recordsFile?: string;
  /**
   * Goes through the profiling records one at a time, read from `recordsFile`, without holding
   * them all in memory. Present (not enumerable) when the records were streamed.
   */
  readonly readRecords?: () => Iterable<RequestRecord>;
  /** True when Ctrl-C stopped the run early. */
  readonly interrupted: boolean;
  /** Hooks that threw. */
  readonly hook_failures: readonly HookFailure[];
  /** Reasons the run failed (a hook's missed SLO, the server going away). */
  readonly failures: readonly string[];
  /** Warnings worth keeping with the figures (chunks counted as tokens, a late client). */
  readonly warnings: readonly string[];
  /**
   * The run's settings in the layout of AIPerf's `input_config` (`endpoint`, `input`,
   * `loadgen`, `output`, `tokenizer`), the API key left out.
   */
  readonly input_config?: Readonly<Record<string, unknown>>;
  /** The dataset as request bodies, AIPerf's `inputs.json` `data`. */
  readonly inputs?: readonly InputSession[];
  /** How to run it again: settings and their sources, command line, files, environment. */
  readonly run_config?: RunConfig;
  /**
   * The profiling phase's steady state: requests that started after the first completion
   * (ramp-up left out) and ended before the last start (drain left out); `left_out` counts
   * the others.
   */
  readonly steady_state?: TimeWindow & { readonly left_out: number };
  /** The profiling phase in time slices of `slice_ms` (`--slice-duration`), by request start. */
  readonly time_slices?: { readonly slice_ms: number; readonly slices: readonly TimeWindow[] };
  /** Confidence intervals of `metrics`' per-request statistics (bootstrap over the requests). */
  readonly confidence_intervals?: ConfidenceIntervals;
}

/**
 * Confidence intervals of a run's per-request statistics, `[low, high]` by metric and
 * statistic (`avg`, `std`, `p50`, ...), from the percentile bootstrap over its requests.
 */
export interface ConfidenceIntervals {
  /** How they were computed, in words. */
  readonly method: string;
  /** The confidence level (`--confidence-level`, 0.95). */
  readonly level: number;
  /** The fewest resamples any metric got (1,000, fewer for long runs, at least 100). */
  readonly resamples: number;
  /** The resampling's seed (`--random-seed`, else 0). */
  readonly seed: number;
  /** `[low, high]` by metric, then statistic. */
  readonly metrics: Readonly<Record<string, Readonly<Record<string, readonly [number, number]>>>>;
  /** The metrics left out (more than 50,000 requests), in words. */
  readonly skipped?: string;
}

/** Passed to exporters when they are created. */
export interface ExporterContext {
  /**
   * The output directory (`--output`, or `output:` in the benchmark file), if any; file
   * exporters write nothing without one. The host creates it before any `export()` call.
   */
  readonly outputDir?: string;
  /** Writes text to standard output. */
  write(text: string): void;
}

/** An `exporter` implementation. */
export interface Exporter {
  /** Exports the result; returns the paths written, if any. */
  export(result: BenchmarkResult): Promise<readonly string[]> | readonly string[];
}
