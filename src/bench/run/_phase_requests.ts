// A phase's requests: conversations (each turn after the reply to the one before, with the whole
// history), sends (with the back-off after connection failures), and what happens when one
// finishes (counted, recorded, told to the hooks).

import { oneLine } from "../_one_line.ts";
import { sleepUntil } from "../_sleep.ts";
import { buildRecord } from "../metrics/build_record.ts";
import type { PhaseTally } from "../metrics/phase_tally.ts";
import type { TokenCounter } from "../tokens/load_tokenizer.ts";
import type {
  ChatMessage,
  DatasetEntry,
  DatasetTurn,
  Endpoint,
  EndpointResult,
  PhaseName,
  RequestRecord,
} from "../types.ts";
import type { ConnectionBreaker } from "./_connection_breaker.ts";
import type { LatenessMonitor } from "./_lateness.ts";
import type { PhaseClock } from "./_phase_clock.ts";
import type { PhaseHooks } from "./_phase_hooks.ts";
import type { PrefillGate } from "./_prefill_gate.ts";

/** What the requests of one phase share. */
export interface PhaseRequestsContext {
  readonly phase: PhaseName;
  readonly endpoint: Endpoint;
  readonly requestCount: number | undefined;
  readonly interrupt: AbortSignal;
  readonly clock: PhaseClock;
  readonly breaker: ConnectionBreaker;
  readonly hooks: PhaseHooks;
  readonly lateness: LatenessMonitor;
  readonly tally: PhaseTally;
  readonly tokenizer: TokenCounter | undefined;
  /** Without `tokenizer`: checks `usage.prompt_tokens` on the phase's first requests. */
  readonly inputTokenizer: TokenCounter | undefined;
  /** Receives each record as it is made. */
  readonly onRecord: (record: RequestRecord) => void;
  /** `--prefill-concurrency`: every send waits for a slot, freed at its first token. */
  readonly prefill?: PrefillGate;
}

/** Where a request sits: its conversation, turn and schedule. */
interface RecordPlace {
  readonly conversation: number;
  readonly turn: number;
  readonly sessionId?: string;
  /** The `performance.now()` time its schedule gave it. */
  readonly due?: number;
}

/** Sends a phase's conversations and keeps count. */
export class PhaseRequests {
  readonly #c: PhaseRequestsContext;
  readonly #t0 = performance.now();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #talking = new Set<Promise<void>>();
  /** Requests issued. */
  issued = 0;
  /** Requests abandoned (interrupted, stopped, grace period over). */
  cancelled = 0;
  /** The `performance.now()` of the last completion. */
  lastEnd: number;

  /** @param context What the requests share. */
  constructor(context: PhaseRequestsContext) {
    this.#c = context;
    this.lastEnd = this.#t0;
  }

  /** The phase start, `performance.now()`. */
  get t0(): number {
    return this.#t0;
  }

  /** Requests in flight. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Starts one conversation; resolves when it ends. */
  start(entry: DatasetEntry, conversation: number, due: number | undefined): Promise<void> {
    const running = this.#converse(entry, conversation, due);
    const tracked = running.then(() => void this.#talking.delete(tracked));
    this.#talking.add(tracked);
    return running;
  }

  /** Waits for every request and conversation under way. */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0 || this.#talking.size > 0) {
      await Promise.all([...this.#inFlight, ...this.#talking]);
    }
  }

  // Later turns of conversations already started go on after the phase stops starting new
  // ones; only Ctrl-C, the duration, the request count and an unreachable server end them.
  #mayTurn(): boolean {
    const { interrupt, clock, breaker, requestCount } = this.#c;
    return !interrupt.aborted && !clock.timeUp && breaker.stopped === undefined &&
      (requestCount === undefined || this.issued < requestCount);
  }

  // One conversation: each turn after the reply to the one before, with the whole history.
  async #converse(entry: DatasetEntry, conversation: number, due: number | undefined) {
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
        if (turnDue !== undefined && !await sleepUntil(turnDue, this.#c.clock.abandon)) return;
        if (!this.#mayTurn()) return;
      }
      const where: RecordPlace = {
        conversation,
        turn: t,
        ...(entry.sessionId === undefined ? {} : { sessionId: entry.sessionId }),
        ...(turnDue === undefined ? {} : { due: turnDue }),
      };
      const result = await this.#send(turn, where, history);
      // Without a reply there is no history to continue from.
      if (result.error !== undefined || result.cancelled) return;
      history.push({ role: "user", content: turn.prompt });
      history.push({ role: "assistant", content: result.outputText ?? "" });
    }
  }

  #send(
    turn: DatasetTurn,
    where: RecordPlace,
    history: readonly ChatMessage[],
  ): Promise<EndpointResult> {
    const { clock, breaker, requestCount } = this.#c;
    const issuedAt = performance.now();
    const index = this.issued++;
    if (requestCount !== undefined && this.issued >= requestCount) clock.stop();
    const request = {
      prompt: turn.prompt,
      signal: clock.abandon,
      ...(turn.system === undefined ? {} : { system: turn.system }),
      ...(turn.maxTokens === undefined ? {} : { maxTokens: turn.maxTokens }),
      ...(history.length === 0 ? {} : { history }),
      ...(turn.batch === undefined ? {} : { batch: turn.batch }),
      ...(turn.images === undefined ? {} : { images: turn.images }),
      ...(turn.audios === undefined ? {} : { audios: turn.audios }),
      ...(turn.videos === undefined ? {} : { videos: turn.videos }),
      ...(turn.passages === undefined ? {} : { passages: turn.passages }),
    };
    // What the tokenizer counts as input: the history sent, the prompt and a batch's texts.
    const input = [
      ...(turn.system === undefined ? [] : [turn.system]),
      ...history.map((m) => m.content),
      turn.prompt,
      ...(turn.batch ?? []),
      ...(turn.passages ?? []),
    ].join("\n");
    const sendNow = (onFirstToken?: () => void): Promise<EndpointResult> => {
      try {
        return this.#c.endpoint.send(onFirstToken ? { ...request, onFirstToken } : request);
      } catch (e) {
        return Promise.reject(e);
      }
    };
    const cancelled = (at: number): EndpointResult => ({ start: at, end: at, cancelled: true });
    // Backing off after connection failures; a stop meanwhile cancels the request.
    const backOff = (from: number, send: () => Promise<EndpointResult>) => {
      const waitUntil = breaker.notBefore > from ? breaker.notBefore : undefined;
      if (waitUntil === undefined) return { readyAt: from, sent: send() };
      const sent = sleepUntil(waitUntil, where.turn === 0 ? clock.stopped : clock.abandon)
        .then((reached) => reached ? send() : cancelled(issuedAt));
      return { readyAt: waitUntil, sent };
    };
    let readyAt = issuedAt;
    let sent: Promise<EndpointResult>;
    const gate = this.#c.prefill;
    if (gate === undefined) {
      ({ readyAt, sent } = backOff(issuedAt, sendNow));
    } else {
      // A prefill slot first: not sent (cancelled) when the run is abandoned or the duration
      // ends meanwhile. The wait is the gate's, not the client's lateness.
      sent = gate.acquire(clock.abandon).then((free) => {
        if (free === undefined || clock.timeUp) {
          free?.();
          return cancelled(issuedAt);
        }
        const granted = backOff(performance.now(), () => sendNow(free));
        readyAt = granted.readyAt;
        return granted.sent.finally(free);
      });
    }
    const done = sent.then(
      (result) => {
        // The lateness is counted from the schedule, or from the prefill slot when it came later.
        const from = gate === undefined ? where.due ?? readyAt : Math.max(where.due ?? 0, readyAt);
        this.#complete(index, input, from, result, where);
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
        this.#complete(index, input, where.due ?? issuedAt, result, where);
        return result;
      },
    );
    const tracked = done.then(() => void this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
    return done;
  }

  // `dueAt`: when the request could have started (its schedule, a back-off, a prefill slot).
  #complete(
    index: number,
    input: string,
    dueAt: number,
    result: EndpointResult,
    where: RecordPlace,
  ): void {
    const c = this.#c;
    if (result.end > this.lastEnd) this.lastEnd = result.end;
    if (result.cancelled) {
      this.cancelled++;
      return;
    }
    c.lateness.sendDelay(result.start - dueAt);
    c.breaker.observe(result);
    const record = buildRecord(result, {
      phase: c.phase,
      index,
      phaseStart: this.#t0,
      prompt: input,
      conversation: where.conversation,
      turn: where.turn,
      ...(where.sessionId === undefined ? {} : { sessionId: where.sessionId }),
      ...(where.due === undefined ? {} : { due: where.due }),
      ...(c.tokenizer === undefined ? {} : { tokenizer: c.tokenizer }),
      ...(c.inputTokenizer === undefined ? {} : { inputTokenizer: c.inputTokenizer }),
    });
    c.tally.add(record);
    c.onRecord(record);
    c.hooks.request(record);
  }
}
