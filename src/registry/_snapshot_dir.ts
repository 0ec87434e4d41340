import { toUrl } from "../sources/mod.ts";
import type { RegistryOptions } from "./types.ts";

// A cache is an optimisation: without the permission (or on a prompt) it is skipped, never asked.
function granted(name: "read" | "write", dir: URL): boolean {
  try {
    return Deno.permissions.querySync({ name, path: dir }).state === "granted";
  } catch {
    return false;
  }
}

/**
 * The cache directory the snapshots may use (with a trailing slash), or `undefined` when they
 * are off (`snapshot: false`, no `cacheDir`, or no read and write permission on it).
 */
export function snapshotDir(options: RegistryOptions): URL | undefined {
  if (options.snapshot === false || options.cacheDir === undefined) return undefined;
  const href = toUrl(options.cacheDir).href;
  const dir = new URL(href.endsWith("/") ? href : `${href}/`);
  return granted("read", dir) && granted("write", dir) ? dir : undefined;
}

/** Writes `text` to `file` through a temporary file and a rename; best effort. */
export async function writeAtomically(file: URL, text: string): Promise<void> {
  const dir = new URL("./", file);
  let temp: string | undefined;
  try {
    await Deno.mkdir(dir, { recursive: true });
    temp = await Deno.makeTempFile({ dir: decodeURIComponent(dir.pathname), prefix: ".tmp-" });
    await Deno.writeTextFile(temp, text);
    await Deno.rename(temp, file);
    temp = undefined;
  } catch {
    // Best effort: the next discovery works it out again and tries again.
  } finally {
    if (temp !== undefined) await Deno.remove(temp).catch(() => {});
  }
}

/** Whether every number in `value` survives JSON (NaN and Infinity would come back as null). */
export function jsonExact(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object" || value === null) return true;
  if (Array.isArray(value)) return value.every(jsonExact);
  for (const key in value) {
    if (!jsonExact((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}
