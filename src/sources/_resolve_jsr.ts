// What `resolveJsr` (resolve_jsr.ts) does, imported on its first use.
import * as v from "../_deps/valibot.ts";
import { loadSemver, maxSatisfying, normalizeRange } from "../_util/semver.ts";
import { DEFAULT_SOURCE_LIMITS, type SourceLimits } from "./limits.ts";
import type { JsrResolution, ResolveJsrOptions } from "./resolve_jsr.ts";
import { SourceError } from "./source_error.ts";
import { readBody } from "./_http.ts";
import { decodeText } from "./_text.ts";

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

/** See `resolveJsr`. */
export async function resolveJsrNow(
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
  // Picking the highest of a package's versions needs semver itself.
  await loadSemver();
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
