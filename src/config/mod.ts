/**
 * Plugin maps: which manifests an application uses, read from any JSON, JSONC or YAML document.
 *
 * @module
 */
export * from "./plugin_map.ts";
export * from "./config_error.ts";
export type { Issue } from "../_util/issue.ts";
export { findJsoncPosition, parseJsonc } from "./_jsonc.ts";
