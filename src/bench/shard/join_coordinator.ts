import { lineConn, type Message, nowMs } from "./_lines.ts";

/** Settings of {@linkcode joinCoordinator}. */
export interface JoinOptions {
  /** The coordinator's host. */
  readonly hostname: string;
  /** The coordinator's port. */
  readonly port: number;
  /** This shard's index. */
  readonly index: number;
  /** How many shards take part. */
  readonly count: number;
  /** This shard's settings hash ({@linkcode settingsHash}). */
  readonly hash: string;
  /** How long to keep trying to connect, and to wait for the others, in ms. */
  readonly timeoutMs: number;
}

/** A shard's link to the coordinator, once every shard has reported ready with equal settings. */
export interface CoordinatorLink {
  /** Add to this shard's clock (epoch ms) to get shard 0's. */
  readonly offsetMs: number;
  /** The round trip of the clock sample the offset came from (its uncertainty is half of it). */
  readonly rttMs: number;
  /**
   * Reports ready for `phase` and waits until every shard has and shard 0 has named the common
   * start instant; resolves with it on this shard's clock (epoch ms), before it is reached.
   */
  agree(phase: string): Promise<number>;
  /**
   * {@linkcode CoordinatorLink.agree}, then waits for the instant; resolves with it on this
   * shard's clock (epoch ms), once reached.
   */
  start(phase: string): Promise<number>;
  /**
   * A sweep's step: reports this shard's counts at a value and waits until every shard has;
   * resolves with their sums (every shard gets the same, so every shard takes the same decision).
   */
  tally(phase: string, counts: SweepTally): Promise<SweepTally>;
  /** Tells the coordinator this shard is done, with its exit status. */
  done(status: number): void;
  /** Closes the link. */
  close(): void;
}

/** A sweep value's counts: one shard's, or the sum of every shard's. */
export interface SweepTally {
  /** Successful requests. */
  readonly ok: number;
  /** Failed requests. */
  readonly errors: number;
  /** Whether the shard (or any shard) was interrupted. */
  readonly interrupted: boolean;
}

/** The coordinator cannot be reached, or refused or failed the start; the message says why. */
export class CoordinatorError extends Error {
  /**
   * @param message What went wrong.
   */
  constructor(message: string) {
    super(message);
    this.name = "CoordinatorError";
  }
}

const SAMPLES = 8;

/**
 * Connects to the coordinator (retrying while it is not up yet, until `timeoutMs`), reports this
 * shard (index, count, settings hash), takes 8 clock samples and keeps the offset of the one
 * with the shortest round trip, then waits until every shard has reported with the same
 * settings.
 *
 * @param options Where the coordinator is, who this shard is.
 * @returns The link.
 * @throws {CoordinatorError} When the coordinator cannot be reached within `timeoutMs` (with
 * the last connection error), or it reports a failure (a shard never ready, settings that
 * disagree, naming the shards), or it goes away.
 *
 * @example
 * ```ts
 * import { joinCoordinator, CoordinatorError } from "./join_coordinator.ts";
 *
 * const error = await joinCoordinator({
 *   hostname: "127.0.0.1", port: 9, index: 1, count: 2, hash: "x", timeoutMs: 100,
 * }).catch((e) => e);
 * if (!(error instanceof CoordinatorError)) throw error;
 * ```
 */
export async function joinCoordinator(options: JoinOptions): Promise<CoordinatorLink> {
  const { hostname, port, timeoutMs } = options;
  const where = `${hostname}:${port}`;
  const deadline = performance.now() + timeoutMs;
  let raw: Deno.Conn | undefined;
  let last = "";
  while (raw === undefined) {
    try {
      raw = await Deno.connect({ hostname, port });
    } catch (error) {
      last = (error as Error).message;
      if (performance.now() >= deadline) {
        throw new CoordinatorError(
          `Cannot reach the coordinator ${where} within ${timeoutMs / 1000} s: ${last}; ` +
            "shard 0 listens there (--coordinator HOST:PORT)",
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const inbox: Message[] = [];
  const waiting: ((m: Message | undefined) => void)[] = [];
  let closed = false;
  let failure: string | undefined;
  const conn = lineConn(raw, (m) => {
    if (m.type === "error") failure ??= String(m.message);
    const waiter = waiting.shift();
    if (waiter) waiter(m);
    else inbox.push(m);
  }, () => {
    closed = true;
    for (const waiter of waiting.splice(0)) waiter(undefined);
  });
  const next = async (what: string): Promise<Message> => {
    const message = inbox.shift() ??
      (closed ? undefined : await new Promise<Message | undefined>((r) => waiting.push(r)));
    if (message?.type === "error" || failure !== undefined) {
      conn.close();
      throw new CoordinatorError(`The coordinator ${where} stopped the run: ${failure}`);
    }
    if (message === undefined) {
      throw new CoordinatorError(`The coordinator ${where} went away while waiting for ${what}`);
    }
    return message;
  };
  conn.send({ type: "hello", index: options.index, count: options.count, hash: options.hash });
  let offsetMs = 0;
  let rttMs = Infinity;
  const held: Message[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t1 = nowMs();
    conn.send({ type: "ping", t: t1 });
    let pong = await next("a clock sample");
    // Messages in between ("go") wait their turn; only this ping's own answer counts.
    while (pong.type !== "pong" || pong.t !== t1) {
      if (pong.type !== "pong") held.push(pong);
      pong = await next("a clock sample");
    }
    const t2 = nowMs();
    if (t2 - t1 < rttMs) {
      rttMs = t2 - t1;
      offsetMs = (pong.server as number) - (t1 + t2) / 2;
    }
  }
  inbox.unshift(...held);
  while ((await next("the other shards")).type !== "go") { /* nothing else comes first */ }
  const agree = async (phase: string) => {
    conn.send({ type: "ready", phase });
    let message: Message;
    do message = await next(`the start of the ${phase} phase`); while (message.type !== "start");
    return (message.at as number) - offsetMs;
  };
  return {
    offsetMs,
    rttMs,
    agree,
    async start(phase) {
      const local = await agree(phase);
      await waitUntil(local);
      return local;
    },
    async tally(phase, counts) {
      conn.send({ type: "ready", phase, ...counts });
      let message: Message;
      do message = await next(`the other shards' ${phase}`); while (message.type !== "start");
      return {
        ok: Number(message.ok),
        errors: Number(message.errors),
        interrupted: message.interrupted === true,
      };
    },
    done(status) {
      conn.send({ type: "done", status });
    },
    close: () => conn.close(),
  };
}

/**
 * Waits until `instant` on this process's clock (epoch ms, as `performance.timeOrigin +
 * performance.now()`): a timer for the bulk, then a spin for the last sub-millisecond. Late by
 * the event loop's delay when the process is busy.
 *
 * @param instant The instant, epoch ms.
 */
export async function waitUntil(instant: number): Promise<void> {
  const wait = instant - nowMs();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait - 1));
  while (nowMs() < instant) { /* the last millisecond */ }
}
