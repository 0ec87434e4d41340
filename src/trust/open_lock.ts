import { readLock } from "./lock_file.ts";
import type { Lock, LockedPlugin } from "./types.ts";

/** Where a registry's lock comes from: a lock, a lock file, or `true` for the one beside the map. */
export type LockOption = Lock | string | URL | boolean;

/**
 * The lock file path beside a plugin map document: `plugins.lock.json` in the same directory.
 *
 * @param mapUrl The URL of the plugin map document.
 * @returns The lock file URL.
 *
 * @example
 * ```ts
 * import { lockPathFor } from "@plugmap/plugmap/trust";
 * import { equal } from "node:assert/strict";
 *
 * equal(lockPathFor("file:///app/deno.json").href, "file:///app/plugins.lock.json");
 * ```
 */
export function lockPathFor(mapUrl: string | URL): URL {
  return new URL("./plugins.lock.json", mapUrl);
}

/**
 * The lock discovery verifies against: the lock given, or read from its file (`true`: the
 * `plugins.lock.json` beside the plugin map document). No file means no lock, except when
 * `frozen`: a frozen registry without its lock file trusts nothing (an empty lock).
 *
 * @param option The registry's `lock` option.
 * @param context The plugin map document's URL (for `true`) and whether discovery is frozen.
 * @returns The lock, or `undefined` for none.
 * @throws {ConfigError} The lock file is invalid.
 * @throws {TypeError} `frozen` without a lock, or `true` without a plugin map document.
 *
 * @example
 * ```ts
 * import { openLock } from "@plugmap/plugmap/trust";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const mapUrl = `file://${dir}/deno.json`;
 * equal(await openLock(true, { mapUrl }), undefined);
 * deepEqual(await openLock(true, { mapUrl, frozen: true }), { version: 1, plugins: {} });
 * ```
 */
export async function openLock(
  option: LockOption | undefined,
  context: { mapUrl?: string | undefined; frozen?: boolean | undefined } = {},
): Promise<Lock | undefined> {
  const { frozen = false, mapUrl } = context;
  if (frozen && (option === undefined || option === false)) {
    throw new TypeError('Cannot freeze discovery: the "frozen" option needs a "lock"');
  }
  if (option === undefined || option === false) return undefined;
  if (typeof option === "object" && !(option instanceof URL)) return option;
  if (option === true && mapUrl === undefined) {
    throw new TypeError('Cannot find the lock beside the plugin map: "plugins" is not a document');
  }
  const lock = await readLock(option === true ? lockPathFor(mapUrl!) : option);
  return lock ?? (frozen ? { version: 1, plugins: {} } : undefined);
}

/** What the lock says about one plugin of the map: read it pinned, read it freely, or refuse. */
export type LockVerdict =
  | { ok: true; pin?: LockedPlugin }
  | { ok: false; code: "not_locked" | "lock_mismatch"; message: string };

/**
 * The lock's rule for one plugin before its manifest is read: a listed plugin is read from its
 * pin (its specifier must not have changed); an unlisted one is read freely, unless `frozen`.
 *
 * @param lock The lock, if any.
 * @param plugin The plugin's name and specifier in the map.
 * @param frozen Whether unlisted plugins are refused.
 * @returns The pin to read it with, or the refusal.
 *
 * @example
 * ```ts
 * import { checkLock } from "@plugmap/plugmap/trust";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const lock = { version: 1 as const, plugins: {} };
 * deepEqual(checkLock(lock, { name: "a", specifier: "./a.yaml" }, false), { ok: true });
 * equal(checkLock(lock, { name: "a", specifier: "./a.yaml" }, true).ok, false);
 * ```
 */
export function checkLock(
  lock: Lock | undefined,
  plugin: { name: string; specifier: string },
  frozen: boolean,
): LockVerdict {
  if (lock === undefined) return { ok: true };
  const { name, specifier } = plugin;
  const pin = Object.hasOwn(lock.plugins, name) ? lock.plugins[name] : undefined;
  if (pin === undefined) {
    return frozen
      ? {
        ok: false,
        code: "not_locked",
        message:
          `The plugin "${name}" is not in the lock file and the registry is frozen: run "plugins lock" to pin it`,
      }
      : { ok: true };
  }
  if (pin.specifier !== specifier) {
    return {
      ok: false,
      code: "lock_mismatch",
      message:
        `The plugin map says "${specifier}" but the lock pins "${pin.specifier}": run "plugins lock" to pin it again`,
    };
  }
  return { ok: true, pin };
}
