// The part of the manifest folder a discovery's miss needs: parsing and validating manifests and
// pointing into their YAML. It loads the YAML parser and the schema library, but not semver: plain
// versions and ranges are answered without it, and the first other one loads it
// (src/_util/semver.ts), so its callers are async and ask through `withSemver`. Hosts and tools
// use mod.ts, whose functions answer synchronously and load semver up front.
export { parseManifest } from "./parse_manifest.ts";
export { findYamlPosition } from "./find_yaml_position.ts";
