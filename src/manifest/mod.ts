/**
 * Manifests: the `registry.yaml` format, its parser, its JSON Schema, and the rules a manifest's
 * `config_schema` puts on an implementation's config. For tools; a host needs only the root
 * export.
 *
 * @example Parsing a manifest
 * ```ts
 * import { parseManifest } from "@plugmap/plugmap/manifest";
 * import { equal } from "node:assert/strict";
 *
 * const manifest = parseManifest("plugin: {name: demo}\nphase_hook:\n  log: ./hooks.ts#Log\n");
 * equal(manifest.categories.phase_hook?.log?.class, "./hooks.ts#Log");
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./parse_manifest.ts";
export * from "./parse_yaml.ts";
export * from "./manifest_error.ts";
export * from "./json_schema.ts";
export * from "./find_yaml_position.ts";
export * from "./limits.ts";
export * from "./validate_config.ts";
export * from "./names.ts";
export type { Issue } from "../config/mod.ts";

// This module's functions answer synchronously, so semver is loaded with it; a discovery imports
// the files it needs directly and loads semver only when an answer needs it (src/_util/semver.ts).
import semver from "../_deps/semver.ts";
import { useSemver } from "../_util/semver.ts";
useSemver(semver);
