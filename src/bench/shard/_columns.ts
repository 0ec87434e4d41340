// Compact columns of numbers for the merge (the run's NumberColumn or, for per-chunk lists, its
// HistogramColumn, with a unit), and a line reader.

import { HistogramColumn, LIST_STEPS_PER_UNIT } from "../metrics/histogram_column.ts";
import { NumberColumn } from "../metrics/number_column.ts";
import type { MetricStatistics } from "../types.ts";

const CHUNK = 1 << 16;

/**
 * A growable column of one metric's numbers with its unit, kept as the run keeps it: 8 bytes a
 * value (exact percentiles by selection across sorted blocks, no gathering copy), or, for a
 * metric whose values are lists (`inter_chunk_latency`), counts per microsecond.
 */
export class Column {
  /** The unit of the values. */
  readonly unit: string;
  readonly #values: NumberColumn | HistogramColumn;

  /**
   * @param unit The unit of the values.
   * @param counted Whether to count the values at the run's resolution for lists.
   */
  constructor(unit: string, counted = false) {
    this.unit = unit;
    this.#values = counted ? new HistogramColumn(LIST_STEPS_PER_UNIT) : new NumberColumn(CHUNK);
  }

  /** Appends one value. */
  push(value: number): void {
    this.#values.push(value);
  }

  /** The statistics, as `computeStatistics` gives them. */
  statistics(percentiles: readonly number[]): MetricStatistics | undefined {
    const values = this.#values;
    return values instanceof HistogramColumn
      ? HistogramColumn.statistics([values], this.unit, percentiles)
      : NumberColumn.statistics([values], this.unit, percentiles);
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
