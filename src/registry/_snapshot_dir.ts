import { toUrl } from "../sources/core.ts";
import { integrityOfLarge } from "../_util/integrity.ts";
import { SNAPSHOT_VERSION } from "../_util/version.ts";
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
const decoder = new TextDecoder();

/**
 * Writes a snapshot file: a header line (its format, plugmap's version with its sources' hash,
 * its key, and the body's SHA-256), then the body. The body is encoded once, for its hash and
 * for the file. {@link openSnapshot} reads it back.
 */
export async function writeSnapshot(
  file: URL,
  format: string,
  key: string,
  body: string,
): Promise<void> {
  const bytes = encoder.encode(body);
  const fields = { format, version: SNAPSHOT_VERSION, key, body: await integrityOfLarge(bytes) };
  const header = encoder.encode(`${JSON.stringify(fields)}\n`);
  const all = new Uint8Array(header.length + bytes.length);
  all.set(header);
  all.set(bytes, header.length);
  await writeAtomically(file, all);
}

/** A snapshot file's key and body, as {@link openSnapshot} finds them. */
export interface OpenedSnapshot {
  /** The key in its header. */
  key: unknown;
  /** The body, decoded. */
  text: string;
  /** Whether the body is the one its header's hash names, worked out on another thread. */
  intact: Promise<boolean>;
}

/**
 * The key and body of a snapshot file's bytes as {@link writeSnapshot} wrote them, or
 * `undefined` when they have no header, or one of another format or plugmap version. The body is
 * hashed as read (on another thread, while the caller parses `text`), not encoded back.
 */
export function openSnapshot(
  bytes: Uint8Array<ArrayBuffer>,
  format: string,
): OpenedSnapshot | undefined {
  const newline = bytes.indexOf(0x0a);
  if (newline < 0) return undefined;
  let header;
  try {
    header = JSON.parse(decoder.decode(bytes.subarray(0, newline)));
  } catch {
    return undefined;
  }
  if (header?.format !== format || header.version !== SNAPSHOT_VERSION) return undefined;
  const body = bytes.subarray(newline + 1);
  const expected = header.body;
  const intact = integrityOfLarge(body).then((hash) => hash === expected, () => false);
  return { key: header.key, text: decoder.decode(body), intact };
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
