/**
 * Trust: lock files that pin every plugin's manifest URL, manifest hash and network module
 * hashes; the checks made against them; and the directory verified manifests are cached in.
 * A host only passes `lock` to `createRegistry`; this subpath is for tools.
 *
 * @example Locking a plugin map, then noticing a changed manifest
 * ```ts
 * import { createRegistry, parsePluginMap } from "@plugmap/plugmap";
 * import { createLock, lockPathFor, writeLock } from "@plugmap/plugmap/trust";
 * import { deepEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/registry.yaml`, "transform:\n  upper: ./upper.ts\n");
 * const map = parsePluginMap({ text: "./registry.yaml" }, { url: `file://${dir}/deno.json` });
 * const options = {
 *   host: { name: "app", version: "1.0.0" },
 *   categories: { transform: { description: "Transforms text" } },
 *   plugins: map,
 * };
 * await writeLock(lockPathFor(map.url), await createLock(await createRegistry(options)));
 *
 * await Deno.writeTextFile(`${dir}/registry.yaml`, "transform:\n  upper: ./other.ts\n");
 * const registry = await createRegistry({ ...options, lock: true }); // the lock beside the map
 * deepEqual(registry.diagnostics.map((d) => d.code), ["lock_mismatch"]);
 * ```
 *
 * @module
 */
export type { Lock, LockedPlugin } from "./types.ts";
export * from "./create_lock.ts";
export * from "./lock_file.ts";
export * from "./open_lock.ts";
export * from "./verify_module.ts";
export * from "./default_cache_dir.ts";
export type { FetchedBytes, SourceLimits } from "../sources/mod.ts";
