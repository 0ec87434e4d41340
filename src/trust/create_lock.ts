import type { Registry } from "../registry/registry.ts";
import { DEFAULT_SOURCE_LIMITS, type SourceLimits } from "../sources/limits.ts";
import { loadSource } from "../sources/load_source.ts";
import { readBody, sha256Hex } from "../sources/_http.ts";
import type { Lock, LockedPlugin } from "./types.ts";

/** Options for {@link createLock}. */
export interface CreateLockOptions {
  /** Fetch limits for modules; missing ones take the defaults. */
  limits?: Partial<SourceLimits>;
}

/**
 * Pins every readable plugin of a discovered registry: its resolved manifest URL (a `jsr:`
 * range resolved to the exact version), the SHA-256 of its manifest, and the SHA-256 of every
 * module its `class` specifiers point at on the network (fetched, never imported). Built-ins
 * and plugins whose manifest could not be read are left out.
 *
 * @param registry A registry after discovery.
 * @param options Fetch limits.
 * @returns The lock, ready for {@link writeLock}.
 * @throws {SourceError} A module could not be fetched.
 *
 * @example
 * ```ts
 * import { createLock, createRegistry, parsePluginMap } from "@plugmap/plugmap";
 * import { equal, ok } from "node:assert/strict";
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
 * ok(lock.plugins.text?.manifest.startsWith("sha256-"));
 * ```
 */
export async function createLock(
  registry: Registry,
  options: CreateLockOptions = {},
): Promise<Lock> {
  const limits = { ...DEFAULT_SOURCE_LIMITS, ...options.limits };
  const plugins: Record<string, LockedPlugin> = {};
  for (const plugin of registry.plugins()) {
    if (plugin.builtin || plugin.status === "broken" && plugin.implementations.length === 0) {
      continue;
    }
    // Local manifests are hashed only when asked: read them again to hash.
    const manifest = plugin.integrity ??
      (await loadSource(new URL(plugin.url), { integrity: true, limits })).integrity!;
    const modules: Record<string, string> = {};
    for (const implementation of plugin.implementations) {
      const module = implementation.module;
      if (!/^https?:/.test(module) || Object.hasOwn(modules, module)) continue;
      const { bytes } = await readBody(new URL(module), limits);
      modules[module] = `sha256-${await sha256Hex(bytes)}`;
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
