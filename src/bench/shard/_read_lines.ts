// A line reader for the merge: records.jsonl files are read without holding them.

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
