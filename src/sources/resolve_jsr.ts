import type { SourceLimits } from "./limits.ts";
import { importLazily } from "../_util/import_lazily.ts";

/** A `jsr:` specifier resolved to one file of one package version. */
export interface JsrResolution {
  /** `@scope/name`. */
  name: string;
  /** The version chosen. */
  version: string;
  /** The file's path inside the package, without the leading slash. */
  path: string;
  /** The file's URL on the registry. */
  url: string;
  /** JSR's checksum for the file (`sha256-<hex>`), when its version metadata lists it. */
  checksum?: string;
}

/** Options for {@link resolveJsr}. */
export interface ResolveJsrOptions {
  /** The registry's base URL (`https://jsr.io`, or a local one in tests). */
  jsrUrl: string;
  /** Fetch limits. */
  limits?: Partial<SourceLimits>;
  /** Aborts the fetches. */
  signal?: AbortSignal;
}

/**
 * Resolves `jsr:@scope/name@<range>/path` through the registry's `meta.json` (highest version
 * in range, yanked versions skipped) and `<version>_meta.json` (the file's checksum).
 *
 * @param specifier The `jsr:` specifier.
 * @param options The registry base URL and limits.
 * @returns The package version, the file URL and its checksum.
 * @throws {SourceError} Malformed specifier, unreachable registry, no matching version, or a
 * file the version does not contain.
 *
 * @example Resolving against a local registry
 * ```ts
 * import { resolveJsr } from "@plugmap/plugmap/sources";
 * import { equal } from "node:assert/strict";
 *
 * const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (request) => {
 *   const path = new URL(request.url).pathname;
 *   if (path === "/@acme/hooks/meta.json") {
 *     return Response.json({ versions: { "1.2.0": {}, "1.3.0": { yanked: true }, "2.0.0": {} } });
 *   }
 *   if (path === "/@acme/hooks/1.2.0_meta.json") {
 *     return Response.json({ manifest: { "/registry.yaml": { size: 1, checksum: "sha256-00" } } });
 *   }
 *   return new Response("not found", { status: 404 });
 * });
 * const jsrUrl = `http://127.0.0.1:${server.addr.port}`;
 * const resolved = await resolveJsr("jsr:@acme/hooks@^1/registry.yaml", { jsrUrl });
 * equal(resolved.version, "1.2.0");
 * equal(resolved.url, `${jsrUrl}/@acme/hooks/1.2.0/registry.yaml`);
 * await server.shutdown();
 * ```
 */
export async function resolveJsr(
  specifier: string,
  options: ResolveJsrOptions,
): Promise<JsrResolution> {
  // The work is imported on first use: it needs semver and valibot, which a discovery of local
  // files (and a snapshot hit) should not load.
  const { resolveJsrNow } = await importLazily<typeof import("./_resolve_jsr.ts")>(
    new URL("./_resolve_jsr.ts", import.meta.url),
  );
  return await resolveJsrNow(specifier, options);
}
