/**
 * Config: plugin maps (which manifests an application uses) and implementation configs.
 *
 * @module
 */
export * from "./plugin_map.ts";
export * from "./resolve_plugin_specifier.ts";
export * from "./validate_config.ts";
export * from "./plugin_map_error.ts";
