import { manifestJsonSchema } from "../../src/manifest/mod.ts";
import { arity, COMMON_OPTIONS_HELP, parseCommand } from "./_args.ts";
import type { Io } from "./_io.ts";
import { json } from "./_json.ts";
import { manifestReference } from "./_reference.ts";

/** `plugins schema --help`. */
export const SCHEMA_HELP = `Usage: plugins schema [options]

Print the manifest (registry.yaml) JSON Schema, generated from the validation schema. Editors
use it through a first line like:
  # yaml-language-server: $schema=<URL of registry.schema.json>

Options:
  --markdown            Print the manifest reference of the authoring guide instead${COMMON_OPTIONS_HELP}
                        (the schema is JSON already; --json changes nothing)

Exit status: 0.
`;

/**
 * `plugins schema`.
 *
 * @param args The arguments after `schema`.
 * @param io Where to write.
 * @returns The exit code.
 */
export async function schemaCommand(args: string[], io: Io): Promise<number> {
  const parsed = await parseCommand(
    "schema",
    args,
    { markdown: { type: "boolean" } },
    SCHEMA_HELP,
    io,
  );
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  arity("schema", positionals, 0, 0, "");
  io.out(values.markdown ? `${manifestReference()}\n` : json(manifestJsonSchema()));
  return 0;
}
