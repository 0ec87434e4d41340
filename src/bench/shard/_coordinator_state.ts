// The coordinator's bookkeeping, one method per message: which shards said hello (and with what
// settings hash), which are ready for which phase, which are done or gone, and the one failure
// that stops them all. `startCoordinator` owns the socket and hands every message here.

import { type LineConn, type Message, nowMs } from "./_lines.ts";
import type { CoordinatorOutcome } from "./start_coordinator.ts";

interface Shard {
  readonly index: number;
  readonly hash: string;
  readonly conn: LineConn;
}

/** What one connection has told the coordinator about itself. */
export interface Peer {
  /** Its shard index, once it said hello. */
  index?: number;
}

/** The state of one coordinated run. */
export class CoordinatorState {
  /** Resolves once every shard is done, gone, or the start failed. */
  readonly finished: Promise<CoordinatorOutcome>;
  readonly #count: number;
  readonly #timeoutMs: number;
  readonly #leadMs: number;
  readonly #shards = new Map<number, Shard>();
  readonly #conns = new Set<LineConn>();
  readonly #done = new Map<number, number>();
  readonly #died: number[] = [];
  readonly #ready = new Map<string, Set<number>>();
  // A sweep's counts at a value, summed over the shards as they report ready (see `tally`).
  readonly #tallies = new Map<string, { ok: number; errors: number; interrupted: boolean }>();
  // Phases some shard is ready for and others not yet: a shard gone then fails the start.
  readonly #waiting = new Set<string>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #begun = false; // a common start was named
  #started = false;
  #failure: string | undefined;
  #settle!: (outcome: CoordinatorOutcome) => void;

  /** Starts the clock for every shard's hello (`port` only names the coordinator in errors). */
  constructor(count: number, timeoutMs: number, leadMs: number, port: number) {
    this.#count = count;
    this.#timeoutMs = timeoutMs;
    this.#leadMs = leadMs;
    this.finished = new Promise((resolve) => this.#settle = resolve);
    this.#after(timeoutMs, () => {
      if (this.#started) return;
      this.#fail(
        `${named(this.#missing(this.#shards.keys()))} never reported ready within ` +
          `${
            timeoutMs / 1000
          } s (is it running, and can it reach the coordinator on port ${port}?)`,
      );
    });
  }

  /** A new connection. */
  opened(conn: LineConn): void {
    this.#conns.add(conn);
  }

  /** One message from `conn`. */
  receive(conn: LineConn, message: Message, peer: Peer): void {
    if (message.type === "ping") {
      conn.send({ type: "pong", t: message.t, server: nowMs() });
    } else if (message.type === "hello") {
      this.#hello(conn, message, peer);
    } else if (message.type === "ready" && peer.index !== undefined) {
      this.#readyFor(String(message.phase), peer.index, message);
    } else if (message.type === "done" && peer.index !== undefined) {
      this.#done.set(peer.index, Number(message.status));
      this.#check();
    }
  }

  /** `conn` closed; a shard that had not said it was done died. */
  closed(conn: LineConn, peer: Peer): void {
    this.#conns.delete(conn);
    if (peer.index === undefined || this.#done.has(peer.index)) return;
    this.#died.push(peer.index);
    // Before the common start, the others would wait for it in vain: stop them now.
    if (!this.#begun || this.#waiting.size > 0) {
      this.#fail(`shard ${peer.index} stopped before the start (its connection closed)`);
    } else this.#check();
  }

  /** Stops the timers and closes every connection. */
  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const conn of this.#conns) conn.close();
  }

  #hello(conn: LineConn, message: Message, peer: Peer): void {
    const index = message.index as number;
    const count = this.#count;
    if (message.count !== count) {
      const reason = `shard ${index} was started for ${message.count} shards, shard 0 for ${count}`;
      conn.send({ type: "error", message: reason });
      this.#fail(reason);
    } else if (this.#shards.has(index) || !(index >= 0 && index < count)) {
      conn.send({ type: "error", message: `shard ${index} reported twice (or out of range)` });
    } else {
      peer.index = index;
      this.#shards.set(index, { index, hash: String(message.hash), conn });
      if (this.#shards.size === count) this.#agree();
    }
  }

  // Every shard said hello: the same settings hash starts them, else the sides are named.
  #agree(): void {
    const groups = new Map<string, number[]>();
    for (const s of [...this.#shards.values()].sort((a, b) => a.index - b.index)) {
      groups.set(s.hash, [...groups.get(s.hash) ?? [], s.index]);
    }
    if (groups.size === 1) {
      this.#started = true;
      for (const s of this.#shards.values()) s.conn.send({ type: "go" });
      return;
    }
    const sides = [...groups.values()].map((g) => named(g)).join(" and ");
    this.#fail(
      `the shards disagree on the benchmark's settings: ${sides} were started with ` +
        "different flags, benchmark file or seed (each shard hashes its settings)",
    );
  }

  // The first shard ready for a phase starts its clock; the last names the common start (with
  // the shards' counts summed, for a sweep's step). A shard already gone will never be ready.
  #readyFor(phase: string, index: number, message: Message): void {
    if (this.#died.length > 0) {
      this.#fail(`${named(this.#died)} stopped before the start of the ${phase} phase`);
      return;
    }
    const tally = this.#tallies.get(phase) ?? { ok: 0, errors: 0, interrupted: false };
    this.#tallies.set(phase, {
      ok: tally.ok + Number(message.ok ?? 0),
      errors: tally.errors + Number(message.errors ?? 0),
      interrupted: tally.interrupted || message.interrupted === true,
    });
    let set = this.#ready.get(phase);
    if (set === undefined) {
      this.#ready.set(phase, set = new Set());
      this.#after(this.#timeoutMs, () => {
        const late = this.#missing(this.#ready.get(phase)!);
        if (late.length > 0 && this.#failure === undefined) {
          this.#fail(
            `${named(late)} did not reach the start of the ${phase} phase within ` +
              `${this.#timeoutMs / 1000} s of the first shard`,
          );
        }
      });
    }
    set.add(index);
    this.#waiting.add(phase);
    if (set.size === this.#count) {
      this.#waiting.delete(phase);
      this.#begun = true;
      const at = nowMs() + this.#leadMs;
      const sums = this.#tallies.get(phase);
      for (const s of this.#shards.values()) s.conn.send({ type: "start", phase, at, ...sums });
    }
  }

  #after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
  }

  #missing(have: Iterable<number>): number[] {
    const present = new Set(have);
    return Array.from({ length: this.#count }, (_, i) => i).filter((i) => !present.has(i));
  }

  #check(): void {
    if (this.#failure !== undefined || this.#done.size + this.#died.length < this.#count) return;
    this.#settle({ done: this.#done, died: this.#died });
  }

  #fail(reason: string): void {
    if (this.#failure !== undefined) return;
    this.#failure = reason;
    for (const conn of this.#conns) conn.send({ type: "error", message: reason });
    this.#settle({ done: this.#done, died: this.#died, failure: reason });
  }
}

function named(indexes: readonly number[]): string {
  return indexes.length === 1 ? `shard ${indexes[0]}` : `shards ${indexes.join(", ")}`;
}
