import * as v from "../_deps/valibot.ts";
import { loadYaml, locatePath } from "./_yaml.ts";
import { DEFAULT_YAML_LIMITS, type YamlLimits } from "./limits.ts";
import type { Issue } from "../config/mod.ts";
import { ManifestSyntaxError, ManifestValidationError } from "./manifest_error.ts";
import type { ImplementationDeclaration, Manifest, Requirements } from "./types.ts";
import {
  CategoryNameSchema,
  ManifestDocumentSchema,
  type RequiresInput,
  splitRequirement,
} from "./schema.ts";
import { normalizeRange } from "../_util/semver.ts";
import { RESERVED_NAMES } from "../_util/names.ts";

/** Options for {@link parseManifest}. */
export interface ParseManifestOptions {
  /** The manifest's URL, for relative specifiers and error messages. Default `"<inline>"`. */
  url?: string | URL;
  /** YAML limits; missing ones take {@link DEFAULT_YAML_LIMITS}. */
  limits?: Partial<YamlLimits>;
}

function normalizeRequires(requires: RequiresInput | undefined): Requirements {
  const out: Requirements = {};
  if (requires === undefined) return out;
  if (Array.isArray(requires)) {
    for (const text of requires) {
      const [name, range] = splitRequirement(text);
      out[name] = range;
    }
  } else {
    for (const [name, range] of Object.entries(requires)) out[name] = normalizeRange(range)!;
  }
  return out;
}

const SHORTHAND_DEFAULTS = v.parse(
  v.object({
    description: v.optional(v.string(), ""),
    config_schema: v.optional(v.record(v.string(), v.never()), {}),
    enabled: v.optional(v.boolean(), true),
    priority: v.optional(v.number(), 0),
    metadata: v.optional(v.record(v.string(), v.never()), {}),
  }),
  {},
);

// Walks the raw document once; the path is a shared stack, copied only on a hit.
function reservedKeys(node: unknown, path: string[] = [], found: string[][] = []): string[][] {
  if (typeof node !== "object" || node === null || found.length > 10) return found;
  for (const key in node) {
    if (!Object.hasOwn(node, key)) continue;
    path.push(key);
    if (RESERVED_NAMES.has(key)) found.push([...path]);
    else reservedKeys((node as Record<string, unknown>)[key], path, found);
    path.pop();
  }
  return found;
}

// Only white space and comments: js-yaml calls that a syntax error; it is an empty manifest.
function isBlank(text: string): boolean {
  if (text.length > 4096) return false;
  return text.split("\n").every((line) => {
    const trimmed = line.trim();
    return trimmed === "" || trimmed.startsWith("#") || trimmed === "\ufeff";
  });
}

/**
 * Parses and validates the text of a `registry.yaml` manifest, without importing any code.
 *
 * @param text The YAML text.
 * @param options The manifest's URL and YAML limits.
 * @returns The normalised manifest.
 * @throws {ManifestSyntaxError} The text is not YAML, or breaks a YAML limit.
 * @throws {ManifestValidationError} The document does not match the manifest schema.
 *
 * @example Parsing a manifest
 * ```ts
 * import { parseManifest } from "@plugmap/plugmap/manifest";
 * import { equal } from "node:assert/strict";
 *
 * const manifest = parseManifest(
 *   `plugin: {name: demo, version: 1.0.0}
 * phase_hook:
 *   log: ./hooks.ts#LogHook
 * `,
 *   { url: "https://example.com/demo/registry.yaml" },
 * );
 * equal(manifest.plugin.name, "demo");
 * equal(manifest.categories.phase_hook?.log?.class, "./hooks.ts#LogHook");
 * ```
 */
export function parseManifest(text: string, options: ParseManifestOptions = {}): Manifest {
  const url = String(options.url ?? "<inline>");
  let data: unknown;
  let reservedSeen = false;
  try {
    ({ data, reserved: reservedSeen } = loadYaml(text, url, {
      ...DEFAULT_YAML_LIMITS,
      ...options.limits,
    }));
  } catch (error) {
    if (!isBlank(text)) throw error;
  }
  if (data === null || data === undefined) {
    throw new ManifestValidationError({
      url,
      issues: [{
        message: "The manifest is empty",
        line: 1,
        column: 1,
      }],
    });
  }
  if (typeof data !== "object" || Array.isArray(data)) {
    throw new ManifestValidationError({
      url,
      issues: [{
        message: `Expected the manifest to be a mapping but received ${
          Array.isArray(data) ? "a list" : JSON.stringify(data)
        }`,
        line: 1,
        column: 1,
      }],
    });
  }
  // valibot drops prototype keys silently; a manifest that uses one is refused, not trimmed.
  const reserved = reservedSeen ? reservedKeys(data) : [];
  if (reserved.length > 0) {
    throw new ManifestValidationError({
      url,
      issues: reserved.map((path) => ({
        message: `Reserved key "${path[path.length - 1]}" is not allowed`,
        path: path.join("."),
        ...locatePath(text, path, true),
      })),
    });
  }
  const result = v.safeParse(ManifestDocumentSchema, data);
  if (!result.success) {
    const issues: Issue[] = result.issues.map((issue) => {
      const keys = issue.path?.map((item) => item.key as string | number) ?? [];
      const unknownKey = issue.expected === "never";
      const position = locatePath(text, keys, unknownKey);
      const path = v.getDotPath(issue) ?? undefined;
      return { message: issue.message, ...position, ...(path ? { path } : {}) };
    });
    // Document order reads best; issues without a position keep their relative order at the end.
    issues.sort((a, b) =>
      (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0)
    );
    throw new ManifestValidationError({ url, issues: issues });
  }
  const { plugin, ...sections } = result.output;
  const badNames = Object.keys(sections).filter((name) => !v.is(CategoryNameSchema, name));
  if (badNames.length > 0) {
    throw new ManifestValidationError({
      url,
      issues: badNames.map((name) => ({
        message: `Invalid category name "${name}": expected an identifier that is not reserved`,
        path: name,
        ...locatePath(text, [name], true),
      })),
    });
  }
  const categories: Manifest["categories"] = {};
  for (const [category, section] of Object.entries(sections)) {
    const implementations: Record<string, ImplementationDeclaration> = {};
    for (const [name, entry] of Object.entries(section)) {
      implementations[name] = typeof entry === "string"
        ? { class: entry, ...structuredClone(SHORTHAND_DEFAULTS), requires: {} }
        : { ...entry, requires: normalizeRequires(entry.requires) };
    }
    categories[category] = implementations;
  }
  const { requires, ...rest } = plugin ?? { enabled: true };
  return { url, plugin: { ...rest, requires: normalizeRequires(requires) }, categories };
}

/** The result of {@link tryParseManifest}. */
export type ParseManifestResult =
  | { ok: true; manifest: Manifest }
  | { ok: false; error: ManifestSyntaxError | ManifestValidationError };

/**
 * Like {@link parseManifest}, but returns the error instead of throwing it.
 *
 * @param text The YAML text.
 * @param options The manifest's URL and YAML limits.
 * @returns `{ ok: true, manifest }` or `{ ok: false, error }`.
 *
 * @example Checking a manifest
 * ```ts
 * import { ManifestValidationError } from "@plugmap/plugmap";
 * import { tryParseManifest } from "@plugmap/plugmap/manifest";
 * import { equal, ok } from "node:assert/strict";
 *
 * const result = tryParseManifest("endpoint:\n  chat:\n    clas: ./chat.ts\n", { url: "file:///r.yaml" });
 * ok(!result.ok);
 * ok(result.error instanceof ManifestValidationError);
 * ok(result.error.issues.some((issue) => issue.message.includes('did you mean "class"')));
 * ```
 */
export function tryParseManifest(
  text: string,
  options: ParseManifestOptions = {},
): ParseManifestResult {
  try {
    return { ok: true, manifest: parseManifest(text, options) };
  } catch (error) {
    if (error instanceof ManifestSyntaxError || error instanceof ManifestValidationError) {
      return { ok: false, error };
    }
    throw error;
  }
}
