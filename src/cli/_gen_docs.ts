/**
 * Regenerates the files generated from the manifest schema: `schema/registry.schema.json` and
 * the manifest reference in `examples/README.md`. Run `deno run -A src/cli/_gen_docs.ts`;
 * `tests/cli/generated_test.ts` fails when either is stale.
 *
 * @module
 */
import { manifestJsonSchema } from "../../src/manifest/mod.ts";
import { json } from "./_json.ts";
import { manifestReference, spliceReference } from "./_reference.ts";

/** The schema file, relative to the repository root. */
export const SCHEMA_FILE: URL = new URL("../../schema/registry.schema.json", import.meta.url);
/** The authoring guide, relative to the repository root. */
export const GUIDE_FILE: URL = new URL("../../examples/README.md", import.meta.url);

/** Formats Markdown the way `deno fmt` formats the repository. */
export async function formatMarkdown(text: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext", "md", "-"],
    cwd: new URL("../../", import.meta.url),
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const output = await child.output();
  if (!output.success) throw new Error(new TextDecoder().decode(output.stderr));
  return new TextDecoder().decode(output.stdout);
}

/** The guide as it should be: its text with the reference regenerated, then formatted. */
export async function regeneratedGuide(guide: string): Promise<string> {
  return await formatMarkdown(spliceReference(guide, manifestReference()));
}

if (import.meta.main) {
  await Deno.writeTextFile(SCHEMA_FILE, json(manifestJsonSchema()));
  const guide = await Deno.readTextFile(GUIDE_FILE);
  await Deno.writeTextFile(GUIDE_FILE, await regeneratedGuide(guide));
  console.log(`Wrote ${SCHEMA_FILE.pathname} and ${GUIDE_FILE.pathname}`);
}
