// Paths and URLs given on the command line or in a benchmark file, turned into URLs.

import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** The working directory as a directory URL. */
export function cwdUrl(): URL {
  return pathToFileURL(Deno.cwd() + "/");
}

/**
 * Resolves `value` (a URL, an absolute path, or a path relative to `base`) to a URL.
 * `base` defaults to the working directory.
 */
export function resolveLocation(value: string, base: URL = cwdUrl()): URL {
  if (/^[a-z][a-z0-9+.-]+:/i.test(value)) return new URL(value); // a URL (not C:\)
  if (isAbsolute(value)) return pathToFileURL(value);
  if (base.protocol === "file:") return pathToFileURL(resolve(fileDir(base), value));
  return new URL(value, base);
}

function fileDir(url: URL): string {
  const path = decodeURIComponent(url.pathname);
  const dir = url.pathname.endsWith("/") ? path : path.slice(0, path.lastIndexOf("/") + 1);
  return Deno.build.os === "windows" ? dir.replace(/^\/([a-z]:)/i, "$1") : dir;
}
