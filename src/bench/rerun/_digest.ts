// SHA-256 digests of the files a run read, so a rerun can tell which changed.
import { resolveLocation } from "../_file_url.ts";
import type { FileDigest } from "../types.ts";

/** Hex SHA-256 of `bytes`. */
export async function sha256(bytes: Uint8Array | string): Promise<string> {
  const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  const hash = await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The digest of a local file (or only its location, for a remote one or a missing file). */
export async function fileDigest(location: string | URL, base?: URL): Promise<FileDigest> {
  const url = typeof location === "string" ? resolveLocation(location, base) : location;
  const path = url.protocol === "file:" ? decodeURIComponent(url.pathname) : url.href;
  if (url.protocol !== "file:") return { path };
  try {
    return { path, sha256: await sha256(await Deno.readFile(url)) };
  } catch {
    return { path };
  }
}
