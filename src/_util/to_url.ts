// No node:path or node:url here: loading them (with the Node layer they need) costs a few
// milliseconds of start-up, and every discovery calls toUrl. On POSIX the path is resolved and
// escaped as node:path's resolve and node:url's pathToFileURL do (tests/sources/to_url_test.ts
// holds them to it); on Windows those two are used.

type NodeModules = {
  "node:path": { resolve(...paths: string[]): string };
  "node:url": { pathToFileURL(path: string): URL };
};

function nodeModule<N extends keyof NodeModules>(name: N): NodeModules[N] {
  const { process } = globalThis as unknown as {
    process: { getBuiltinModule(name: N): NodeModules[N] };
  };
  return process.getBuiltinModule(name);
}

// node:path's posix resolve: right to left until a path is absolute (else the working
// directory), then ".", ".." and empty segments resolved away; never above the root.
function resolvePosix(...paths: string[]): string {
  let joined = "";
  let absolute = false;
  for (let i = paths.length - 1; i >= -1 && !absolute; i--) {
    const path = i >= 0 ? paths[i]! : Deno.cwd();
    if (path.length === 0) continue;
    joined = `${path}/${joined}`;
    absolute = path.charCodeAt(0) === 47;
  }
  const parts: string[] = [];
  for (const part of joined.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== "" && part !== ".") parts.push(part);
  }
  return `/${parts.join("/")}`;
}

// What Deno's pathToFileURL escapes on POSIX: controls, space, "#%<>?[\]^`{|}~, DEL and every
// non-ASCII character (as UTF-8; a lone surrogate as U+FFFD).
// deno-lint-ignore no-control-regex
const ESCAPED = /[\u0000-\u0020"#%<>?[\\\]^`{|}~\u007f-\u{10ffff}]/gu;

function fileUrlPosix(path: string): URL {
  return new URL(
    `file://${
      path.replace(
        ESCAPED,
        (c) => c === "~" ? "%7E" : encodeURIComponent(c.isWellFormed() ? c : "\ufffd"),
      )
    }`,
  );
}

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
  let url: URL;
  if (Deno.build.os === "windows") {
    const { resolve } = nodeModule("node:path");
    const resolved = cwd === undefined ? resolve(location) : resolve(cwd, location);
    url = nodeModule("node:url").pathToFileURL(resolved);
  } else {
    url = fileUrlPosix(cwd === undefined ? resolvePosix(location) : resolvePosix(cwd, location));
  }
  // `resolve` drops a trailing slash; keep it, so a directory stays a directory URL.
  if (/[\\/]$/.test(location) && !url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}
