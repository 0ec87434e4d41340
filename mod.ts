/**
 * plugmap: lazy, declarative plugins for Deno. A plugin is a YAML manifest (`registry.yaml`)
 * that declares implementations per category; an application lists manifest URLs in a plugin
 * map; the registry validates and indexes them without importing plugin code, and a factory
 * imports an implementation only when asked for it.
 *
 * This root export is what a host application needs. Tools find the rest on subpaths:
 * `@plugmap/plugmap/manifest` (parse, validate, JSON Schema), `@plugmap/plugmap/sources`
 * (fetching manifests), `@plugmap/plugmap/trust` (lock files) and `@plugmap/plugmap/cli`.
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

// The registry: create it, read it, get code through its factories. Importing this module loads
// no YAML parser, no schema library and no semver: a discovery loads them only when a manifest
// changed since its snapshot (manifest types and errors come from the light manifest/core.ts).
export {
  type Candidate,
  type CategoryDefinition,
  createRegistry,
  type Explanation,
  type Factory,
  type HostInfo,
  type Implementation,
  loadPluginMap,
  type PluginSummary,
  Registry,
  type RegistryOptions,
  type StandardSchema,
} from "./src/registry/mod.ts";

// Plugin maps: which manifests the host uses.
export {
  type Issue,
  parsePluginMap,
  type ParsePluginMapOptions,
  type PluginMap,
  type PluginMapEntry,
} from "./src/config/mod.ts";

// Diagnostics and errors.
export {
  type Diagnostic,
  type DiagnosticCode,
  DiscoveryError,
  formatDiagnostic,
  PluginLoadError,
  type PluginLoadErrorCode,
  UnknownImplementationError,
} from "./src/registry/mod.ts";
export { ConfigError } from "./src/config/mod.ts";
export { SourceError, type SourceErrorCode, type SourceLimits } from "./src/sources/core.ts";
export {
  type ConfigField,
  type ConfigFieldType,
  type EnvReader,
  ManifestSyntaxError,
  ManifestValidationError,
  type Permissions,
  type PluginInfo,
  type Requirements,
  type YamlLimits,
} from "./src/manifest/core.ts";
export type { Lock, LockedPlugin, LockOption } from "./src/trust/mod.ts";
