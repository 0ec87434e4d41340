import { ConfigError } from "../config/mod.ts";
import type { Lock } from "./types.ts";
import { toUrl } from "../_util/to_url.ts";
import { importLazily } from "../_util/import_lazily.ts";

/**
 * Writes a lock as stable, formatted JSON (plugins sorted by name) with a final newline.
 *
 * @param path The lock file path or URL.
 * @param lock The lock from {@link createLock}.
 *
 * @example
 * ```ts
 * import { readLock, writeLock } from "@plugmap/plugmap/trust";
 * import { deepEqual } from "node:assert/strict";
 *
 * const path = `${await Deno.makeTempDir()}/plugins.lock.json`;
 * await writeLock(path, { version: 1, plugins: {} });
 * deepEqual(await readLock(path), { version: 1, plugins: {} });
 * ```
 */
export async function writeLock(path: string | URL, lock: Lock): Promise<void> {
  const plugins = Object.fromEntries(
    Object.entries(lock.plugins).sort(([a], [b]) => a.localeCompare(b)),
  );
  await Deno.writeTextFile(
    toUrl(path),
    `${JSON.stringify({ version: lock.version, plugins }, null, 2)}\n`,
  );
}

/**
 * Reads and validates a lock file.
 *
 * @param path The lock file path or URL.
 * @returns The lock, or `undefined` when there is no such file.
 * @throws {ConfigError} The file is not a valid lock.
 *
 * @example
 * ```ts
 * import { ConfigError } from "@plugmap/plugmap";
 * import { readLock } from "@plugmap/plugmap/trust";
 * import { equal, rejects } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * equal(await readLock(`${dir}/plugins.lock.json`), undefined);
 * await Deno.writeTextFile(`${dir}/plugins.lock.json`, '{"version": 2, "plugins": {}}');
 * await rejects(readLock(`${dir}/plugins.lock.json`), ConfigError);
 * ```
 */
export async function readLock(path: string | URL): Promise<Lock | undefined> {
  const url = toUrl(path);
  let text: string;
  try {
    // Synchronous: one small file, usually missing; the thread pool's round trip costs more.
    text = Deno.readTextFileSync(url);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new ConfigError({
      source: url.href,
      issues: [{
        message: `Cannot read: ${(error as Error).message}`,
      }],
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError({
      source: url.href,
      issues: [{
        message: `Cannot parse: ${(error as Error).message}`,
      }],
    });
  }
  const [v, { LockSchema }] = await Promise.all([
    importLazily<typeof import("../_deps/valibot.ts")>(
      new URL("../_deps/valibot.ts", import.meta.url),
    ),
    importLazily<typeof import("./_lock_schema.ts")>(new URL("./_lock_schema.ts", import.meta.url)),
  ]);
  const result = v.safeParse(LockSchema, data);
  if (!result.success) {
    throw new ConfigError({
      source: url.href,
      issues: result.issues.map((i) => ({ path: v.getDotPath(i) ?? "", message: i.message })),
    });
  }
  return result.output as Lock;
}
