import { join } from "node:path";
import { writeOutputFile } from "../_write_output_file.ts";
import type { SweepData } from "./sweep_data.ts";
import { sweepCsv } from "./sweep_csv.ts";
import { sweepReportHtml } from "./sweep_report_html.ts";

/**
 * Writes a sweep's files into `dir`: `sweep.json` (the data, which `bench:report` rebuilds
 * from), `sweep.csv` and `sweep.html`.
 *
 * @param dir The sweep's output directory (created if missing).
 * @param sweep The sweep.
 * @returns The paths written.
 *
 * @example
 * ```ts
 * import { writeSweepReports } from "./write_sweep_reports.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const paths = await writeSweepReports(dir, { field: "request_rate", values: [5], benchmark: {},
 *   points: [{ value: 5, ok: 1, errors: 0, duration_ms: 200, metrics: {} }] });
 * await Deno.remove(dir, { recursive: true });
 * if (paths.length !== 3) throw new Error("wrong");
 * ```
 */
export async function writeSweepReports(dir: string, sweep: SweepData): Promise<string[]> {
  const files: [string, string][] = [
    ["sweep.json", JSON.stringify(sweep, null, 2) + "\n"],
    ["sweep.csv", sweepCsv(sweep)],
    ["sweep.html", sweepReportHtml(sweep)],
  ];
  const paths: string[] = [];
  for (const [name, text] of files) {
    paths.push(await writeOutputFile(join(dir, name), text));
  }
  return paths;
}
