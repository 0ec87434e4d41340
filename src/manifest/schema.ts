/**
 * The manifest format, defined once as valibot schemas: validation, the published JSON Schema
 * and the generated reference all come from here (`types.ts` holds the explicit public types
 * JSR needs, checked against these schemas by tests/manifest/types_test.ts).
 *
 * @module
 */
import * as v from "../_deps/valibot.ts";
import { isVersion, normalizeRange } from "../_util/semver.ts";
import { didYouMean } from "../_util/did_you_mean.ts";
import { PLUGIN_NAME, RESERVED_NAMES } from "../_util/names.ts";
import type { ConfigFieldType } from "./types.ts";
import { matchesFieldType } from "./_field_type.ts";

export { matchesFieldType };

/** The value types a config field may declare. */
export const CONFIG_FIELD_TYPES: readonly ConfigFieldType[] = [
  "string",
  "integer",
  "number",
  "boolean",
  "list",
  "object",
];

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function identifier(what: string) {
  return v.pipe(
    v.string(),
    v.regex(IDENTIFIER, `${what} must be an identifier`),
    v.check((name) => !RESERVED_NAMES.has(name), (i) => `${what} ${i.received} is reserved`),
  );
}
const ENV_VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;
const REQUIREMENT = new RegExp(`^\\s*(${PLUGIN_NAME.source.slice(1, -1)})\\s*(.*)$`);

// A schema with a description, for the JSON Schema and the generated reference.
function doc<const S extends v.GenericSchema>(schema: S, text: string) {
  return v.pipe(schema, v.description(text));
}

// A strict object whose messages name the missing or unknown key, and the nearest known one.
function strict<const T extends v.ObjectEntries>(entries: T, what: string, shape = "a mapping") {
  const known = Object.keys(entries);
  return v.strictObject(entries, (issue) => {
    if (issue.expected === "never") {
      const key = String(issue.received).replace(/^"|"$/g, "");
      return `Unknown key ${issue.received} in ${what}${didYouMean(key, known)}`;
    }
    if (issue.received === "undefined" && issue.path !== undefined) {
      return `Missing key ${issue.expected} in ${what}`;
    }
    return `Expected ${what} to be ${shape} but received ${issue.received}`;
  });
}

const SemverRangeSchema = v.pipe(
  v.string("A version range must be a string"),
  v.check(
    (range) => normalizeRange(range) !== undefined,
    (i) => `Invalid version range ${i.received}`,
  ),
  v.description("A semver range, e.g. >=1.2.0 or ^2"),
);

/** A requirement in list form, `name` followed by a range (`bench>=0.1.0`). */
export const RequirementStringSchema = v.pipe(
  v.string("A requirement must be a string"),
  v.check(
    (text) => {
      const match = REQUIREMENT.exec(text);
      return match !== null && normalizeRange(match[2] ?? "") !== undefined;
    },
    (i) => `Invalid requirement ${i.received}: expected a name followed by a version range`,
  ),
);

/** `requires`: the original list form or a map of name to range. */
export const RequiresSchema = v.lazy((input) =>
  Array.isArray(input) ? RequiresListSchema : RequiresMapSchema
);
const RequiresListSchema = v.array(RequirementStringSchema);
const RequiresMapSchema = v.record(
  v.string(),
  SemverRangeSchema,
  (i) =>
    `Expected "requires" to be a list of "name>=range" strings or a mapping of name to range but received ${i.received}`,
);
/** `requires` for JSON Schema export. */
export const RequiresJsonSchemaSource = v.pipe(
  v.union([RequiresListSchema, RequiresMapSchema]),
  v.description('What is needed: a list of "name>=range" strings, or a mapping of name to range'),
);

/** One field of an implementation's `config_schema`. */
export const ConfigFieldSchema = v.pipe(
  strict({
    type: v.pipe(
      v.picklist(
        CONFIG_FIELD_TYPES,
        (i) => `Invalid type ${i.received}: expected one of ${CONFIG_FIELD_TYPES.join(", ")}`,
      ),
      v.description("The value type"),
    ),
    required: v.optional(
      doc(v.boolean(), "Whether a value must be given (by config, env var or default)"),
      false,
    ),
    default: v.optional(doc(v.unknown(), "The value used when none is given; must match the type")),
    description: v.optional(doc(v.string(), "What the field is for")),
    env_var: v.optional(
      v.pipe(
        v.string(),
        v.regex(ENV_VAR, "An env_var must be a valid environment variable name"),
        v.description("An environment variable read when the config has no value"),
      ),
    ),
  }, "a config field"),
  v.forward(
    v.check(
      (field) => field.default === undefined || matchesFieldType(field.type, field.default),
      "The default does not match the field's type",
    ),
    ["default"],
  ),
);

function grantList(what: string, item: v.GenericSchema<string, string>) {
  return v.union(
    [v.literal(true), v.array(item)],
    (i) => `Expected ${what} to be true (unrestricted) or a list but received ${i.received}`,
  );
}
const GRANT_ITEM = v.pipe(
  v.string(),
  v.nonEmpty("A permission entry must not be empty"),
  v.check((s) => !/[\s,]/.test(s), "A permission entry must not contain white space or commas"),
);

/**
 * The Deno permissions an implementation's code needs, checked before it is imported: each
 * kind is `true` (unrestricted) or a list (net hosts, read/write paths, env vars, commands).
 */
export const PermissionsSchema = strict({
  net: v.optional(grantList('"net"', GRANT_ITEM)),
  read: v.optional(grantList('"read"', GRANT_ITEM)),
  write: v.optional(grantList('"write"', GRANT_ITEM)),
  env: v.optional(
    grantList(
      '"env"',
      v.pipe(v.string(), v.regex(ENV_VAR, "An env permission must be a variable name")),
    ),
  ),
  run: v.optional(grantList('"run"', GRANT_ITEM)),
}, "the permissions");

/** An implementation entry in its full (mapping) form. */
export const ImplementationEntrySchema = strict(
  {
    class: v.pipe(
      v.string((i) => `Expected "class" to be a string but received ${i.received}`),
      v.nonEmpty('"class" must not be empty'),
      v.check((c) => !/\s/.test(c), '"class" must not contain white space'),
      v.description(
        "An ESM specifier, relative to the manifest, plus #ExportName (no # means the default export)",
      ),
    ),
    description: v.optional(doc(v.string(), "What the implementation does"), ""),
    config_schema: v.optional(
      doc(
        v.record(identifier("A config field name"), ConfigFieldSchema),
        "The config the implementation is created with: field name to field",
      ),
      () => ({}),
    ),
    enabled: v.optional(doc(v.boolean(), "false hides the implementation"), true),
    priority: v.optional(
      v.pipe(
        v.number(),
        v.integer('"priority" must be an integer'),
        v.description("Among plugins providing the same name, the higher priority wins"),
      ),
      0,
    ),
    metadata: v.optional(
      doc(
        v.record(v.string(), v.unknown()),
        "Free-form data for the host, checked by the category's metadata schema",
      ),
      () => ({}),
    ),
    requires: v.optional(RequiresSchema),
    permissions: v.optional(PermissionsSchema),
  },
  "an implementation entry",
  "a mapping or a class specifier string",
);

/** The string shorthand `name: <class>`. */
export const ImplementationShorthandSchema = v.pipe(
  v.string(),
  v.nonEmpty('"class" must not be empty'),
);

/** The `plugin:` metadata section. */
export const PluginMetadataSchema = strict({
  name: v.optional(
    v.pipe(
      v.string(),
      v.regex(PLUGIN_NAME, "Invalid plugin name"),
    ),
  ),
  version: v.optional(
    v.pipe(
      v.string((i) =>
        `Expected "version" to be a string but received ${i.received} (quote it, e.g. "1.0.0")`
      ),
      v.check(isVersion, (i) => `Invalid semver version ${i.received}`),
    ),
  ),
  description: v.optional(doc(v.string(), "What the plugin does")),
  author: v.optional(doc(v.string(), "Who wrote it")),
  license: v.optional(doc(v.string(), "Its licence (an SPDX identifier)")),
  homepage: v.optional(
    v.pipe(v.string(), v.url('"homepage" must be a URL'), v.description("Its home page")),
  ),
  requires: v.optional(RequiresSchema),
  enabled: v.optional(doc(v.boolean(), "false disables the whole plugin"), true),
}, "the plugin section");

const ImplementationNameSchema = identifier("An implementation name");
/** A category name, as a manifest's top-level key. */
export const CategoryNameSchema = identifier("A category name");

// Validation picks the branch by the input's type, so errors come from the branch the author
// meant; a plain union would only say "expected string | Object".
const ImplementationSchema = v.lazy((input) =>
  typeof input === "string" ? ImplementationShorthandSchema : ImplementationEntrySchema
);

/** A category section: implementation name to entry or shorthand. */
export const CategorySectionSchema = v.record(
  ImplementationNameSchema,
  ImplementationSchema,
  (i) =>
    `Expected a category section to be a mapping of implementations but received ${i.received}`,
);

/** A whole `registry.yaml` document, as validated. */
export const ManifestDocumentSchema = v.objectWithRest(
  { plugin: v.optional(PluginMetadataSchema) },
  CategorySectionSchema,
  (i) => `Expected the manifest to be a mapping but received ${i.received}`,
);

/** A manifest document after validation, before normalisation. */
export type ManifestDocument = v.InferOutput<typeof ManifestDocumentSchema>;
/** The `plugin:` section after validation (defaults applied). */
export type PluginMetadata = v.InferOutput<typeof PluginMetadataSchema>;
/** An implementation entry after validation (defaults applied). */
export type ImplementationEntry = v.InferOutput<typeof ImplementationEntrySchema>;
/** One config field after validation (defaults applied). */
export type ConfigField = v.InferOutput<typeof ConfigFieldSchema>;
/** An implementation's declared permissions, as validated. */
export type PermissionsInput = v.InferOutput<typeof PermissionsSchema>;
/** `requires` as written. */
export type RequiresInput = v.InferOutput<typeof RequiresSchema>;

/** Splits a list-form requirement into its name and normalised range. */
export function splitRequirement(text: string): [name: string, range: string] {
  const match = REQUIREMENT.exec(text)!;
  return [match[1]!, normalizeRange(match[2] ?? "")!];
}
