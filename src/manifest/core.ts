// The part of the manifest folder that loads no YAML parser, schema library or semver: what a
// discovery that finds its snapshot (and a host creating an implementation) needs. Other folders
// import it, or mod.ts (everything, for what parses and validates manifests).
export * from "./types.ts";
export * from "./manifest_error.ts";
export * from "./limits.ts";
export * from "./validate_config.ts";
export { isPlainVersion, isVersionLazily } from "../_util/semver.ts";
