import { CoordinatorState, type Peer } from "./_coordinator_state.ts";
import { type LineConn, lineConn } from "./_lines.ts";

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
  const listener = Deno.listen({ hostname: options.hostname, port: options.port });
  const port = (listener.addr as Deno.NetAddr).port;
  const state = new CoordinatorState(options.count, options.timeoutMs, options.leadMs ?? 300, port);
  (async () => {
    try {
      for await (const raw of listener) {
        const peer: Peer = {};
        const conn: LineConn = lineConn(
          raw,
          (message) => state.receive(conn, message, peer),
          () => state.closed(conn, peer),
        );
        state.opened(conn);
      }
    } catch { /* closed */ }
  })();
  return {
    port,
    finished: state.finished,
    close() {
      state.close();
      try {
        listener.close();
      } catch { /* already closed */ }
    },
  };
}
