import { fetchBytes, loadSource, type SourceLimits } from "../sources/mod.ts";
import type { Lock, LockedPlugin } from "./types.ts";

/** Options for {@link createLock}. */
export interface CreateLockOptions {
  /** Fetch limits for modules; missing ones take the defaults. */
  limits?: Partial<SourceLimits>;
}

/**
 * What {@link createLock} needs of a discovered plugin; a registry's `plugins()` gives it.
 * Stated structurally, so trust does not depend on the registry.
 */
export interface LockablePlugin {
  /** The plugin's name in the map. */
  name: string;
  /** Built-ins are never locked. */
  builtin: boolean;
  /** `broken` plugins with no implementations could not be read, and are left out. */
  status: string;
  /** The manifest specifier as written in the map. */
  specifier: string;
  /** The manifest URL it was read from. */
  url: string;
  /** The `jsr:` version chosen, for `jsr:` specifiers. */
  jsrVersion?: string | undefined;
  /** `sha256-<hex>` of the manifest, when discovery hashed it. */
  integrity?: string | undefined;
  /** The module URL of each implementation. */
  implementations: readonly { module: string }[];
}

/**
 * Pins every readable plugin of a discovered registry: its resolved manifest URL (a `jsr:`
 * range resolved to the exact version), the SHA-256 of its manifest, and the SHA-256 of every
 * module its `class` specifiers point at on the network (fetched, never imported). Built-ins
 * and plugins whose manifest could not be read are left out.
 *
 * @param registry A registry after discovery (anything with `plugins()`).
 * @param options Fetch limits.
 * @returns The lock, ready for {@link writeLock}.
 * @throws {SourceError} A module could not be fetched.
 *
 * @example
 * ```ts
 * import { createRegistry, parsePluginMap } from "@plugmap/plugmap";
 * import { createLock } from "@plugmap/plugmap/trust";
 * import { equal, match } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/registry.yaml`, "transform:\n  upper: ./upper.ts\n");
 * const registry = await createRegistry({
 *   host: { name: "app", version: "1.0.0" },
 *   categories: { transform: { description: "Transforms text" } },
 *   plugins: parsePluginMap({ text: "./registry.yaml" }, { url: `file://${dir}/deno.json` }),
 * });
 * const lock = await createLock(registry);
 * equal(lock.plugins.text?.specifier, "./registry.yaml");
 * match(lock.plugins.text?.manifest ?? "", /^sha256-[0-9a-f]{64}$/);
 * ```
 */
export async function createLock(
  registry: { plugins(): readonly LockablePlugin[] },
  options: CreateLockOptions = {},
): Promise<Lock> {
  const limits = options.limits ?? {};
  const plugins: Record<string, LockedPlugin> = {};
  for (const plugin of registry.plugins()) {
    if (plugin.builtin || plugin.status === "broken" && plugin.implementations.length === 0) {
      continue;
    }
    // Local manifests are hashed only when asked: read them again to hash.
    const manifest = plugin.integrity ??
      (await loadSource(new URL(plugin.url), { integrity: true, limits })).integrity!;
    const modules: Record<string, string> = {};
    for (const { module } of plugin.implementations) {
      if (!/^https?:/.test(module) || Object.hasOwn(modules, module)) continue;
      modules[module] = (await fetchBytes(new URL(module), { limits })).integrity;
    }
    plugins[plugin.name] = {
      specifier: plugin.specifier,
      url: plugin.url,
      ...(plugin.jsrVersion !== undefined ? { jsrVersion: plugin.jsrVersion } : {}),
      manifest,
      modules: Object.fromEntries(Object.entries(modules).sort(([a], [b]) => a.localeCompare(b))),
    };
  }
  return { version: 1, plugins };
}
