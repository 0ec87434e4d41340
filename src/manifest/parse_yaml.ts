import { loadYaml } from "./_yaml.ts";
import { DEFAULT_YAML_LIMITS, type YamlLimits } from "./limits.ts";

/**
 * Parses a YAML document under the same rules and limits as a manifest (core schema, depth,
 * aliases, expanded size; keys that reach a prototype stay plain keys), without checking it
 * against the manifest schema: for plugin maps and other YAML a tool reads beside manifests.
 *
 * @param text The YAML text.
 * @param options The document's URL (for messages) and YAML limits.
 * @returns The parsed data.
 * @throws {ManifestSyntaxError} The text is not YAML, or breaks a YAML limit.
 *
 * @example
 * ```ts
 * import { parseYaml } from "@plugmap/plugmap/manifest";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(parseYaml("plugins:\n  a: ./a.yaml\n"), { plugins: { a: "./a.yaml" } });
 * ```
 */
export function parseYaml(
  text: string,
  options: { url?: string | URL; limits?: Partial<YamlLimits> } = {},
): unknown {
  const limits = { ...DEFAULT_YAML_LIMITS, ...options.limits };
  return loadYaml(text, String(options.url ?? "<inline>"), limits).data;
}
