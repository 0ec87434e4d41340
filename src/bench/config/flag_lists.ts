// The values of the server-metrics rows of the settings table (two small readers, kept together).
/** The file formats of `--server-metrics-formats`. */
export type ServerMetricsFormat = "json" | "csv" | "jsonl";

const FORMATS: readonly string[] = ["json", "csv", "jsonl"];

/** Splits each value of a repeated flag at commas (`json,csv`). */
export function splitList(texts: readonly string[]): string[] {
  return texts.flatMap((t) => t.split(",")).map((t) => t.trim()).filter((t) => t !== "");
}

/**
 * `--server-metrics-formats`'s values, checked.
 *
 * @throws {Error} For a format other than json, csv or jsonl.
 */
export function formatList(texts: readonly string[]): ServerMetricsFormat[] {
  const formats = splitList(texts);
  for (const format of formats) {
    if (!FORMATS.includes(format)) {
      throw new Error(
        `unknown format "${format}"; expected json, csv or jsonl` +
          (format === "parquet" ? " (parquet is not written by this bench)" : ""),
      );
    }
  }
  return formats as ServerMetricsFormat[];
}
