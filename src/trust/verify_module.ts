import { fetchBytes, type FetchedBytes, type SourceLimits } from "../sources/mod.ts";
import type { Lock } from "./types.ts";

/** The outcome of {@link verifyModule}: fine, or why the module must not be imported. */
export type ModuleVerdict =
  | {
    ok: true;
    /**
     * The bytes that were fetched and matched the lock, for a network module the lock pins.
     * Import these (as plugmap does, from a `data:` URL), not the URL: a server may answer a
     * second request with other bytes.
     */
    checked?: FetchedBytes;
  }
  | {
    ok: false;
    /** `refused`: unpinned or changed; `unreachable`: it could not be fetched to check. */
    code: "refused" | "unreachable";
    /** Why, one line. */
    reason: string;
    /** The fetch error, for `unreachable`. */
    cause?: unknown;
  };

/**
 * Checks a network module against a lock before it is imported: a plugin the lock lists must
 * pin the module, and the module's bytes must still have the pinned SHA-256; the verdict carries
 * those bytes, to be imported instead of the URL. Local, `jsr:` and `npm:` modules, and plugins
 * the lock does not list, pass (nothing to check).
 *
 * @param lock The lock.
 * @param plugin The plugin's name in the map.
 * @param module The module URL.
 * @param options Fetch limits.
 * @returns `{ ok: true }`, or the reason to refuse.
 *
 * @example
 * ```ts
 * import { verifyModule } from "@plugmap/plugmap/trust";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const lock = { version: 1 as const, plugins: { a: { specifier: "", url: "", manifest: "", modules: {} } } };
 * deepEqual(await verifyModule(lock, "a", "file:///m.ts"), { ok: true });
 * equal((await verifyModule(lock, "a", "https://example.com/m.ts")).ok, false);
 * ```
 */
export async function verifyModule(
  lock: Lock,
  plugin: string,
  module: string,
  options: { limits?: Partial<SourceLimits> } = {},
): Promise<ModuleVerdict> {
  if (!/^https?:/.test(module) || !Object.hasOwn(lock.plugins, plugin)) return { ok: true };
  const modules = lock.plugins[plugin]!.modules;
  if (!Object.hasOwn(modules, module)) {
    return {
      ok: false,
      code: "refused",
      reason: 'The lock pins no hash for this module: run "plugins lock" to pin it',
    };
  }
  const expected = modules[module]!;
  let checked: FetchedBytes;
  try {
    checked = await fetchBytes(new URL(module), options);
  } catch (error) {
    return {
      ok: false,
      code: "unreachable",
      reason: `Cannot fetch it to check its locked hash: ${(error as Error).message}`,
      cause: error,
    };
  }
  const actual = checked.integrity;
  if (actual !== expected) {
    return {
      ok: false,
      code: "refused",
      reason:
        `The module changed since it was locked: expected ${expected}, got ${actual}; it was not imported`,
    };
  }
  return { ok: true, checked };
}
