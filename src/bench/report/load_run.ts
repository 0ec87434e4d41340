import { join } from "node:path";
import { readRecords } from "../records/read_records.ts";
import { type RunView, toRunView } from "./run_view.ts";

/** A run's exports are missing or cannot be read; names the file (and line, for JSONL). */
export class ReportInputError extends Error {
  /** The file. */
  readonly path: string;
  /** The 1-based line, for a bad line of a JSONL file. */
  readonly line: number | undefined;

  /**
   * @param path The file.
   * @param detail What is wrong with it.
   * @param line The line, if one is to blame.
   */
  constructor(path: string, detail: string, line?: number) {
    super(`Cannot read "${path}"${line === undefined ? "" : `, line ${line}`}: ${detail}`);
    this.name = "ReportInputError";
    this.path = path;
    this.line = line;
  }
}

async function readText(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new ReportInputError(path, "no such file");
    throw new ReportInputError(path, (error as Error).message);
  }
}

/** Reads and parses a JSON file, naming it in any error. */
export async function readJson(path: string): Promise<unknown> {
  const text = await readText(path);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ReportInputError(path, (error as Error).message);
  }
}

/**
 * Reads a run's exports from `dir`: `profile_export.json` (required) and `records.jsonl`
 * (optional: without it the report has no per-request charts).
 *
 * @param dir The run's output directory.
 * @returns The run's view.
 * @throws {ReportInputError} When `profile_export.json` is missing or not a run's export, or a
 * line of `records.jsonl` is not JSON (with its line number).
 *
 * @example
 * ```ts
 * import { loadRun } from "./load_run.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/profile_export.json`, '{"metrics": {}}');
 * // One record as a run writes it: times in ms from the phase's start, one per chunk.
 * const record = { phase: "profiling", index: 0, start_ms: 1, end_ms: 10, chunks_ms: [5, 10] };
 * await Deno.writeTextFile(`${dir}/records.jsonl`, JSON.stringify(record) + "\n");
 * const run = await loadRun(dir);
 * await Deno.remove(dir, { recursive: true });
 * if (run.requests.length !== 1) throw new Error("wrong");
 * ```
 */
export async function loadRun(dir: string): Promise<RunView> {
  const jsonPath = join(dir, "profile_export.json");
  const result = await readJson(jsonPath);
  const recordsPath = join(dir, "records.jsonl");
  let records: Iterable<unknown> = [];
  try {
    // Read one record at a time as the view is built: the file is never all in memory.
    Deno.statSync(recordsPath);
    records = readRecords(recordsPath);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  try {
    return toRunView(result, records);
  } catch (error) {
    const line = (error as { line?: unknown }).line;
    if (typeof line === "number") {
      const message = (error as Error).message.replace(/^line \d+: /, "");
      throw new ReportInputError(recordsPath, message, line);
    }
    throw new ReportInputError(jsonPath, (error as Error).message);
  }
}
