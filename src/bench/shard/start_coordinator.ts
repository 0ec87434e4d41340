import { type LineConn, lineConn, type Message, nowMs } from "./_lines.ts";

/** Settings of {@linkcode startCoordinator}. */
export interface CoordinatorOptions {
  /** The address to listen on (`0.0.0.0` for every interface). */
  readonly hostname: string;
  /** The port; 0 picks a free one. */
  readonly port: number;
  /** How many shards take part. */
  readonly count: number;
  /** How long shards may take to report ready (and to reach each start barrier), in ms. */
  readonly timeoutMs: number;
  /** How far ahead of "now" the common start instant is named, in ms; default 300. */
  readonly leadMs?: number;
}

/** How the shards ended, as the coordinator saw it. */
export interface CoordinatorOutcome {
  /** Each shard's exit status, by index, for those that said they were done. */
  readonly done: ReadonlyMap<number, number>;
  /** Shards whose connection closed before they said they were done. */
  readonly died: readonly number[];
  /** Why the run could not start (never ready, disagreeing settings), if it could not. */
  readonly failure?: string;
}

/** A running coordinator. */
export interface Coordinator {
  /** The port it listens on. */
  readonly port: number;
  /** Resolves once every shard is done, gone, or the start failed. */
  readonly finished: Promise<CoordinatorOutcome>;
  /** Stops listening and closes every connection. */
  close(): void;
}

interface Shard {
  readonly index: number;
  readonly hash: string;
  readonly conn: LineConn;
}

/**
 * Starts shard 0's coordinator: a TCP server speaking newline-delimited JSON. Each shard says
 * `hello` (its index, the shard count, its settings hash); when all have, the hashes are
 * compared and every shard gets `go`, or an `error` naming the shards that disagree. `ping`s are
 * answered with this clock (shards estimate their offset from the least-delayed one). When every
 * shard is `ready` for a phase, all get `start` with a common instant on this clock, `leadMs`
 * ahead. A shard missing after `timeoutMs` fails the start, named by index; a connection that
 * closes before its shard said `done` is reported in {@linkcode CoordinatorOutcome.died}.
 *
 * @param options Where to listen, how many shards, how long to wait.
 * @returns The coordinator.
 * @throws {Deno.errors.AddrInUse} When the port is taken.
 *
 * @example
 * ```ts
 * import { startCoordinator } from "./start_coordinator.ts";
 *
 * const coordinator = startCoordinator({ hostname: "127.0.0.1", port: 0, count: 1, timeoutMs: 50 });
 * const outcome = await coordinator.finished; // nobody came
 * coordinator.close();
 * if (!outcome.failure?.includes("shard 0")) throw new Error(outcome.failure);
 * ```
 */
export function startCoordinator(options: CoordinatorOptions): Coordinator {
  const { count, timeoutMs } = options;
  const lead = options.leadMs ?? 300;
  const listener = Deno.listen({ hostname: options.hostname, port: options.port });
  const shards = new Map<number, Shard>();
  const conns = new Set<LineConn>();
  const done = new Map<number, number>();
  const died: number[] = [];
  const ready = new Map<string, Set<number>>();
  // Phases some shard is ready for and others not yet: a shard gone then fails the start.
  const waiting = new Set<string>();
  let begun = false; // a common start was named
  let started = false;
  let failure: string | undefined;
  let settle!: (outcome: CoordinatorOutcome) => void;
  const finished = new Promise<CoordinatorOutcome>((resolve) => settle = resolve);
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const after = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  const missing = (have: Iterable<number>) => {
    const present = new Set(have);
    return Array.from({ length: count }, (_, i) => i).filter((i) => !present.has(i));
  };
  const check = () => {
    if (failure !== undefined || done.size + died.length < count) return;
    settle({ done, died, ...(failure === undefined ? {} : { failure }) });
  };
  const fail = (reason: string) => {
    if (failure !== undefined) return;
    failure = reason;
    for (const conn of conns) conn.send({ type: "error", message: reason });
    settle({ done, died, failure });
  };
  after(timeoutMs, () => {
    if (started) return;
    const absent = missing(shards.keys());
    fail(
      `${named(absent)} never reported ready within ${timeoutMs / 1000} s (is it running, ` +
        `and can it reach the coordinator on port ${port}?)`,
    );
  });
  const agree = () => {
    const groups = new Map<string, number[]>();
    for (const s of [...shards.values()].sort((a, b) => a.index - b.index)) {
      groups.set(s.hash, [...groups.get(s.hash) ?? [], s.index]);
    }
    if (groups.size === 1) {
      started = true;
      for (const s of shards.values()) s.conn.send({ type: "go" });
      return;
    }
    const sides = [...groups.values()].map((g) => named(g)).join(" and ");
    fail(
      `the shards disagree on the benchmark's settings: ${sides} were started with ` +
        "different flags, benchmark file or seed (each shard hashes its settings)",
    );
  };
  const onMessage = (conn: LineConn, message: Message, me: { index?: number }) => {
    if (message.type === "ping") {
      conn.send({ type: "pong", t: message.t, server: nowMs() });
    } else if (message.type === "hello") {
      const index = message.index as number;
      if (message.count !== count) {
        conn.send({
          type: "error",
          message: `shard ${index} was started for ${message.count} shards, shard 0 for ${count}`,
        });
        fail(`shard ${index} was started for ${message.count} shards, shard 0 for ${count}`);
      } else if (shards.has(index) || !(index >= 0 && index < count)) {
        conn.send({ type: "error", message: `shard ${index} reported twice (or out of range)` });
      } else {
        me.index = index;
        shards.set(index, { index, hash: String(message.hash), conn });
        if (shards.size === count) agree();
      }
    } else if (message.type === "ready" && me.index !== undefined) {
      const phase = String(message.phase);
      let set = ready.get(phase);
      if (set === undefined) {
        ready.set(phase, set = new Set());
        after(timeoutMs, () => {
          const late = missing(ready.get(phase)!);
          if (late.length > 0 && failure === undefined) {
            fail(
              `${named(late)} did not reach the start of the ${phase} phase within ` +
                `${timeoutMs / 1000} s of the first shard`,
            );
          }
        });
      }
      set.add(me.index);
      waiting.add(phase);
      if (set.size === count) {
        waiting.delete(phase);
        begun = true;
        const at = nowMs() + lead;
        for (const s of shards.values()) s.conn.send({ type: "start", phase, at });
      }
    } else if (message.type === "done" && me.index !== undefined) {
      done.set(me.index, Number(message.status));
      check();
    }
  };
  (async () => {
    try {
      for await (const raw of listener) {
        const me: { index?: number } = {};
        const conn: LineConn = lineConn(raw, (m) => onMessage(conn, m, me), () => {
          conns.delete(conn);
          if (me.index === undefined || done.has(me.index)) return;
          died.push(me.index);
          // Before the common start, the others would wait for it in vain: stop them now.
          if (!begun || waiting.size > 0) {
            fail(`shard ${me.index} stopped before the start (its connection closed)`);
          } else check();
        });
        conns.add(conn);
      }
    } catch { /* closed */ }
  })();
  const port = (listener.addr as Deno.NetAddr).port;
  return {
    port,
    finished,
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const conn of conns) conn.close();
      try {
        listener.close();
      } catch { /* already closed */ }
    },
  };
}

function named(indexes: readonly number[]): string {
  return indexes.length === 1 ? `shard ${indexes[0]}` : `shards ${indexes.join(", ")}`;
}
