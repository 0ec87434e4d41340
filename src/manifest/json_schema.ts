import { toJsonSchema } from "@valibot/to-json-schema";
import * as v from "valibot";
import {
  ImplementationEntrySchema,
  ImplementationShorthandSchema,
  ManifestDocumentSchema,
  RequiresJsonSchemaSource,
  RequiresSchema,
} from "./schema.ts";

/** The `$id` of the published manifest JSON Schema. */
export const MANIFEST_SCHEMA_ID = "https://jsr.io/@plugmap/plugmap/schema/registry.schema.json";

/**
 * The manifest format as a JSON Schema (draft-07), generated from the valibot schema, for
 * editors: `# yaml-language-server: $schema=<url of registry.schema.json>`.
 *
 * @returns A fresh JSON Schema object.
 *
 * @example Generating the schema
 * ```ts
 * import { manifestJsonSchema } from "@plugmap/plugmap";
 * import { equal } from "node:assert/strict";
 *
 * const schema = manifestJsonSchema();
 * equal(schema.type, "object");
 * ```
 */
export function manifestJsonSchema(): Record<string, unknown> & { type: string } {
  const implementation = v.union([ImplementationShorthandSchema, ImplementationEntrySchema]);
  const schema = toJsonSchema(ManifestDocumentSchema, {
    errorMode: "ignore",
    // The validation schema picks branches lazily (for better messages); JSON Schema gets the
    // equivalent unions.
    overrideSchema(context) {
      if (context.valibotSchema.type !== "lazy") return undefined;
      const lazy = context.valibotSchema as v.GenericSchema;
      const source = lazy === (RequiresSchema as unknown)
        ? RequiresJsonSchemaSource
        : implementation;
      const { $schema: _, ...nested } = toJsonSchema(source, { errorMode: "ignore" });
      return nested;
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  return {
    $schema,
    $id: MANIFEST_SCHEMA_ID,
    title: "plugmap plugin manifest (registry.yaml)",
    ...rest,
    type: "object",
  };
}
