import { type ConversionConfig, toJsonSchema } from "../_deps/to_json_schema.ts";
import * as v from "../_deps/valibot.ts";
import {
  ImplementationEntrySchema,
  ImplementationShorthandSchema,
  ManifestDocumentSchema,
  RequiresJsonSchemaSource,
  RequiresSchema,
} from "./schema.ts";

/** The `$id` of the published manifest JSON Schema. */
export const MANIFEST_SCHEMA_ID =
  "https://jsr.io/@plugmap/plugmap/0.2.0/schema/registry.schema.json";

/**
 * The manifest format as a JSON Schema (draft-07), generated from the valibot schema, for
 * editors: `# yaml-language-server: $schema=<url of registry.schema.json>`.
 *
 * @returns A fresh JSON Schema object.
 *
 * @example Generating the schema
 * ```ts
 * import { manifestJsonSchema } from "@plugmap/plugmap/manifest";
 * import { equal } from "node:assert/strict";
 *
 * const schema = manifestJsonSchema();
 * equal(schema.type, "object");
 * ```
 */
export function manifestJsonSchema(): Record<string, unknown> & { type: string } {
  const implementation = v.union([ImplementationShorthandSchema, ImplementationEntrySchema]);
  // The validation schema picks branches lazily (for better messages); JSON Schema gets the
  // equivalent unions, converted with the same settings so nothing is left to $defs.
  const config: ConversionConfig = {
    errorMode: "ignore",
    overrideSchema(context) {
      if (context.valibotSchema.type !== "lazy") return undefined;
      const source = context.valibotSchema === (RequiresSchema as unknown)
        ? RequiresJsonSchemaSource
        : implementation;
      const { $schema: _, ...nested } = toJsonSchema(source, config);
      return nested;
    },
  };
  const { $schema, ...rest } = toJsonSchema(ManifestDocumentSchema, config) as Record<
    string,
    unknown
  >;
  // Lazy schemas leave unused $defs behind (every reference was inlined by the override).
  const { $defs: _defs, ...schema } = stripDefs(rest);
  return {
    $schema,
    $id: MANIFEST_SCHEMA_ID,
    title: "plugmap plugin manifest (registry.yaml)",
    ...schema,
    type: "object",
  };
}

function stripDefs(node: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$defs") continue;
    out[key] = Array.isArray(value)
      ? value.map((item) => typeof item === "object" && item !== null ? stripDefs(item) : item)
      : typeof value === "object" && value !== null
      ? stripDefs(value as Record<string, unknown>)
      : value;
  }
  return out;
}
