function env(name: string): string | undefined {
  try {
    if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") {
      return undefined;
    }
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The directory the `plugins` command line caches verified manifests in, by SHA-256:
 * `$PLUGMAP_CACHE`, else `$DENO_DIR/plugmap`, else `$XDG_CACHE_HOME/plugmap`, else the
 * platform's cache directory (`~/.cache`, `~/Library/Caches`, `%LOCALAPPDATA%`) + `/plugmap`.
 * Only environment variables this process may read are consulted, without a prompt. Pass it
 * as the registry's `cacheDir` to share the command line's cache.
 *
 * @returns The directory, or `undefined` when none of those variables can be read.
 *
 * @example
 * ```ts
 * import { defaultCacheDir } from "@plugmap/plugmap/trust";
 * import { equal } from "node:assert/strict";
 *
 * Deno.env.set("PLUGMAP_CACHE", "/tmp/plugmap-cache");
 * equal(defaultCacheDir(), "/tmp/plugmap-cache");
 * Deno.env.delete("PLUGMAP_CACHE");
 * ```
 */
export function defaultCacheDir(): string | undefined {
  const own = env("PLUGMAP_CACHE");
  if (own !== undefined) return own;
  const denoDir = env("DENO_DIR");
  if (denoDir !== undefined) return `${denoDir}/plugmap`;
  const xdg = env("XDG_CACHE_HOME");
  if (xdg !== undefined) return `${xdg}/plugmap`;
  if (Deno.build.os === "windows") {
    const local = env("LOCALAPPDATA");
    return local === undefined ? undefined : `${local}\\plugmap`;
  }
  const home = env("HOME");
  if (home === undefined) return undefined;
  return Deno.build.os === "darwin" ? `${home}/Library/Caches/plugmap` : `${home}/.cache/plugmap`;
}
