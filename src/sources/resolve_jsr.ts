import * as v from "../_deps/valibot.ts";
import { maxSatisfying, normalizeRange } from "../_util/semver.ts";
import { DEFAULT_SOURCE_LIMITS, type SourceLimits } from "./limits.ts";
import { SourceError } from "./source_error.ts";
import { decodeText, readBody } from "./_http.ts";

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

const JSR_SPECIFIER = /^jsr:\/?(@[a-z0-9-]+\/[a-z0-9-]+)(?:@([^/]+))?(?:\/(.*))?$/;

const PackageMetaSchema = v.object({
  versions: v.record(v.string(), v.object({ yanked: v.optional(v.boolean()) })),
});
const VersionMetaSchema = v.object({
  manifest: v.optional(
    v.record(v.string(), v.object({ size: v.optional(v.number()), checksum: v.string() })),
  ),
});

async function getJson<T>(
  url: URL,
  schema: v.GenericSchema<unknown, T>,
  limits: SourceLimits,
  signal?: AbortSignal,
): Promise<T> {
  const { bytes } = await readBody(url, limits, signal);
  let data: unknown;
  try {
    data = JSON.parse(decodeText(bytes, url.href));
  } catch (error) {
    if (error instanceof SourceError) throw error;
    throw new SourceError({
      code: "jsr_version",
      url: url.href,
      reason: "The registry answered with invalid JSON",
    });
  }
  const result = v.safeParse(schema, data);
  if (!result.success) {
    throw new SourceError({
      code: "jsr_version",
      url: url.href,
      reason: `Unexpected registry metadata: ${v.summarize(result.issues).split("\n")[0]}`,
    });
  }
  return result.output;
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
  const match = JSR_SPECIFIER.exec(specifier);
  if (match === null) {
    throw new SourceError({
      code: "unsupported_specifier",
      url: specifier,
      reason: "Expected jsr:@scope/name@<version range>/path/to/registry.yaml",
    });
  }
  const name = match[1]!;
  const rangeText = match[2] ?? "*";
  const path = match[3] || "registry.yaml";
  const range = normalizeRange(rangeText);
  if (range === undefined) {
    throw new SourceError({
      code: "unsupported_specifier",
      url: specifier,
      reason: `Invalid version range "${rangeText}"`,
    });
  }
  const limits = { ...DEFAULT_SOURCE_LIMITS, ...options.limits };
  const base = options.jsrUrl.replace(/\/+$/, "");
  const meta = await getJson(
    new URL(`${base}/${name}/meta.json`),
    PackageMetaSchema,
    limits,
    options.signal,
  );
  const candidates = Object.entries(meta.versions)
    .filter(([, info]) => !info.yanked)
    .map(([version]) => version);
  const version = maxSatisfying(candidates, range);
  if (version === undefined) {
    throw new SourceError({
      code: "jsr_version",
      url: specifier,
      reason: `No version of ${name} matches "${rangeText}" (available: ${
        candidates.join(", ") || "none"
      })`,
    });
  }
  const versionMeta = await getJson(
    new URL(`${base}/${name}/${version}_meta.json`),
    VersionMetaSchema,
    limits,
    options.signal,
  );
  const file = versionMeta.manifest?.[`/${path}`];
  if (versionMeta.manifest !== undefined && file === undefined) {
    throw new SourceError({
      code: "not_found",
      url: specifier,
      reason: `${name}@${version} has no file "/${path}"`,
    });
  }
  return {
    name,
    version,
    path,
    url: `${base}/${name}/${version}/${path}`,
    ...(file ? { checksum: file.checksum } : {}),
  };
}
