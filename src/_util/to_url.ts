import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * A location as a URL: a URL (or URL string) as it is, a path resolved against the working
 * directory. `pathToFileURL` escapes what a path may hold and a URL may not (`#`, `%`, spaces).
 */
export function toUrl(location: string | URL): URL {
  if (location instanceof URL) return location;
  // Two or more letters before the colon: "C:\dir" is a Windows path, not a scheme.
  if (/^[a-z][a-z0-9+.-]+:/i.test(location)) return new URL(location);
  return pathToFileURL(resolve(location));
}
