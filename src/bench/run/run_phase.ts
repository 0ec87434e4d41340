import { oneLine } from "../_one_line.ts";
import { sleepUntil } from "../_sleep.ts";
import { buildRecord } from "../metrics/build_record.ts";
import { percentile } from "../metrics/compute_statistics.ts";
import type { Slo } from "../metrics/parse_goodput.ts";
import { summarizePhase } from "../metrics/summarize_phase.ts";
import type { TokenCounter } from "../tokens/load_tokenizer.ts";
import { LatenessMonitor } from "./_lateness.ts";
import type {
  ChatMessage,
  DatasetEntry,
  DatasetSampler,
  DatasetTurn,
  Endpoint,
  EndpointResult,
  ErrorKind,
  HookFailure,
  PhaseDriver,
  PhaseHook,
  PhaseName,
  PhaseStart,
  PhaseSummary,
  RequestRecord,
  TimingStrategy,
} from "../types.ts";

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
}

/** Failures that mean the server cannot be reached at all. */
const CONNECTION_FAILURES: ReadonlySet<ErrorKind | undefined> = new Set([
  "connection_refused",
  "dns",
  "tls",
  "connection",
]);
/** Consecutive connection failures, and how long they must have lasted, before a phase stops. */
const STOP_AFTER_FAILURES = 8;
const STOP_AFTER_MS = 2000;

/** A finished phase. */
export interface PhaseOutcome {
  readonly summary: PhaseSummary;
  readonly records: readonly RequestRecord[];
}

/**
 * Runs one phase: lets the timing strategy issue requests until the request count or the
 * duration is reached (or Ctrl-C), sends each through the endpoint with a prompt the sampler
 * picks, records the results, tells the hooks, and summarizes. An entry with turns is a
 * conversation: the strategy schedules the conversation, whose turns are sent one after another,
 * each with the whole history (the server's earlier replies included) after its delay or at its
 * timestamp; a failed turn ends its conversation.
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
 * @returns The phase summary and its records, in completion order.
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
  const { phase, requestCount, durationMs, endpoint, entries, sampler, hooks, interrupt } = options;
  if (entries.length === 0) throw new RangeError("Cannot run a phase: the dataset is empty");
  const stopper = new AbortController();
  const stop = () => stopper.abort();
  interrupt.addEventListener("abort", stop, { once: true });
  if (interrupt.aborted) stop();
  // Requests are abandoned on Ctrl-C, or when the grace period after the duration is over.
  const graceOver = new AbortController();
  const abandon = AbortSignal.any([interrupt, graceOver.signal]);
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  // Declared before the clock starts: the duration may end while onPhaseStart hooks run.
  let timeUp = false;
  const timer = durationMs === undefined ? undefined : setTimeout(() => {
    timeUp = true;
    stop();
    if (options.gracePeriodMs !== undefined) {
      graceTimer = setTimeout(() => graceOver.abort(), options.gracePeriodMs);
    }
  }, durationMs);

  const startedAt = new Date().toISOString();
  const start: PhaseStart = {
    phase,
    started_at: startedAt,
    ...(requestCount === undefined ? {} : { request_count: requestCount }),
    ...(durationMs === undefined ? {} : { duration_ms: durationMs }),
  };
  await callHooks(hooks, "onPhaseStart", phase, start, options.onHookFailure);

  const t0 = performance.now();
  const records: RequestRecord[] = [];
  const pending: Promise<void>[] = [];
  const inFlight = new Set<Promise<void>>();
  let issued = 0;
  let errors = 0;
  let cancelled = 0;
  let lastEnd = t0;
  const lateness = new LatenessMonitor();
  let streak = 0;
  let streakStart = 0;
  let notBefore = 0;
  let stopped: string | undefined;

  const complete = (
    index: number,
    input: string,
    issuedAt: number,
    result: EndpointResult,
    where: RecordPlace,
  ) => {
    if (result.end > lastEnd) lastEnd = result.end;
    if (result.cancelled) {
      cancelled++;
      return;
    }
    lateness.sendDelay(result.start - (where.due ?? issuedAt));
    if (CONNECTION_FAILURES.has(result.errorKind) && result.error !== undefined) {
      const now = performance.now();
      if (streak++ === 0) streakStart = now;
      notBefore = now + Math.min(1000, 50 * 2 ** (streak - 1));
      if (streak >= STOP_AFTER_FAILURES && now - streakStart >= STOP_AFTER_MS && !stopped) {
        stopped = `the server cannot be reached: ${streak} consecutive connection failures ` +
          `over ${((now - streakStart) / 1000).toFixed(1)} s, the last: ${result.error}`;
        stop();
      }
    } else if (result.error === undefined) {
      streak = 0;
      notBefore = 0;
    }
    const record = buildRecord(result, {
      phase,
      index,
      phaseStart: t0,
      prompt: input,
      conversation: where.conversation,
      turn: where.turn,
      ...(where.sessionId === undefined ? {} : { sessionId: where.sessionId }),
      ...(where.due === undefined ? {} : { due: where.due }),
      ...(options.tokenizer === undefined ? {} : { tokenizer: options.tokenizer }),
      ...(options.inputTokenizer === undefined ? {} : { inputTokenizer: options.inputTokenizer }),
    });
    if (record.error !== undefined) errors++;
    records.push(record);
    for (const { name, instance } of hooks) {
      if (instance.onRequestComplete === undefined) continue;
      try {
        const r = instance.onRequestComplete(record);
        if (r instanceof Promise) {
          pending.push(
            r.catch((e) => options.onHookFailure(failure(name, "onRequestComplete", phase, e))),
          );
        }
      } catch (e) {
        options.onHookFailure(failure(name, "onRequestComplete", phase, e));
      }
    }
  };

  let conversations = 0;
  const talking = new Set<Promise<void>>();
  let upcoming: DatasetEntry | undefined;
  const conversationCount = options.conversationCount;
  // Later turns of conversations already started go on after the phase stops starting new
  // ones; only Ctrl-C, the duration, the request count and an unreachable server end them.
  const mayTurn = () =>
    !interrupt.aborted && !timeUp && stopped === undefined &&
    (requestCount === undefined || issued < requestCount);

  const send = (
    entry: DatasetEntry,
    turn: DatasetTurn,
    turnIndex: number,
    conversation: number,
    history: readonly ChatMessage[],
    due: number | undefined,
  ): Promise<EndpointResult> => {
    const issuedAt = performance.now();
    const index = issued++;
    if (requestCount !== undefined && issued >= requestCount) stop();
    const request = {
      prompt: turn.prompt,
      signal: abandon,
      ...(turn.maxTokens === undefined ? {} : { maxTokens: turn.maxTokens }),
      ...(history.length === 0 ? {} : { history }),
      ...(turn.batch === undefined ? {} : { batch: turn.batch }),
    };
    // What the tokenizer counts as input: the history sent, the prompt and a batch's texts.
    const input = [...history.map((m) => m.content), turn.prompt, ...(turn.batch ?? [])]
      .join("\n");
    const sendNow = (): Promise<EndpointResult> => {
      try {
        return endpoint.send(request);
      } catch (e) {
        return Promise.reject(e);
      }
    };
    // Backing off after connection failures; a stop meanwhile cancels the request.
    const waitUntil = notBefore > issuedAt ? notBefore : undefined;
    const sent = waitUntil !== undefined
      ? sleepUntil(waitUntil, turnIndex === 0 ? stopper.signal : abandon).then((
        reached,
      ): Promise<EndpointResult> =>
        reached ? sendNow() : Promise.resolve({ start: issuedAt, end: issuedAt, cancelled: true })
      )
      : sendNow();
    const where: RecordPlace = {
      conversation,
      turn: turnIndex,
      ...(entry.sessionId === undefined ? {} : { sessionId: entry.sessionId }),
      ...(due === undefined ? {} : { due }),
    };
    const done = sent.then(
      (result) => {
        complete(index, input, waitUntil ?? issuedAt, result, where);
        return result;
      },
      (e) => {
        const now = performance.now();
        const result: EndpointResult = {
          start: now,
          end: now,
          error: oneLine(e),
          errorKind: "client",
        };
        complete(index, input, issuedAt, result, where);
        return result;
      },
    );
    const tracked = done.then(() => void inFlight.delete(tracked));
    inFlight.add(tracked);
    return done;
  };

  // One conversation: each turn after the reply to the one before, with the whole history.
  const converse = async (entry: DatasetEntry, conversation: number, due: number | undefined) => {
    const history: ChatMessage[] = [];
    const turns: DatasetTurn[] = [entry, ...(entry.turns ?? [])];
    const firstAt = due ?? performance.now();
    for (let t = 0; t < turns.length; t++) {
      const turn = turns[t]!;
      let turnDue = t === 0 ? due : undefined;
      if (t > 0) {
        if (turn.timestamp !== undefined && entry.timestamp !== undefined) {
          turnDue = firstAt + (turn.timestamp - entry.timestamp);
        } else if (turn.delay !== undefined && turn.delay > 0) {
          turnDue = performance.now() + turn.delay;
        }
        if (turnDue !== undefined && !await sleepUntil(turnDue, abandon)) return;
        if (!mayTurn()) return;
      }
      const result = await send(entry, turn, t, conversation, history, turnDue);
      // Without a reply there is no history to continue from.
      if (result.error !== undefined || result.cancelled) return;
      history.push({ role: "user", content: turn.prompt });
      history.push({ role: "assistant", content: result.outputText ?? "" });
    }
  };

  const driver: PhaseDriver = {
    stopped: stopper.signal,
    startedAt: t0,
    peek() {
      if (stopper.signal.aborted) return undefined;
      upcoming ??= entries[sampler.next(entries.length)] ?? entries[0]!;
      return upcoming;
    },
    issue(due?: number) {
      const entry = driver.peek();
      if (entry === undefined) return undefined;
      upcoming = undefined;
      const conversation = conversations++;
      if (conversationCount !== undefined && conversations >= conversationCount) stop();
      const running = converse(entry, conversation, due);
      const tracked = running.then(() => void talking.delete(tracked));
      talking.add(tracked);
      return running;
    },
  };

  options.progress?.begin(start, () => ({
    done: records.length,
    errors,
    inFlight: inFlight.size,
    elapsedMs: performance.now() - t0,
  }));
  lateness.start();
  try {
    if (requestCount === 0 || conversationCount === 0) stop();
    else await options.timing.run(driver);
    // A strategy that returns early still gets its requests waited for.
    while (inFlight.size > 0 || talking.size > 0) await Promise.all([...inFlight, ...talking]);
  } finally {
    stop();
    clearTimeout(timer);
    clearTimeout(graceTimer);
    interrupt.removeEventListener("abort", stop);
    options.progress?.end();
  }
  await Promise.all(pending);

  const summary = summarizePhase(records, {
    phase,
    startedAt,
    durationMs: (records.length > 0 || cancelled > 0 ? lastEnd : performance.now()) - t0,
    cancelledCount: cancelled,
    interrupted: interrupt.aborted,
    ...(stopped === undefined ? {} : { stopped }),
    ...(options.goodput === undefined ? {} : { goodput: options.goodput }),
    ...(options.percentiles === undefined ? {} : { percentiles: options.percentiles }),
    lateness: lateness.stop(medianTtft(records)),
  });
  await callHooks(hooks, "onPhaseComplete", phase, summary, options.onHookFailure);
  return { summary, records };
}

/** Where a request sits: its conversation, turn and schedule. */
interface RecordPlace {
  readonly conversation: number;
  readonly turn: number;
  readonly sessionId?: string;
  /** The `performance.now()` time its schedule gave it. */
  readonly due?: number;
}

// The median time to first token (or request latency, not streaming) of the successful records.
function medianTtft(records: readonly RequestRecord[]): number | undefined {
  const values: number[] = [];
  for (const r of records) {
    const v = r.metrics.time_to_first_token?.value ?? r.metrics.request_latency?.value;
    if (typeof v === "number") values.push(v);
  }
  return values.length === 0 ? undefined : percentile(Float64Array.from(values).sort(), 50);
}

async function callHooks<E extends "onPhaseStart" | "onPhaseComplete">(
  hooks: readonly Named<PhaseHook>[],
  event: E,
  phase: PhaseName,
  argument: Parameters<NonNullable<PhaseHook[E]>>[0],
  onFailure: (failure: HookFailure) => void,
): Promise<void> {
  for (const { name, instance } of hooks) {
    const method = instance[event] as ((arg: typeof argument) => unknown) | undefined;
    if (method === undefined) continue;
    try {
      await method.call(instance, argument);
    } catch (e) {
      onFailure(failure(name, event, phase, e));
    }
  }
}

function failure(
  hook: string,
  event: HookFailure["event"],
  phase: PhaseName,
  error: unknown,
): HookFailure {
  return { hook, event, phase, message: oneLine(error) };
}
