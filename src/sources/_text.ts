import { SourceError } from "./source_error.ts";

/** Joins chunks read from a stream or file into one array of `size` bytes. */
export function concatBytes(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Decodes UTF-8 strictly: a manifest that is not text is refused, not mangled. */
export function decodeText(bytes: Uint8Array, url: string): string {
  try {
    const text = decoder.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    throw new SourceError({ code: "not_text", url, reason: "The content is not UTF-8 text" });
  }
}
