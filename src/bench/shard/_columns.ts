// Compact columns of numbers for the merge: each metric's values in Float64Array chunks (8 bytes
// a value), gathered and sorted in place when the statistics are computed.

import { percentile } from "../metrics/compute_statistics.ts";
import type { MetricStatistics } from "../types.ts";

const CHUNK = 1 << 16;

/** A growable column of numbers, in fixed chunks (growing never copies what is there). */
export class Column {
  /** The unit of the values. */
  readonly unit: string;
  #chunks: Float64Array[] = [];
  #last = new Float64Array(CHUNK);
  #used = 0;

  constructor(unit: string) {
    this.unit = unit;
  }

  /** Appends one value. */
  push(value: number): void {
    if (this.#used === CHUNK) {
      this.#chunks.push(this.#last);
      this.#last = new Float64Array(CHUNK);
      this.#used = 0;
    }
    this.#last[this.#used++] = value;
  }

  // Every value in one array; the chunks are let go, so only one copy is ever held.
  #gather(): Float64Array {
    const all = new Float64Array(this.#chunks.length * CHUNK + this.#used);
    this.#chunks.forEach((chunk, i) => all.set(chunk, i * CHUNK));
    all.set(this.#last.subarray(0, this.#used), this.#chunks.length * CHUNK);
    this.#chunks = [];
    this.#last = all;
    this.#used = all.length;
    return all;
  }

  /** The statistics, as `computeStatistics` gives them (the values are sorted in place). */
  statistics(percentiles: readonly number[]): MetricStatistics | undefined {
    const sorted = this.#chunks.length === 0 ? this.#last.subarray(0, this.#used) : this.#gather();
    const n = sorted.length;
    if (n === 0) return undefined;
    sorted.sort();
    let sum = 0;
    for (const v of sorted) sum += v;
    const avg = sum / n;
    let squares = 0;
    for (const v of sorted) squares += (v - avg) ** 2;
    const stats: Record<string, number | string> = {
      unit: this.unit,
      avg,
      min: sorted[0]!,
      max: sorted[n - 1]!,
    };
    for (const p of percentiles) stats[`p${p}`] = percentile(sorted, p);
    stats.std = Math.sqrt(squares / n);
    stats.count = n;
    return stats as unknown as MetricStatistics;
  }
}

/** Reads `path` line by line without holding the file; yields each line and its number. */
export async function* readLines(
  path: string,
): AsyncGenerator<{ line: string; number: number; last: boolean }> {
  const file = await Deno.open(path);
  const decoder = new TextDecoder();
  let buffer = "";
  let number = 0;
  try {
    for await (const bytes of file.readable) {
      buffer += decoder.decode(bytes, { stream: true });
      let start = 0;
      let newline: number;
      while ((newline = buffer.indexOf("\n", start)) >= 0) {
        yield { line: buffer.slice(start, newline), number: ++number, last: false };
        start = newline + 1;
      }
      buffer = buffer.slice(start);
    }
  } finally {
    try {
      file.close();
    } catch { /* closed by the stream */ }
  }
  buffer += decoder.decode();
  // A last line without its newline: the writer stopped mid-line.
  if (buffer !== "") yield { line: buffer, number: ++number, last: true };
}
