// CSV cells and lines (RFC 4180), shared by the profile and sweep exports.

/** Quotes a cell when it holds a comma, a quote or a line break. */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Joins cells into one line (no line break). */
export function csvLine(cells: readonly string[]): string {
  return cells.map(csvCell).join(",");
}

/** A number as AIPerf's CSV prints it: integers as integers, others with two decimals. */
export function csvNumber(value: unknown): string {
  if (typeof value !== "number" || !Number.isFinite(value)) return "";
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
