// The requests of a run as the reports keep them: one typed array per field instead of one
// object per request, so a report of 500,000 requests holds about 70 bytes each.

import type { RequestView } from "./run_view.ts";

/**
 * A run's requests, sorted by start time, one column per field: 8 bytes a number, `NaN` where a
 * request has no value (not measured, or no HTTP status). Times in milliseconds from the start
 * of the run (the first phase).
 */
export interface RequestColumns {
  /** How many requests. */
  readonly length: number;
  /** The phases' names; `phase[i]` is the index of request `i`'s phase in it. */
  readonly phaseNames: readonly string[];
  /** Each request's phase, as an index into `phaseNames`. */
  readonly phase: Uint16Array;
  /** Start. */
  readonly startMs: Float64Array;
  /** Completion. */
  readonly endMs: Float64Array;
  /** Request latency (`NaN`: not measured). */
  readonly latencyMs: Float64Array;
  /** Time to first token (`NaN`: not measured). */
  readonly ttftMs: Float64Array;
  /** Inter-token latency (`NaN`: not measured). */
  readonly itlMs: Float64Array;
  /** Output tokens (`NaN`: not known). */
  readonly outputTokens: Float64Array;
  /** The HTTP status (`NaN`: no response arrived). */
  readonly status: Float64Array;
  /** The kinds of error seen; `error[i]` is an index into it, or -1 for a success. */
  readonly errorNames: readonly string[];
  /** Each request's error, as an index into `errorNames`; -1 when it succeeded. */
  readonly error: Int32Array;
}

/** The numeric columns, by the {@linkcode RequestView} field they hold. */
type NumberField =
  | "startMs"
  | "endMs"
  | "latencyMs"
  | "ttftMs"
  | "itlMs"
  | "outputTokens"
  | "status";
const NUMBER_FIELDS: readonly NumberField[] = [
  "startMs",
  "endMs",
  "latencyMs",
  "ttftMs",
  "itlMs",
  "outputTokens",
  "status",
];

/**
 * Gathers requests one at a time into columns (each grows by doubling, so the requests are
 * never objects all at once), then {@linkcode RequestColumnsBuilder.finish} sorts them by start.
 */
export class RequestColumnsBuilder {
  #length = 0;
  #capacity = 1024;
  readonly #phaseNames: string[] = [];
  readonly #errorNames: string[] = [];
  #phase = new Uint16Array(this.#capacity);
  #error = new Int32Array(this.#capacity);
  readonly #numbers = new Map<NumberField, Float64Array>(
    NUMBER_FIELDS.map((f) => [f, new Float64Array(this.#capacity)]),
  );

  /** Adds one request. */
  push(view: RequestView): void {
    if (this.#length === this.#capacity) this.#grow();
    const i = this.#length++;
    this.#phase[i] = indexOf(this.#phaseNames, view.phase);
    this.#error[i] = view.error === undefined ? -1 : indexOf(this.#errorNames, view.error);
    for (const field of NUMBER_FIELDS) this.#numbers.get(field)![i] = view[field] ?? NaN;
  }

  /** The columns, sorted by start time (requests starting together keep their order). */
  finish(): RequestColumns {
    const n = this.#length;
    const start = this.#numbers.get("startMs")!;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => start[a]! - start[b]! || a - b);
    const permuted = <T extends Float64Array | Uint16Array | Int32Array>(from: T, to: T): T => {
      for (let i = 0; i < n; i++) to[i] = from[order[i]!]!;
      return to;
    };
    const numbers = Object.fromEntries(
      NUMBER_FIELDS.map((f) => [f, permuted(this.#numbers.get(f)!, new Float64Array(n))]),
    ) as Record<NumberField, Float64Array>;
    return {
      length: n,
      phaseNames: [...this.#phaseNames],
      phase: permuted(this.#phase, new Uint16Array(n)),
      ...numbers,
      errorNames: [...this.#errorNames],
      error: permuted(this.#error, new Int32Array(n)),
    };
  }

  #grow(): void {
    this.#capacity *= 2;
    const grown = <T extends Float64Array | Uint16Array | Int32Array>(
      from: T,
      make: (n: number) => T,
    ): T => {
      const to = make(this.#capacity);
      to.set(from as never);
      return to;
    };
    this.#phase = grown(this.#phase, (n) => new Uint16Array(n));
    this.#error = grown(this.#error, (n) => new Int32Array(n));
    for (const field of NUMBER_FIELDS) {
      this.#numbers.set(field, grown(this.#numbers.get(field)!, (n) => new Float64Array(n)));
    }
  }
}

function indexOf(names: string[], name: string): number {
  const at = names.indexOf(name);
  if (at >= 0) return at;
  names.push(name);
  return names.length - 1;
}

/**
 * Columns of the given requests, sorted by start time.
 *
 * @param views The requests.
 * @returns Their columns.
 *
 * @example
 * ```ts
 * import { requestAt, requestColumns } from "./request_columns.ts";
 *
 * const columns = requestColumns([
 *   { phase: "profiling", startMs: 9, endMs: 12, latencyMs: 3 },
 *   { phase: "profiling", startMs: 2, endMs: 5, error: "http", status: 500 },
 * ]);
 * if (requestAt(columns, 0).error !== "http" || requestAt(columns, 1).latencyMs !== 3) {
 *   throw new Error("wrong");
 * }
 * ```
 */
export function requestColumns(views: Iterable<RequestView>): RequestColumns {
  const builder = new RequestColumnsBuilder();
  for (const view of views) builder.push(view);
  return builder.finish();
}

/**
 * Request `i` as one object (fields without a value left out).
 *
 * @param columns The requests.
 * @param i Its index, from 0.
 * @returns The request.
 * @throws {RangeError} When `i` is not an index of `columns`.
 */
export function requestAt(columns: RequestColumns, i: number): RequestView {
  if (!Number.isInteger(i) || i < 0 || i >= columns.length) {
    throw new RangeError(`No request ${i} of ${columns.length}`);
  }
  const view: Record<string, unknown> = { phase: columns.phaseNames[columns.phase[i]!] };
  for (const field of NUMBER_FIELDS) {
    const v = columns[field][i]!;
    if (!Number.isNaN(v)) view[field] = v;
  }
  const error = columns.error[i]!;
  if (error >= 0) view.error = columns.errorNames[error];
  return view as unknown as RequestView;
}

/**
 * The values of `column` over the successful requests of `phase`, those that have one.
 *
 * @param columns The requests.
 * @param column One of their number columns (e.g. `columns.ttftMs`).
 * @param phase The phase's name.
 * @returns The values, in start order.
 */
export function successValues(
  columns: RequestColumns,
  column: Float64Array,
  phase: string,
): number[] {
  const p = columns.phaseNames.indexOf(phase);
  const out: number[] = [];
  if (p < 0) return out;
  for (let i = 0; i < columns.length; i++) {
    if (columns.phase[i] !== p || columns.error[i] !== -1) continue;
    const v = column[i]!;
    if (!Number.isNaN(v)) out.push(v);
  }
  return out;
}

/** Whether any of the requests succeeded. */
export function anySucceeded(columns: RequestColumns): boolean {
  return columns.error.some((e) => e === -1);
}
