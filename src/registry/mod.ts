/**
 * The registry: discovery, precedence, lazy loading, factories, diagnostics and explanations.
 * Everything here is in the root export.
 *
 * @module
 */
export * from "./create_registry.ts";
export * from "./registry.ts";
export * from "./load_plugin_map.ts";
export * from "./types.ts";
export * from "./diagnostic.ts";
export * from "./discovery_error.ts";
export * from "./plugin_load_error.ts";
export * from "./unknown_implementation_error.ts";
