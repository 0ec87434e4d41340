import type { RequestRecord } from "../types.ts";

const CHUNK = 256 * 1024;

/**
 * Goes through a JSON Lines file (`records.jsonl`) one record at a time, reading it in blocks:
 * a run's records are never all in memory at once. Blank lines are skipped.
 *
 * @param path The file.
 * @returns The parsed lines, in file order.
 * @throws {SyntaxError} When a line is not JSON: the message starts with `line N: `, and the
 * error's `line` property is N (1-based).
 * @throws {Deno.errors.NotFound} When the file does not exist.
 *
 * @example
 * ```ts
 * import { readRecords } from "./read_records.ts";
 *
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(path, '{"index": 0}\n\n{"index": 1}\n');
 * const indexes = [...readRecords(path)].map((r) => r.index);
 * if (indexes.join() !== "0,1") throw new Error("wrong");
 * await Deno.remove(path);
 * ```
 */
export function* readRecords(path: string): Generator<RequestRecord> {
  let line = 0;
  for (const text of readLines(path)) {
    line++;
    if (text.trim() === "") continue;
    yield parse(text, line);
  }
}

/**
 * Goes through a text file one line at a time (without the `\n`), reading it in blocks: a file
 * larger than a string can hold (about 512 MB) is read too.
 *
 * @param path The file.
 * @returns Its lines, blank ones included; no line after a final `\n`.
 * @throws {Deno.errors.NotFound} When the file does not exist.
 *
 * @example
 * ```ts
 * import { readLines } from "./read_records.ts";
 *
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "a\n\nb\n");
 * const lines = [...readLines(path)];
 * await Deno.remove(path);
 * if (lines.join("|") !== "a||b") throw new Error(lines.join("|"));
 * ```
 */
export function* readLines(path: string): Generator<string> {
  const file = Deno.openSync(path, { read: true });
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(CHUNK);
  let rest = "";
  try {
    for (;;) {
      const n = file.readSync(buffer);
      const text = n === null
        ? decoder.decode()
        : decoder.decode(buffer.subarray(0, n), { stream: true });
      const lines = (rest + text).split("\n");
      rest = n === null ? "" : lines.pop()!;
      if (n === null && lines.at(-1) === "") lines.pop();
      yield* lines;
      if (n === null) return;
    }
  } finally {
    file.close();
  }
}

function parse(text: string, line: number): RequestRecord {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw Object.assign(new SyntaxError(`line ${line}: ${(error as Error).message}`), { line });
  }
}
