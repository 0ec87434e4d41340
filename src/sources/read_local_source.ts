import { DEFAULT_SOURCE_LIMITS, type SourceLimits } from "./limits.ts";
import { SourceError } from "./source_error.ts";
import { concatBytes } from "./_text.ts";

function tooLarge(url: URL, maxBytes: number): SourceError {
  return new SourceError({
    code: "too_large",
    url: url.href,
    reason: `The manifest is over the limit of ${maxBytes} bytes`,
  });
}

// One buffer for every read: reads are synchronous, so they never overlap, and a thousand
// manifests need no thousand buffers (each chunk read is copied out of it).
const readBuffer = new Uint8Array(64 * 1024);

// A file: URL's path as Deno's own conversion gives it, without its cost in the common case (a
// POSIX path with nothing escaped in it): a discovery opens every manifest on every run.
function pathOf(url: URL): string | URL {
  if (Deno.build.os === "windows" || url.hostname !== "") return url;
  const path = url.pathname;
  return path.includes("%") ? url : path;
}

/**
 * Reads a local file, stopping one byte past the limit: a huge file, a FIFO or /dev/zero is
 * refused without being read whole. Synchronous, because a manifest is a few kilobytes and
 * the thread pool round trip costs more than the read. (A stat first, to read a regular file
 * in one call, costs more: Deno's stat builds a full FileInfo.)
 */
function readFileCapped(url: URL, maxBytes: number): Uint8Array {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(pathOf(url));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new SourceError({
        code: "not_found",
        url: url.href,
        reason: "No such file",
        cause: error,
      });
    }
    throw new SourceError({
      code: "network",
      url: url.href,
      reason: (error as Error).message,
      cause: error,
    });
  }
  try {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const buffer = readBuffer.length <= maxBytes
      ? readBuffer
      : readBuffer.subarray(0, maxBytes + 1);
    for (;;) {
      let n: number | null;
      try {
        n = file.readSync(buffer);
      } catch (error) {
        const reason = error instanceof Deno.errors.IsADirectory
          ? "Not a file"
          : (error as Error).message;
        throw new SourceError({ code: "not_found", url: url.href, reason: reason, cause: error });
      }
      if (n === null) break;
      size += n;
      if (size > maxBytes) {
        throw tooLarge(url, maxBytes);
      }
      chunks.push(buffer.slice(0, n));
    }
    return concatBytes(chunks, size);
  } finally {
    file.close();
  }
}

/**
 * Reads a local manifest's bytes within the size limit, without decoding them: for a caller that
 * may need only the bytes (a discovery keys its finished index by them, and decodes a manifest
 * only when something changed). `loadSource` of a `file:` URL is this, then
 * {@link decodeSource}.
 *
 * @param url A `file:` URL.
 * @param options The size limit (`limits.maxBytes`; the default of {@link DEFAULT_SOURCE_LIMITS}).
 * @returns The bytes, as they are on disk.
 * @throws {SourceError} No such file (`not_found`), not a file, or over the limit (`too_large`).
 * @throws {TypeError} `url` is not a `file:` URL.
 *
 * @example
 * ```ts
 * import { decodeSource, readLocalSource, toUrl } from "@plugmap/plugmap/sources";
 * import { equal } from "node:assert/strict";
 *
 * const path = await Deno.makeTempFile({ suffix: ".yaml" });
 * await Deno.writeTextFile(path, "endpoint:\n  chat: ./chat.ts\n");
 * const url = toUrl(path);
 * const bytes = readLocalSource(url);
 * equal(bytes.length, 28);
 * equal(decodeSource(bytes, url.href), "endpoint:\n  chat: ./chat.ts\n");
 * ```
 */
export function readLocalSource(
  url: URL,
  options: { limits?: Partial<SourceLimits> } = {},
): Uint8Array {
  if (url.protocol !== "file:") {
    throw new TypeError(`Cannot read "${url.href}" as a local file: not a file: URL`);
  }
  return readFileCapped(url, options.limits?.maxBytes ?? DEFAULT_SOURCE_LIMITS.maxBytes);
}
