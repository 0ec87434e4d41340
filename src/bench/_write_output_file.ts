// Every file the bench writes (exports, sweep files, bench:report outputs) goes through here: a
// reader, or a run stopped half-way, sees the old file or the whole new one, never a part.

import { basename, dirname, join } from "node:path";

// Temporary files being written now: removed by a forced quit (a second Ctrl-C).
const unfinished = new Set<string>();

/**
 * Writes `content` to `path` whole or not at all: creates the parent directory, writes a
 * temporary file beside the target (same directory, so same file system) and renames it over
 * the target. On failure the temporary file is removed, the target is left as it was, and the
 * error names `path`.
 *
 * @param path The file to write.
 * @param content The text, or a stream of it (written as it comes, renamed once complete).
 * @returns `path`.
 * @throws {Error} When the directory cannot be created, or the file written or renamed (e.g.
 * `path` is a directory), as `Cannot write "PATH": reason`.
 */
export async function writeOutputFile(
  path: string,
  content: string | ReadableStream<string>,
): Promise<string> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  unfinished.add(temp);
  try {
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(temp, content, { createNew: true });
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw new Error(`Cannot write "${path}": ${(error as Error).message}`, { cause: error });
  } finally {
    unfinished.delete(temp);
  }
  return path;
}

/**
 * Removes, synchronously, the temporary files of the writes still under way, for a process about
 * to quit: their targets keep their old content (or stay absent).
 */
export function removeUnfinishedWrites(): void {
  for (const temp of unfinished) {
    try {
      Deno.removeSync(temp);
    } catch {
      // Not created yet, or already renamed.
    }
  }
  unfinished.clear();
}
