// Compact columns of numbers for the merge (the run's NumberColumn with a unit), and a line reader.

import { NumberColumn } from "../metrics/number_column.ts";
import type { MetricStatistics } from "../types.ts";

const CHUNK = 1 << 16;

/**
 * A growable column of one metric's numbers with its unit: the run's own compact column
 * (8 bytes a value, exact percentiles by selection across sorted blocks, no gathering copy).
 */
export class Column {
  /** The unit of the values. */
  readonly unit: string;
  readonly #values = new NumberColumn(CHUNK);

  constructor(unit: string) {
    this.unit = unit;
  }

  /** Appends one value. */
  push(value: number): void {
    this.#values.push(value);
  }

  /** The statistics, as `computeStatistics` gives them. */
  statistics(percentiles: readonly number[]): MetricStatistics | undefined {
    return NumberColumn.statistics([this.#values], this.unit, percentiles);
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
