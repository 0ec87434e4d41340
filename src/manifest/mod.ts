/**
 * Manifests: the `registry.yaml` format, its parser and its JSON Schema.
 *
 * @module
 */
export * from "./types.ts";
export * from "./parse_manifest.ts";
export * from "./manifest_error.ts";
export * from "./json_schema.ts";
export * from "./find_yaml_position.ts";
export { DEFAULT_YAML_LIMITS, type YamlLimits } from "./_yaml.ts";
