import type { Slo } from "../metrics/parse_goodput.ts";
import { PhaseTally } from "../metrics/phase_tally.ts";
import type { TokenCounter } from "../tokens/load_tokenizer.ts";
import type {
  DatasetEntry,
  DatasetSampler,
  Endpoint,
  HookFailure,
  PhaseDriver,
  PhaseHook,
  PhaseName,
  PhaseStart,
  PhaseSummary,
  RequestRecord,
  TimingStrategy,
} from "../types.ts";
import { ConnectionBreaker } from "./_connection_breaker.ts";
import { LatenessMonitor } from "./_lateness.ts";
import { PhaseClock } from "./_phase_clock.ts";
import { PhaseHooks } from "./_phase_hooks.ts";
import { PhaseRequests } from "./_phase_requests.ts";
import { PrefillGate } from "./_prefill_gate.ts";

/** An instance with the name it was selected by. */
export interface Named<T> {
  /** The implementation name (as selected). */
  readonly name: string;
  /** The instance. */
  readonly instance: T;
}

/** Counters a progress display reads while a phase runs. */
export interface PhaseCounters {
  /** Requests completed (successful or not). */
  readonly done: number;
  /** Failed requests. */
  readonly errors: number;
  /** Requests in flight. */
  readonly inFlight: number;
  /** Milliseconds since the phase started. */
  readonly elapsedMs: number;
}

/** Something that shows a phase's progress. */
export interface PhaseProgress {
  /** Called when the phase starts; `counters()` may be polled until `end()`. */
  begin(start: PhaseStart, counters: () => PhaseCounters): void;
  /** Called when the phase is complete. */
  end(): void;
}

/** What one phase runs. */
export interface PhaseOptions {
  readonly phase: PhaseName;
  /** Stop issuing after this many requests (turns of conversations included). */
  readonly requestCount?: number;
  /** Stop starting conversations after this many (every turn of each is sent). */
  readonly conversationCount?: number;
  /** Stop issuing after this many milliseconds. */
  readonly durationMs?: number;
  /**
   * After `durationMs`: requests still in flight are cancelled after this many more
   * milliseconds (AIPerf's `--benchmark-grace-period`); they wait without limit when absent.
   */
  readonly gracePeriodMs?: number;
  /**
   * At most this many requests between their send and their first token (AIPerf's
   * `--prefill-concurrency`); the others wait for a slot before they are sent.
   */
  readonly prefillConcurrency?: number;
  /** Milliseconds over which the prefill limit grows from 1 (`--prefill-concurrency-ramp-duration`). */
  readonly prefillRampMs?: number;
  readonly endpoint: Endpoint;
  readonly timing: TimingStrategy;
  readonly entries: readonly DatasetEntry[];
  readonly sampler: DatasetSampler;
  readonly hooks: readonly Named<PhaseHook>[];
  /** Aborted on Ctrl-C: the phase stops issuing and abandons requests in flight. */
  readonly interrupt: AbortSignal;
  readonly progress?: PhaseProgress;
  /** Receives every hook that throws. */
  readonly onHookFailure: (failure: HookFailure) => void;
  /** Counts tokens when the server sends no usage (`--tokenizer`). */
  readonly tokenizer?: TokenCounter;
  /** Without `tokenizer`: checks `usage.prompt_tokens` on the phase's first requests. */
  readonly inputTokenizer?: TokenCounter;
  /** Goodput SLOs (`--goodput`). */
  readonly goodput?: readonly Slo[];
  /** Percentiles to report (`--metric-percentiles`). */
  readonly percentiles?: readonly number[];
  /**
   * Receives each record as soon as it is made (to stream it to `records.jsonl`); the outcome's
   * `records` is then empty, and only the compact per-metric columns stay in memory.
   */
  readonly onRecord?: (record: RequestRecord) => void;
}

/** A finished phase. */
export interface PhaseOutcome {
  readonly summary: PhaseSummary;
  /** The records, in completion order; empty when they were handed to `onRecord`. */
  readonly records: readonly RequestRecord[];
  /** What the phase kept of its requests: counts, token sources, failures, metric columns. */
  readonly tally: PhaseTally;
}

/**
 * Runs one phase: lets the timing strategy issue requests until the request count or the
 * duration is reached (or Ctrl-C), sends each through the endpoint with a prompt the sampler
 * picks, records the results, tells the hooks, and summarizes. An entry with turns is a
 * conversation: the strategy schedules the conversation, whose turns are sent one after another,
 * each with the whole history (the server's earlier replies included) after its delay or at its
 * timestamp; a failed turn ends its conversation.
 *
 * With `prefillConcurrency`, each request waits for a prefill slot before it is sent and frees it
 * at its first token (the endpoint's `onFirstToken`) or its end; the summary's
 * `prefill_concurrency` says how many waited and how long.
 *
 * Consecutive connection failures (refused, DNS, TLS, reset) back off (50 ms doubling to 1 s
 * between sends); after 8 of them over at least 2 s the phase stops, its summary says why
 * (`stopped`), and what completed is kept.
 *
 * How late the client itself was (event-loop delay, request starts behind the schedule the
 * strategy gave through `issue(due)` or a turn's delay) is measured and summarized in
 * `client_lateness`; each record keeps its own `send_delay_ms` when it had a schedule.
 *
 * Hook calls never stop the phase: a hook that throws (or rejects) is reported through
 * `onHookFailure`. `onRequestComplete` is not awaited before the next request; its promises
 * are settled before `onPhaseComplete` is called.
 *
 * @param options What to run.
 * @returns The phase summary, its tally, and its records in completion order (none when they
 * went to `onRecord`).
 * @throws {Error} Whatever the timing strategy throws.
 *
 * @example
 * ```ts
 * import { runPhase } from "./run_phase.ts";
 * import { FixedConcurrency } from "../timing/fixed_concurrency.ts";
 * import { SequentialSampler } from "../samplers/sequential_sampler.ts";
 *
 * const outcome = await runPhase({
 *   phase: "profiling",
 *   requestCount: 5,
 *   endpoint: {
 *     url: "memory:",
 *     streaming: false,
 *     send: () => Promise.resolve({ start: 0, end: 10, outputTokens: 2 }),
 *   },
 *   timing: new FixedConcurrency({ concurrency: 2 }),
 *   entries: [{ prompt: "hi" }],
 *   sampler: new SequentialSampler(),
 *   hooks: [],
 *   interrupt: new AbortController().signal,
 *   onHookFailure: () => {},
 * });
 * if (outcome.summary.request_count !== 5) throw new Error("wrong");
 * ```
 */
export async function runPhase(options: PhaseOptions): Promise<PhaseOutcome> {
  const { phase, requestCount, durationMs, entries, interrupt } = options;
  if (entries.length === 0) throw new RangeError("Cannot run a phase: the dataset is empty");
  // Started before the hooks: the duration may end while onPhaseStart runs.
  const clock = new PhaseClock(interrupt, durationMs, options.gracePeriodMs);
  const startedAt = new Date().toISOString();
  const start: PhaseStart = {
    phase,
    started_at: startedAt,
    ...(requestCount === undefined ? {} : { request_count: requestCount }),
    ...(durationMs === undefined ? {} : { duration_ms: durationMs }),
  };
  const hooks = new PhaseHooks(options.hooks, phase, options.onHookFailure);
  await hooks.start(start);

  const records: RequestRecord[] = [];
  const tally = new PhaseTally(options.goodput);
  const lateness = new LatenessMonitor();
  const breaker = new ConnectionBreaker(() => clock.stop());
  const prefill = options.prefillConcurrency === undefined
    ? undefined
    : new PrefillGate(options.prefillConcurrency, options.prefillRampMs);
  const requests = new PhaseRequests({
    phase,
    endpoint: options.endpoint,
    requestCount,
    interrupt,
    clock,
    breaker,
    hooks,
    lateness,
    tally,
    tokenizer: options.tokenizer,
    inputTokenizer: options.inputTokenizer,
    onRecord: options.onRecord ?? ((record) => void records.push(record)),
    ...(prefill === undefined ? {} : { prefill }),
  });
  const driver = phaseDriver(options, clock, requests);
  const t0 = requests.t0;
  options.progress?.begin(start, () => ({
    done: tally.count,
    errors: tally.failed,
    inFlight: requests.inFlight,
    elapsedMs: performance.now() - t0,
  }));
  lateness.start();
  try {
    if (requestCount === 0 || options.conversationCount === 0) clock.stop();
    else await options.timing.run(driver);
    // A strategy that returns early still gets its requests waited for.
    await requests.settled();
  } finally {
    clock.dispose();
    prefill?.dispose();
    options.progress?.end();
  }
  const ended = tally.count > 0 || requests.cancelled > 0 ? requests.lastEnd : performance.now();
  const tallied = tally.summary({
    phase,
    startedAt,
    durationMs: ended - t0,
    cancelledCount: requests.cancelled,
    interrupted: interrupt.aborted,
    ...(breaker.stopped === undefined ? {} : { stopped: breaker.stopped }),
    ...(options.goodput === undefined ? {} : { goodput: options.goodput }),
    ...(options.percentiles === undefined ? {} : { percentiles: options.percentiles }),
    lateness: {
      ...lateness.stop(tally.median("time_to_first_token") ?? tally.median("request_latency")),
      ...(tally.scheduled === 0 ? {} : { scheduled_requests: tally.scheduled }),
    },
  });
  const summary = prefill === undefined
    ? tallied
    : { ...tallied, prefill_concurrency: prefill.report() };
  await hooks.complete(summary);
  return { summary, records, tally };
}

// What the timing strategy drives: peek at the next entry, issue it (a conversation).
function phaseDriver(options: PhaseOptions, clock: PhaseClock, requests: PhaseRequests) {
  const { entries, sampler, conversationCount } = options;
  let upcoming: DatasetEntry | undefined;
  let conversations = 0;
  const driver: PhaseDriver = {
    stopped: clock.stopped,
    startedAt: requests.t0,
    peek() {
      if (clock.stopped.aborted) return undefined;
      upcoming ??= entries[sampler.next(entries.length)] ?? entries[0]!;
      return upcoming;
    },
    issue(due?: number) {
      const entry = driver.peek();
      if (entry === undefined) return undefined;
      upcoming = undefined;
      const conversation = conversations++;
      if (conversationCount !== undefined && conversations >= conversationCount) clock.stop();
      return requests.start(entry, conversation, due);
    },
  };
  return driver;
}
