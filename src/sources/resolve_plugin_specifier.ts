import { ConfigError, type PluginMap } from "../config/mod.ts";

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function isRelative(specifier: string): boolean {
  return /^\.{1,2}\//.test(specifier) || specifier.startsWith("/");
}

function throughImports(specifier: string, imports: Record<string, string>): string | undefined {
  if (Object.hasOwn(imports, specifier)) return imports[specifier];
  let best: string | undefined;
  for (const key of Object.keys(imports)) {
    // Import-map prefix keys end in "/"; Deno also lets "@scope/pkg" stand for "@scope/pkg/...".
    const prefix = key.endsWith("/") ? key : `${key}/`;
    if (specifier.startsWith(prefix) && (best === undefined || prefix.length > best.length)) {
      best = prefix;
    }
  }
  if (best === undefined) return undefined;
  const target = imports[best] ?? imports[best.slice(0, -1)]!;
  const rest = specifier.slice(best.length);
  return target.endsWith("/") ? target + rest : `${target}/${rest}`;
}

/**
 * Resolves a manifest specifier of a plugin map to a URL: relative to the map's document,
 * absolute (`file:`, `https:`, `http:`, `jsr:`), or bare through the document's `"imports"`.
 *
 * @param specifier The specifier as written in the map.
 * @param map The plugin map (for its URL and `"imports"`).
 * @returns The manifest URL.
 * @throws {ConfigError} A bare specifier that `"imports"` does not map (or maps to itself).
 *
 * @example
 * ```ts
 * import { parsePluginMap } from "@plugmap/plugmap";
 * import { resolvePluginSpecifier } from "@plugmap/plugmap/sources";
 * import { equal } from "node:assert/strict";
 *
 * const map = parsePluginMap({}, {
 *   url: "file:///app/deno.json",
 *   imports: { "@acme/hooks": "jsr:@acme/hooks@^1" },
 * });
 * equal(resolvePluginSpecifier("./p/registry.yaml", map).href, "file:///app/p/registry.yaml");
 * equal(resolvePluginSpecifier("@acme/hooks/registry.yaml", map).href, "jsr:@acme/hooks@^1/registry.yaml");
 * ```
 */
export function resolvePluginSpecifier(specifier: string, map: PluginMap): URL {
  const base = map.url;
  let target = specifier;
  if (!SCHEME.test(target) && !isRelative(target)) {
    const mapped = throughImports(target, map.imports);
    if (mapped === undefined || (!SCHEME.test(mapped) && !isRelative(mapped))) {
      throw new ConfigError({
        source: base,
        issues: [{
          path: "plugins",
          message: mapped === undefined
            ? `Bare specifier "${specifier}" is not mapped by "imports"`
            : `Bare specifier "${specifier}" maps to another bare specifier "${mapped}" through "imports"`,
        }],
      });
    }
    target = mapped;
  }
  try {
    return new URL(target, base);
  } catch {
    throw new ConfigError({
      source: base,
      issues: [{ path: "plugins", message: `Invalid specifier "${specifier}"` }],
    });
  }
}
