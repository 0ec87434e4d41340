// Compact columns of numbers for the merge: each metric's values in one growable Float64Array
// (8 bytes a value), sorted in place when the statistics are computed.

import { percentile } from "../metrics/compute_statistics.ts";
import type { MetricStatistics } from "../types.ts";

/** A growable column of numbers. */
export class Column {
  /** The unit of the values. */
  readonly unit: string;
  #values = new Float64Array(1024);
  #size = 0;

  constructor(unit: string) {
    this.unit = unit;
  }

  /** Appends one value. */
  push(value: number): void {
    if (this.#size === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#size++] = value;
  }

  /** The statistics, as `computeStatistics` gives them (the values are sorted in place). */
  statistics(percentiles: readonly number[]): MetricStatistics | undefined {
    const n = this.#size;
    if (n === 0) return undefined;
    const sorted = this.#values.subarray(0, n).sort();
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
