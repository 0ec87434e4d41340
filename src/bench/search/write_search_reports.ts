import { join } from "node:path";
import { writeOutputFile } from "../_write_output_file.ts";
import type { SearchData } from "./search_data.ts";
import { searchReportHtml } from "./search_report_html.ts";

/**
 * Writes a search's `search.json` and `search.html` into `dir`.
 *
 * @param dir The output folder.
 * @param search The search.
 * @returns The paths written.
 */
export async function writeSearchReports(dir: string, search: SearchData): Promise<string[]> {
  const json = join(dir, "search.json");
  const html = join(dir, "search.html");
  await writeOutputFile(json, JSON.stringify(search, null, 2) + "\n");
  await writeOutputFile(html, searchReportHtml(search));
  return [json, html];
}
