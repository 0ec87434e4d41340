import { ConfigError, type PluginMap } from "../config/mod.ts";

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function isRelative(specifier: string): boolean {
  return /^\.{1,2}\//.test(specifier) || specifier.startsWith("/");
}

// One specifier map of an import map: an exact key first, else the longest key ending in "/"
// that starts the specifier (its target must end in "/" too, or the specifier is not mapped).
// Deno also lets a key "@scope/pkg" mapped to a jsr: or npm: package stand for "@scope/pkg/...".
function throughMap(specifier: string, imports: Record<string, string>): string | undefined {
  if (Object.hasOwn(imports, specifier)) return imports[specifier];
  let best: { key: string; target: string } | undefined;
  for (const [key, target] of Object.entries(imports)) {
    const packageKey = !key.endsWith("/") && /^(?:jsr|npm):/.test(target);
    const prefix = key.endsWith("/") ? key : packageKey ? `${key}/` : undefined;
    if (prefix === undefined || !specifier.startsWith(prefix)) continue;
    // Longest first; a "pkg/" key wins over the "pkg" package key it ties with.
    const longer = best === undefined || prefix.length > best.key.length;
    if (longer || (prefix.length === best!.key.length && key.endsWith("/"))) {
      best = { key: prefix, target };
    }
  }
  if (best === undefined) return undefined;
  const rest = specifier.slice(best.key.length);
  if (best.target.endsWith("/")) return best.target + rest;
  return /^(?:jsr|npm):/.test(best.target) ? `${best.target}/${rest}` : undefined;
}

// Import-map resolution for the map's own document: the scopes whose prefix (resolved against
// the document) the document's URL starts with, longest first, then "imports".
function throughImports(specifier: string, map: PluginMap): string | undefined {
  const scopes = Object.entries(map.scopes ?? {}).flatMap(([prefix, imports]) => {
    try {
      const scope = new URL(prefix, map.url).href;
      const applies = map.url === scope || (scope.endsWith("/") && map.url.startsWith(scope));
      return applies ? [{ scope, imports }] : [];
    } catch {
      return [];
    }
  }).sort((a, b) => b.scope.length - a.scope.length);
  for (const { imports } of scopes) {
    const mapped = throughMap(specifier, imports);
    if (mapped !== undefined) return mapped;
  }
  return throughMap(specifier, map.imports);
}

/**
 * Resolves a manifest specifier of a plugin map to a URL: relative to the map's document,
 * absolute (`file:`, `https:`, `http:`, `jsr:`), or bare through the document's `"scopes"` and
 * `"imports"` by import-map rules (a relative target resolves against the document).
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
    const mapped = throughImports(target, map);
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
