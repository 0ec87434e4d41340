import type { RequestRecord } from "../types.ts";

const encoder = new TextEncoder();
// Lines are buffered up to this many characters, or one second, whichever comes first.
const FLUSH_CHARS = 256 * 1024;
const FLUSH_MS = 1000;
// Every file open now, for a process about to quit.
const open = new Set<RecordsFile>();

/**
 * `records.jsonl` written as a run goes: each record is appended as one JSON line when its
 * request finishes, and the lines are written to the file at least every second (and whenever a
 * quarter megabyte has gathered), whole lines only, with synchronous writes, so that a run
 * stopped at any point (even by a second Ctrl-C, or killed) leaves a file of whole records.
 *
 * @example
 * ```ts
 * import { RecordsFile } from "./records_file.ts";
 *
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * const file = RecordsFile.create(path);
 * file.append({ phase: "profiling", index: 0, start_ms: 0, conversation_index: 0, turn_index: 0,
 *   end_ms: 9, chunks_ms: [], tokens: { output: 1, reasoning: 0, output_source: "usage",
 *   reasoning_source: "usage", input_source: "none" }, metrics: {} });
 * file.close();
 * if (!(await Deno.readTextFile(path)).endsWith("}\n")) throw new Error("not written");
 * await Deno.remove(path);
 * ```
 */
export class RecordsFile {
  /** The file's path. */
  readonly path: string;
  readonly #file: Deno.FsFile;
  readonly #timer: ReturnType<typeof setInterval>;
  #buffer = "";
  #count = 0;

  private constructor(path: string, file: Deno.FsFile) {
    this.path = path;
    this.#file = file;
    this.#timer = setInterval(() => this.flush(), FLUSH_MS);
    // Never what keeps the process alive.
    Deno.unrefTimer(this.#timer as unknown as number);
    open.add(this);
  }

  /**
   * Creates (or empties) the file at `path`.
   *
   * @throws {Error} When it cannot be created, as `Cannot write "PATH": reason`.
   */
  static create(path: string): RecordsFile {
    try {
      return new RecordsFile(
        path,
        Deno.openSync(path, { write: true, create: true, truncate: true }),
      );
    } catch (error) {
      throw new Error(`Cannot write "${path}": ${(error as Error).message}`, { cause: error });
    }
  }

  /** Writes the whole lines gathered by every open file, now: for a process about to quit. */
  static flushAll(): void {
    for (const file of open) file.flush();
  }

  /** Records appended so far. */
  get count(): number {
    return this.#count;
  }

  /** Appends one record (written within a second). */
  append(record: RequestRecord): void {
    this.#buffer += JSON.stringify(record) + "\n";
    this.#count++;
    if (this.#buffer.length >= FLUSH_CHARS) this.flush();
  }

  /** Writes the gathered lines now. */
  flush(): void {
    if (this.#buffer === "") return;
    const bytes = encoder.encode(this.#buffer);
    this.#buffer = "";
    let written = 0;
    while (written < bytes.length) written += this.#file.writeSync(bytes.subarray(written));
  }

  /** Writes the rest and closes the file. */
  close(): void {
    if (!open.has(this)) return;
    open.delete(this);
    clearInterval(this.#timer);
    try {
      this.flush();
    } finally {
      this.#file.close();
    }
  }
}
