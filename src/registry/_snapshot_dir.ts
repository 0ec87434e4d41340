import { toUrl } from "../sources/core.ts";
import { integrityOfLarge } from "../_util/integrity.ts";
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

const encoder = new TextEncoder();

/**
 * Writes a snapshot file: a header line (`fields`, then `body`: the body's SHA-256), then the
 * body. The body is encoded once, for its hash and for the file.
 */
export async function writeSnapshot(
  file: URL,
  fields: Record<string, unknown>,
  body: string,
): Promise<void> {
  const bytes = encoder.encode(body);
  const header = encoder.encode(
    `${JSON.stringify({ ...fields, body: await integrityOfLarge(bytes) })}\n`,
  );
  const all = new Uint8Array(header.length + bytes.length);
  all.set(header);
  all.set(bytes, header.length);
  await writeAtomically(file, all);
}

// Writes `bytes` to `file` through a temporary file and a rename; best effort.
async function writeAtomically(file: URL, bytes: Uint8Array): Promise<void> {
  const dir = new URL("./", file);
  let temp: string | undefined;
  try {
    await Deno.mkdir(dir, { recursive: true });
    temp = await Deno.makeTempFile({ dir: decodeURIComponent(dir.pathname), prefix: ".tmp-" });
    await Deno.writeFile(temp, bytes);
    await Deno.rename(temp, file);
    temp = undefined;
  } catch {
    // Best effort: the next discovery works it out again and tries again.
  } finally {
    if (temp !== undefined) await Deno.remove(temp).catch(() => {});
  }
}

/**
 * `value` as JSON, or `undefined` when a number in it would not survive (NaN and Infinity, from
 * YAML's .nan and .inf, come back as null). Only JSON with a null in it is looked at closely.
 */
export function exactJson(value: unknown): string | undefined {
  const text = JSON.stringify(value);
  return !text.includes("null") || finite(value) ? text : undefined;
}

function finite(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object" || value === null) return true;
  if (Array.isArray(value)) return value.every(finite);
  for (const key in value) {
    if (!finite((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}
