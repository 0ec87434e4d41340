import { BenchConfigError } from "../config/bench_config_error.ts";
import type { BenchmarkSettings, PhaseSetting } from "../config/resolve_settings.ts";
import { DEFAULT_TOKENIZER, loadTokenizer, type TokenCounter } from "../tokens/load_tokenizer.ts";
import {
  type RunServerMetrics,
  serverMetricsForRun,
  type ServerMetricsRunOptions,
} from "../server_metrics/server_metrics_for_run.ts";
import type {
  BenchmarkResult,
  DatasetEntry,
  Endpoint,
  HookFailure,
  Metrics,
  PhaseName,
  PhaseSummary,
  RequestRecord,
  RunConfig,
  TokenCounting,
} from "../types.ts";
import type { PhaseTally } from "../metrics/phase_tally.ts";
import { readRecords } from "../records/read_records.ts";
import { RecordsFile } from "../records/records_file.ts";
import type { Components } from "./create_components.ts";
import {
  inputConfig,
  inputSessions,
  withoutUsageCounts,
  withSessionIds,
} from "./_aiperf_inputs.ts";
import { withCancellation } from "./_cancel_requests.ts";
import { checkMediaFits } from "./_media_fit.ts";
import { timeWindows } from "../metrics/time_windows.ts";
import { bootstrapColumns, type BootstrapOptions } from "../metrics/bootstrap_intervals.ts";
import { preflight } from "./preflight.ts";
import { type PhaseProgress, runPhase } from "./run_phase.ts";

/** How a run is watched and stopped. */
export interface RunOptions {
  /** Aborted on Ctrl-C: the current phase stops, later phases do not run. */
  readonly interrupt: AbortSignal;
  /** Shows each phase's progress. */
  readonly progress?: PhaseProgress;
  /**
   * Why the run failed, as the caller collects it while the run goes (hooks' `fail()`, and a
   * hook that threw under strict plugins); read when the result is assembled.
   */
  readonly failures: readonly string[];
  /** Called when a hook throws (the run goes on). */
  readonly onHookFailure?: (failure: HookFailure) => void;
  /** Called once per warning, as soon as it is known. */
  readonly onWarning?: (warning: string) => void;
  /** The client tokenizer (`--tokenizer`), already loaded. */
  readonly tokenizer?: TokenCounter;
  /**
   * When no `tokenizer` is given and the endpoint does not stream, count the tokens the server
   * does not report in `usage` with `cl100k_base`, the tokenizer that sizes the prompts by
   * default: a whole reply is one body, with no chunks to count. The bench sets it; a warning
   * names the tokenizer.
   */
  readonly countWithDefaultTokenizer?: boolean;
  /** Send one request before the phases and stop on a fatal failure; default true. */
  readonly preflight?: boolean;
  /** How many Deno workers carry the load (reported only). */
  readonly workers?: number;
  /** How to run it again (settings, sources, files, environment), put in the result. */
  readonly runConfig?: RunConfig;
  /** Scrape the server's Prometheus metrics during each phase (`--server-metrics`). */
  readonly serverMetrics?: ServerMetricsRunOptions;
  /**
   * Stream the profiling records to this file (`records.jsonl`) as they finish instead of
   * keeping them in memory; the result's `records` then reads them back from it when asked.
   */
  readonly recordsPath?: string;
  /** Cut the profiling phase into slices of this many ms (`--slice-duration`). */
  readonly sliceMs?: number;
  /**
   * Bootstrap confidence intervals of the profiling statistics at this level and seed
   * (`--confidence-level`, `--random-seed`); none when absent.
   */
  readonly intervals?: BootstrapOptions;
  /** Holds the profiling phase's start (a sharded run's common start); none when absent. */
  readonly startGate?: StartGate;
}

/**
 * Holds a run's profiling phase until a start agreed elsewhere (`RunOptions.startGate`; a
 * sharded run's coordinator). Both are awaited before the phase's clock starts, so the wait
 * shortens no duration.
 */
export interface StartGate {
  /**
   * Awaited after the warmup, before the profiling phase's boundary scrape of the server's
   * metrics: resolves once the start is agreed (every shard ready, the instant named).
   */
  agree(): Promise<void>;
  /** Awaited after that scrape, right before the phase starts: resolves at the instant. */
  reach(): Promise<void>;
}

/**
 * Runs the benchmark: loads the dataset, checks the endpoint with one request (a fatal failure
 * throws {@linkcode PreflightError}), runs the warmup phase (its results are discarded)
 * and the profiling phase, and assembles the result exporters receive. Ctrl-C keeps what was
 * measured: the result then has `interrupted: true`.
 *
 * @param components The instances, created through the registry.
 * @param settings Phases and names.
 * @param options Interruption, progress, hook failures.
 * @returns The result.
 * @throws {PreflightError} When the endpoint cannot be reached, or refuses the key or route.
 * @throws {BenchConfigError} When the schedule window (`settings.scheduleWindow`) leaves no
 * entry.
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
  const entries = await loadEntries(components.dataset, settings.scheduleWindow, options);
  checkMediaFits(entries, components.dataset.name, components.endpoint.name);
  const warnings: string[] = [];
  const warn = (warning: string) => {
    if (warnings.includes(warning)) return;
    warnings.push(warning);
    options.onWarning?.(warning);
  };
  if (options.preflight ?? true) {
    const warning = await preflight(components.endpoint.instance, options.interrupt);
    if (warning !== undefined) warn(warning);
  }
  const run: PhaseRun = {
    components,
    settings,
    options,
    entries,
    sender: sender(components.endpoint.instance, settings),
    ...await runTokenizers(options, components.endpoint.instance.streaming),
    warn,
    failures: [],
    hookFailures: [],
    phases: {},
    kept: [],
    ...(options.recordsPath === undefined ? {} : { file: RecordsFile.create(options.recordsPath) }),
  };
  let profiling: PhaseTally | undefined;
  try {
    if (options.serverMetrics !== undefined) {
      run.server = await serverMetricsForRun(
        options.serverMetrics,
        components.endpoint.instance.url,
        (warning) => warn(`server metrics: ${warning}`),
      );
    }
    if (settings.warmup !== undefined && !options.interrupt.aborted) {
      await runOnePhase(run, "warmup", settings.warmup);
    }
    if (!options.interrupt.aborted && run.phases.warmup?.stopped === undefined) {
      profiling = (await runOnePhase(run, "profiling", settings.profiling)).tally;
    }
  } finally {
    run.file?.close();
    await run.server?.close();
  }
  return assembleResult(run, startedAt, warnings, profiling);
}

// The dataset's entries, each with a conversation id (so records and inputs.json correlate, as
// AIPerf's conversation_id), inside the schedule window (AIPerf's fixed schedule offsets:
// entries without a timestamp stay).
async function loadEntries(
  dataset: Components["dataset"],
  window: BenchmarkSettings["scheduleWindow"],
  options: RunOptions,
): Promise<readonly DatasetEntry[]> {
  const loaded = await dataset.instance.load();
  if (loaded.length === 0) {
    throw new RangeError(`The dataset "${dataset.name}" has no entries`);
  }
  const named = withSessionIds(loaded);
  const entries = window === undefined ? named : named.filter((e) =>
    e.timestamp === undefined ||
    ((window.start === undefined || e.timestamp >= window.start) &&
      (window.end === undefined || e.timestamp <= window.end))
  );
  if (entries.length === 0) {
    throw new BenchConfigError(
      `no entry of the dataset "${dataset.name}" has a timestamp from ` +
        `${window?.start ?? 0} to ${window?.end ?? "the end"} ms`,
      {
        flag: window?.start === undefined
          ? "--fixed-schedule-end-offset"
          : "--fixed-schedule-start-offset",
      },
    );
  }
  if (entries.length < loaded.length) {
    options.onWarning?.(
      `${loaded.length - entries.length} of ${loaded.length} dataset entries are outside the ` +
        `schedule window and are not sent`,
    );
  }
  return entries;
}

// The endpoint as the phases send through it.
function sender(endpoint: Endpoint, settings: BenchmarkSettings): Endpoint {
  // AIPerf's default policy (--no-use-server-token-count): the server's counts are set aside
  // and the tokenizer counts every request.
  const counted = settings.useServerTokenCount === false ? withoutUsageCounts(endpoint) : endpoint;
  // AIPerf's request cancellation: a seeded share of the requests really aborted.
  return settings.cancellation === undefined
    ? counted
    : withCancellation(counted, settings.cancellation);
}

/** Which tokenizer counts what in a run. */
interface RunTokenizers {
  /** Counts the replies' tokens: `--tokenizer`, or the default one (see `usedDefault`). */
  readonly tokenizer?: TokenCounter;
  /** Without `tokenizer`: checks `usage.prompt_tokens` on each phase's first requests. */
  readonly inputTokenizer?: TokenCounter;
  /** The default tokenizer, when it is `tokenizer` (a warning names it). */
  readonly usedDefault?: TokenCounter;
}

// The one place the default tokenizer's rule is decided: `--tokenizer` counts everything;
// without it, a non-streamed reply (one body, no chunks to count) is counted with the tokenizer
// prompts are sized in when the caller asks for it, and otherwise that tokenizer only checks
// usage.prompt_tokens. It is loaded once per process (usually already, by the dataset).
async function runTokenizers(options: RunOptions, streaming: boolean): Promise<RunTokenizers> {
  if (options.tokenizer !== undefined) return { tokenizer: options.tokenizer };
  const fallback = await loadTokenizer(DEFAULT_TOKENIZER);
  return !streaming && options.countWithDefaultTokenizer
    ? { tokenizer: fallback, usedDefault: fallback }
    : { inputTokenizer: fallback };
}

/** What the phases of one run share, and what they leave for the result. */
interface PhaseRun extends RunTokenizers {
  readonly components: Components;
  readonly settings: BenchmarkSettings;
  readonly options: RunOptions;
  readonly entries: readonly DatasetEntry[];
  readonly sender: Endpoint;
  readonly warn: (warning: string) => void;
  /** Why the run failed so far (a phase stopped). */
  readonly failures: string[];
  readonly hookFailures: HookFailure[];
  readonly phases: Partial<Record<PhaseName, PhaseSummary>>;
  /** The profiling records, when they are not streamed to `file`. */
  readonly kept: RequestRecord[];
  readonly file?: RecordsFile;
  server?: RunServerMetrics | undefined;
}

// Runs one phase; records its summary, warnings and stop in `run`.
async function runOnePhase(run: PhaseRun, phase: PhaseName, setting: PhaseSetting) {
  const { components, settings, options, file, kept, server } = run;
  const { datasetOnce, ...stops } = setting;
  const gate = phase === "profiling" ? options.startGate : undefined;
  await gate?.agree();
  const serverPhase = await server?.phaseStart();
  await gate?.reach();
  const outcome = await runPhase({
    phase,
    ...stops,
    ...(datasetOnce ? { conversationCount: run.entries.length } : {}),
    endpoint: run.sender,
    // AIPerf's warmup load settings give the warmup a timing of its own.
    timing: (phase === "warmup" ? components.warmupTiming ?? components.timing : components.timing)
      .instance,
    entries: run.entries,
    sampler: components.sampler.instance,
    hooks: components.hooks,
    interrupt: options.interrupt,
    ...(options.progress === undefined ? {} : { progress: options.progress }),
    onHookFailure: (failure) => {
      run.hookFailures.push(failure);
      options.onHookFailure?.(failure);
    },
    ...(run.tokenizer === undefined ? {} : { tokenizer: run.tokenizer }),
    ...(run.inputTokenizer === undefined ? {} : { inputTokenizer: run.inputTokenizer }),
    ...(settings.goodput === undefined ? {} : { goodput: settings.goodput }),
    ...(settings.percentiles === undefined ? {} : { percentiles: settings.percentiles }),
    // Warmup records are not kept; profiling records go to the file, or stay in memory.
    onRecord: phase !== "profiling"
      ? () => {}
      : file === undefined
      ? (record) => void kept.push(record)
      : (record) => file.append(record),
  });
  const summary = server === undefined
    ? outcome.summary
    : await server.phaseEnd(serverPhase!, outcome.summary);
  run.phases[phase] = summary;
  for (const warning of phaseWarnings(phase, summary, outcome.tally, run.usedDefault)) {
    run.warn(warning);
  }
  if (outcome.summary.stopped !== undefined) {
    run.failures.push(`${phase} stopped: ${outcome.summary.stopped}`);
  }
  return outcome;
}

// The result exporters receive.
function assembleResult(
  run: PhaseRun,
  startedAt: string,
  warnings: readonly string[],
  profiling: PhaseTally | undefined,
): BenchmarkResult {
  const { components, settings, options, phases, file, kept } = run;
  const endpoint = components.endpoint.instance;
  const result = {
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
      workers: options.workers ?? 1,
    },
    phases,
    metrics: phases.profiling?.metrics ?? {},
    error_summary: phases.profiling?.error_summary ?? [],
    token_counting: tokenCounting(profiling, run.tokenizer?.name),
    interrupted: options.interrupt.aborted,
    hook_failures: run.hookFailures,
    failures: [...run.failures, ...options.failures],
    warnings,
    input_config: inputConfig(settings, {
      endpoint: components.endpoint.name,
      timing: components.timing.name,
      dataset: components.dataset.name,
    }),
    inputs: inputSessions(run.entries, endpoint),
    ...(options.runConfig === undefined ? {} : { run_config: options.runConfig }),
    // Read back when streamed, one record at a time (twice: the bounds, then the windows).
    ...timeWindows(file === undefined ? () => kept : readBack(file.path), options.sliceMs),
    ...confidenceIntervals(profiling, phases.profiling?.metrics ?? {}, options.intervals),
  };
  return withRecords(result, file?.path, kept);
}

// The streamed records, read one at a time; none when the file is gone or cannot be read (the
// run still reports and exports).
function readBack(path: string): () => Iterable<RequestRecord> {
  return function* () {
    try {
      yield* readRecords(path);
    } catch {
      return;
    }
  };
}

// The bootstrap intervals of the statistics, from the values the profiling phase kept (8 bytes
// each; a metric of more than 50,000 values gets none and is not read): no record is read back.
function confidenceIntervals(
  profiling: PhaseTally | undefined,
  metrics: Metrics,
  options: BootstrapOptions | undefined,
): Pick<BenchmarkResult, "confidence_intervals"> {
  if (options === undefined || profiling === undefined) return {};
  const intervals = bootstrapColumns(profiling.valueColumns(), metrics, options);
  return intervals === undefined ? {} : { confidence_intervals: intervals };
}

// The result with its records: in memory, or read back from the streamed file when asked. Not
// enumerable when streamed: a JSON copy of the result never reads the file by accident.
function withRecords(
  result: Omit<BenchmarkResult, "records">,
  path: string | undefined,
  kept: readonly RequestRecord[],
): BenchmarkResult {
  if (path === undefined) return { ...result, records: kept };
  let loaded: readonly RequestRecord[] | undefined;
  return Object.defineProperties({ ...result } as BenchmarkResult, {
    records: { get: () => loaded ??= [...readRecords(path)], enumerable: false },
    recordsFile: { value: path, enumerable: false },
    readRecords: { value: () => readRecords(path), enumerable: false },
  });
}

// The warnings a phase's figures call for.
function phaseWarnings(
  phase: PhaseName,
  summary: PhaseSummary,
  tally: PhaseTally,
  usedDefault: TokenCounter | undefined,
): string[] {
  const warnings: string[] = [];
  if (summary.client_lateness.warning !== undefined) {
    warnings.push(`${phase}: ${summary.client_lateness.warning}`);
  }
  for (const warning of summary.warnings ?? []) warnings.push(`${phase}: ${warning}`);
  if (tally.chunksWithoutUsage > 0) {
    warnings.push(
      "the server sent no usage: output tokens were counted as chunks (one token per chunk), " +
        "which undercounts servers that send several tokens per chunk; pass " +
        "--tokenizer NAME|PATH (cl100k_base, o200k_base or a tokenizer.json) to count them",
    );
  }
  if (usedDefault !== undefined && (tally.outputSources.tokenizer ?? 0) > 0) {
    warnings.push(
      `the server sent no usage: output tokens of the non-streamed replies were counted with ` +
        `${usedDefault.name} (the default tokenizer); pass --tokenizer NAME|PATH (the model's ` +
        "tokenizer.json) to count them in the model's own tokens",
    );
  }
  const limited = tally.errorKinds.rate_limited ?? 0;
  if (limited > 0) {
    warnings.push(
      `${phase}: the server rate-limited ${limited} of ${tally.count} requests ` +
        "(HTTP 429); they count as errors (rate_limited) and were not retried, so the " +
        "figures are of the load the server accepted: lower --concurrency or --request-rate " +
        "to measure below its limit",
    );
  }
  return warnings;
}

function tokenCounting(tally: PhaseTally | undefined, tokenizer?: string): TokenCounting {
  const { requests, usage, tokenizer: counted } = tally?.usageVsTokenizer ??
    { requests: 0, usage: 0, tokenizer: 0 };
  return {
    ...(tokenizer === undefined ? {} : { tokenizer }),
    output_sources: { ...tally?.outputSources },
    ...(requests === 0 ? {} : {
      usage_vs_tokenizer: {
        requests,
        usage_tokens: usage,
        tokenizer_tokens: counted,
        difference_percent: usage > 0 ? ((counted - usage) / usage) * 100 : 0,
      },
    }),
  };
}
