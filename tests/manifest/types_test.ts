// The public manifest types are written out for JSR (no slow types); the schemas are the
// source of truth. This file fails to type-check when the two drift apart in either direction.
import type * as v from "valibot";
import { equal } from "node:assert/strict";
import type { ConfigField, PluginInfo } from "../../mod.ts";
import type { ImplementationDeclaration } from "../../src/manifest/mod.ts";
import type {
  ConfigFieldSchema,
  ImplementationEntrySchema,
  PluginMetadataSchema,
} from "../../src/manifest/schema.ts";

// Mutual assignability misses an optional key present on one side only; compare keys too.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? SameKeys<A, B> : false) : false;
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false)
  : false;

type FromSchema<S extends v.GenericSchema, Replace> =
  & Omit<v.InferOutput<S>, keyof Replace>
  & Replace;

const field: Same<ConfigField, v.InferOutput<typeof ConfigFieldSchema>> = true;
const implementation: Same<
  ImplementationDeclaration,
  FromSchema<typeof ImplementationEntrySchema, { requires: Record<string, string> }>
> = true;
const plugin: Same<
  PluginInfo,
  FromSchema<typeof PluginMetadataSchema, { requires: Record<string, string> }>
> = true;

Deno.test("public manifest types match the schemas", () => {
  equal(field && implementation && plugin, true);
});
