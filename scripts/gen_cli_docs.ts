/**
 * Regenerates the files derived from the benchmark's settings table
 * (`src/bench/config/settings_table.ts`): `docs/cli.md` and `schema/benchmark.schema.json`.
 * Run `deno task gen:cli`; `tests/bench/config/settings_table_test.ts` fails when either is stale.
 *
 * @module
 */
import { toJsonSchema } from "npm:@valibot/to-json-schema@^1.3.0";
import {
  BenchmarkFileSchema,
  DurationSchema,
  SelectionSchema,
} from "../src/bench/config/benchmark_file.ts";
import { cliReference } from "../src/bench/config/cli_reference.ts";
import type { Setting } from "../src/bench/config/setting.ts";
import { SETTINGS } from "../src/bench/config/settings_table.ts";
import { formatMarkdown } from "../src/cli/_gen_docs.ts";

/** `docs/cli.md`, from the repository root. */
export const CLI_DOC: URL = new URL("../docs/cli.md", import.meta.url);
/** `schema/benchmark.schema.json`, from the repository root. */
export const BENCHMARK_SCHEMA: URL = new URL("../schema/benchmark.schema.json", import.meta.url);

/**
 * The benchmark file as a JSON Schema (draft-07), for editors:
 * `# yaml-language-server: $schema=<url of benchmark.schema.json>`.
 */
export function benchmarkJsonSchema(): Record<string, unknown> {
  // Transforms (a name for { name }, "30s" for seconds, a choice's other spellings) have no
  // JSON Schema of their own: each is written out by hand or taken from its row's kind.
  // Pipes are converted item by item, so the override goes on each schema of a pipe.
  const overrides = new Map<unknown, Record<string, unknown>>();
  const override = (schema: unknown, json: Record<string, unknown>) => {
    const pipe = (schema as { pipe?: { kind: string }[] }).pipe ?? [schema as { kind: string }];
    for (const item of pipe) if (item.kind === "schema") overrides.set(item, json);
  };
  for (
    const [schema, json] of [[SelectionSchema, {
      anyOf: [
        { type: "string", minLength: 1 },
        {
          type: "object",
          properties: { name: { type: "string", minLength: 1 }, config: { type: "object" } },
          required: ["name"],
          additionalProperties: false,
        },
      ],
    }], [DurationSchema, {
      anyOf: [
        { type: "number", exclusiveMinimum: 0 },
        { type: "string", pattern: "^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h)?\\s*$" },
      ],
    }]] as const
  ) override(schema, json);
  for (const row of SETTINGS as readonly Setting[]) {
    if (row.file !== undefined) override(row.kind.schema, { ...row.kind.json });
  }
  const schema = toJsonSchema(BenchmarkFileSchema, {
    errorMode: "ignore",
    overrideSchema: (context) => overrides.get(context.valibotSchema),
  }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    title: "plugmap benchmark file (deno task bench --config FILE)",
    ...schema,
  };
}

/** The committed text of the generated files, as they should be. */
export async function generated(): Promise<{ cli: string; schema: string }> {
  return {
    cli: await formatMarkdown(cliReference()),
    schema: `${JSON.stringify(benchmarkJsonSchema(), null, 2)}\n`,
  };
}

if (import.meta.main) {
  const { cli, schema } = await generated();
  await Deno.writeTextFile(CLI_DOC, cli);
  await Deno.writeTextFile(BENCHMARK_SCHEMA, schema);
  console.log(`Wrote ${CLI_DOC.pathname} and ${BENCHMARK_SCHEMA.pathname}`);
}
