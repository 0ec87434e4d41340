import { manifestJsonSchema } from "../../src/manifest/mod.ts";

// A JSON Schema node: the keywords this reference reads are named (so a consumer compiling with
// noPropertyAccessFromIndexSignature can read them with a dot), any other keyword is allowed.
interface Schema {
  $id?: unknown;
  $ref?: unknown;
  type?: unknown;
  enum?: unknown;
  anyOf?: unknown;
  items?: unknown;
  properties?: unknown;
  required?: unknown;
  additionalProperties?: unknown;
  propertyNames?: unknown;
  description?: unknown;
  pattern?: unknown;
  format?: unknown;
  minLength?: unknown;
  default?: unknown;
  [keyword: string]: unknown;
}

/** Markers around the generated reference in a Markdown file. */
export const REFERENCE_BEGIN =
  "<!-- BEGIN GENERATED MANIFEST REFERENCE (plugins schema --markdown) -->";
/** See {@link REFERENCE_BEGIN}. */
export const REFERENCE_END = "<!-- END GENERATED MANIFEST REFERENCE -->";

function resolve(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/")) return schema;
  let target: unknown = root;
  for (const key of ref.slice(2).split("/")) target = (target as Schema | undefined)?.[key];
  return (target as Schema | undefined) ?? schema;
}

function typeOf(raw: Schema, root: Schema): string {
  const schema = resolve(raw, root);
  if (Array.isArray(schema.enum)) {
    return schema.enum.map((e) => `\`${JSON.stringify(e)}\``).join(" \\| ");
  }
  if (Array.isArray(schema.anyOf)) {
    return (schema.anyOf as Schema[]).map((s) => typeOf(s, root)).join(", or ");
  }
  switch (schema.type) {
    case "array":
      return `list of ${typeOf((schema.items ?? {}) as Schema, root)}`;
    case "object": {
      if (schema.properties) return "mapping";
      const values = schema.additionalProperties;
      if (values && typeof values === "object" && Object.keys(values).length > 0) {
        return `mapping of ${keyType(schema)} to ${typeOf(values as Schema, root)}`;
      }
      return "mapping";
    }
    case undefined:
      return "any";
    default:
      return String(schema.type);
  }
}

function keyType(schema: Schema): string {
  const names = schema.propertyNames as Schema | undefined;
  return names?.pattern ? "name" : "string";
}

function notes(raw: Schema, root: Schema): string {
  const schema = resolve(raw, root);
  const parts: string[] = [];
  if (typeof schema.description === "string") parts.push(schema.description);
  if (typeof schema.pattern === "string") parts.push(`Matches \`${schema.pattern}\``);
  if (schema.format === "uri") parts.push("A URL");
  if (typeof schema.minLength === "number" && schema.minLength > 0) parts.push("Not empty");
  const names = schema.propertyNames as Schema | undefined;
  if (typeof names?.pattern === "string") parts.push(`Names match \`${names.pattern}\``);
  return parts.join(". ").replaceAll("|", "\\|");
}

function fieldTable(object: Schema, root: Schema): string {
  const properties = object.properties as Record<string, Schema>;
  const required = new Set((object.required as string[] | undefined) ?? []);
  const rows = Object.entries(properties).map(([key, raw]) => {
    const schema = resolve(raw, root);
    const fallback = "default" in schema ? `\`${JSON.stringify(schema.default)}\`` : "";
    return `| \`${key}\` | ${typeOf(raw, root)} | ${
      required.has(key) ? "yes" : "no"
    } | ${fallback} | ${notes(raw, root)} |`;
  });
  const closed = object.additionalProperties === false
    ? "\nOther keys are errors (the message suggests the nearest known key).\n"
    : "";
  return `| Key | Type | Required | Default | Notes |\n| --- | --- | --- | --- | --- |\n${
    rows.join("\n")
  }\n${closed}`;
}

/**
 * The manifest reference in Markdown, generated from {@link manifestJsonSchema}, so the guide
 * and the schema cannot disagree.
 */
export function manifestReference(): string {
  const root = manifestJsonSchema() as Schema;
  const plugin = (root.properties as Record<string, Schema>)["plugin"]!;
  const section = root.additionalProperties as Schema;
  const implementation = section.additionalProperties as Schema;
  const forms = (implementation.anyOf as Schema[]).map((s) => resolve(s, root));
  const shorthand = forms.find((s) => s.type === "string")!;
  const entry = forms.find((s) => s.type === "object")!;
  const configSchema = (entry.properties as Record<string, Schema>)["config_schema"]!;
  const field = resolve(configSchema.additionalProperties as Schema, root);
  return [
    `A manifest is a YAML mapping: an optional \`plugin:\` section, then one key per category. ` +
    `Schema: \`${root.$id}\` (JSON Schema draft-07; \`deno task plugins schema\` prints it).`,
    "",
    "### `plugin:`",
    "",
    fieldTable(plugin, root),
    "### `<category>:`",
    "",
    `Any other top-level key is a category: a ${typeOf(section, root)}. ${notes(section, root)}.`,
    `An implementation is either a ${typeOf(shorthand, root)} (the shorthand \`name: <class>\`) ` +
    "or a mapping:",
    "",
    fieldTable(entry, root),
    "### `config_schema.<field>:`",
    "",
    fieldTable(field, root),
  ].join("\n");
}

/** Replaces the text between the reference markers of a Markdown document. */
export function spliceReference(markdown: string, reference: string): string {
  const begin = markdown.indexOf(REFERENCE_BEGIN);
  const end = markdown.indexOf(REFERENCE_END);
  if (begin < 0 || end < begin) {
    throw new Error(`The document has no "${REFERENCE_BEGIN}" ... "${REFERENCE_END}" markers`);
  }
  return `${markdown.slice(0, begin + REFERENCE_BEGIN.length)}\n\n${reference}\n${
    markdown.slice(end)
  }`;
}
