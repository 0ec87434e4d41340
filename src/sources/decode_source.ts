import { decodeText } from "./_text.ts";

/**
 * A manifest's text from its bytes, as `loadSource` gives it: strict UTF-8, with a byte-order
 * mark removed.
 *
 * @param bytes The bytes, as read.
 * @param url Where they came from, for the error.
 * @returns The text.
 * @throws {SourceError} The bytes are not UTF-8 (`not_text`).
 *
 * @example
 * ```ts
 * import { decodeSource, SourceError } from "@plugmap/plugmap/sources";
 * import { equal, throws } from "node:assert/strict";
 *
 * equal(decodeSource(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), "file:///a.yaml"), "a");
 * throws(() => decodeSource(new Uint8Array([0xff]), "file:///a.yaml"), SourceError);
 * ```
 */
export function decodeSource(bytes: Uint8Array, url: string): string {
  return decodeText(bytes, url);
}
