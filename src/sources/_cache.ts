import { integrityOf, isIntegrity } from "../_util/integrity.ts";
import { toUrl } from "../_util/to_url.ts";

function dirUrl(dir: string | URL): URL {
  const href = toUrl(dir).href;
  return new URL(href.endsWith("/") ? href : `${href}/`);
}

// A cache is an optimisation: without the permission (or on a prompt) it is skipped, never asked.
function granted(name: "read" | "write", dir: URL): boolean {
  try {
    return Deno.permissions.querySync({ name, path: dir }).state === "granted";
  } catch {
    return false;
  }
}

/**
 * The cached bytes whose SHA-256 is `integrity`, or `undefined` (no such file, no permission,
 * or a file that no longer hashes to its name: a corrupt entry is ignored, then overwritten).
 */
export async function readCached(
  dir: string | URL,
  integrity: string,
  maxBytes: number,
): Promise<Uint8Array | undefined> {
  const base = dirUrl(dir);
  if (!isIntegrity(integrity) || !granted("read", base)) return undefined;
  try {
    const url = new URL(integrity, base);
    const info = await Deno.stat(url);
    if (!info.isFile || info.size > maxBytes) return undefined;
    const bytes = await Deno.readFile(url);
    return await integrityOf(bytes) === integrity ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stores bytes under their hash: written to a temporary file in the same directory, then
 * renamed over the name, so a reader never sees a half-written entry. Failures are ignored.
 */
export async function writeCached(
  dir: string | URL,
  integrity: string,
  bytes: Uint8Array,
): Promise<void> {
  const base = dirUrl(dir);
  if (!granted("write", base) || !granted("read", base)) return;
  let temp: string | undefined;
  try {
    await Deno.mkdir(base, { recursive: true });
    temp = await Deno.makeTempFile({ dir: decodeURIComponent(base.pathname), prefix: ".tmp-" });
    await Deno.writeFile(temp, bytes);
    await Deno.rename(temp, new URL(integrity, base));
    temp = undefined;
  } catch {
    // Best effort: the next verified fetch tries again.
  } finally {
    if (temp !== undefined) await Deno.remove(temp).catch(() => {});
  }
}
