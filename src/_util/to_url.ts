import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * A location as a URL: a URL (or URL string) as it is, a path resolved against `cwd` (default:
 * the working directory). `pathToFileURL` escapes what a path may hold and a URL may not (`#`,
 * `%`, `?`, spaces).
 *
 * @param location A path or URL.
 * @param cwd The directory a relative path resolves against. Default: `Deno.cwd()`.
 * @returns The URL.
 *
 * @example
 * ```ts
 * import { toUrl } from "@plugmap/plugmap/sources";
 * import { equal } from "node:assert/strict";
 *
 * equal(toUrl("plugins/registry.yaml", "/app").href, "file:///app/plugins/registry.yaml");
 * equal(toUrl("a#b.yaml", "/app").href, "file:///app/a%23b.yaml");
 * equal(toUrl("https://example.com/r.yaml").href, "https://example.com/r.yaml");
 * ```
 */
export function toUrl(location: string | URL, cwd?: string): URL {
  if (location instanceof URL) return location;
  // Two or more letters before the colon: "C:\dir" is a Windows path, not a scheme.
  if (/^[a-z][a-z0-9+.-]+:/i.test(location)) return new URL(location);
  const url = pathToFileURL(cwd === undefined ? resolve(location) : resolve(cwd, location));
  // `resolve` drops a trailing slash; keep it, so a directory stays a directory URL.
  if (/[\\/]$/.test(location) && !url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}
