/**
 * plugmap: lazy, declarative plugins for Deno. A plugin is a YAML manifest (`registry.yaml`)
 * that declares implementations per category; an application lists manifest URLs in a plugin
 * map; the registry validates and indexes them without importing plugin code, and a factory
 * imports an implementation only when asked for it.
 *
 * @example
 * ```ts
 * import { createRegistry, parsePluginMap } from "@plugmap/plugmap";
 * import { equal } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/upper.ts`, "export default class Upper { apply(s: string) { return s.toUpperCase(); } }\n");
 * await Deno.writeTextFile(`${dir}/registry.yaml`, "plugin: {name: text, version: 1.0.0}\ntransform:\n  upper: ./upper.ts\n");
 *
 * const registry = await createRegistry({
 *   host: { name: "app", version: "1.0.0" },
 *   categories: { transform: { description: "Transforms text" } },
 *   plugins: parsePluginMap({ text: "./registry.yaml" }, { url: `file://${dir}/deno.json` }),
 * });
 * const upper = await registry.factory<{ apply(s: string): string }>("transform").create("upper");
 * equal(upper.apply("hi"), "HI");
 * ```
 *
 * @module
 */
export * from "./src/manifest/mod.ts";
export * from "./src/sources/mod.ts";
export * from "./src/config/mod.ts";
export * from "./src/registry/mod.ts";
export * from "./src/trust/mod.ts";
