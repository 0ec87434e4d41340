import { equal } from "node:assert/strict";
import { manifestJsonSchema } from "../../src/manifest/mod.ts";
import { GUIDE_FILE, regeneratedGuide, SCHEMA_FILE } from "../../src/cli/_gen_docs.ts";
import { PLUGMAP_VERSION } from "../../src/cli/_version.ts";
import { PLUGMAP_VERSION as LIBRARY_VERSION } from "../../src/_util/version.ts";
import { cli } from "./_helpers.ts";

const STALE = "stale: run `deno run -A src/cli/_gen_docs.ts` and commit the result";

Deno.test("schema/registry.schema.json is the generated schema", async () => {
  const committed = await Deno.readTextFile(SCHEMA_FILE);
  equal(
    committed,
    `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`,
    `The schema file is ${STALE}`,
  );
});

Deno.test("plugins schema prints the committed schema", async () => {
  const run = await cli(["schema"]);
  equal(run.code, 0);
  equal(run.stdout, await Deno.readTextFile(SCHEMA_FILE));
  const json = await cli(["schema", "--json"]);
  equal(json.stdout, run.stdout);
});

Deno.test("the authoring guide's manifest reference is generated from the schema", async () => {
  const guide = await Deno.readTextFile(GUIDE_FILE);
  equal(guide, await regeneratedGuide(guide), `The reference in examples/README.md is ${STALE}`);
});

Deno.test("plugins schema --markdown prints the reference", async () => {
  const run = await cli(["schema", "--markdown"]);
  equal(run.code, 0);
  const guide = await Deno.readTextFile(GUIDE_FILE);
  for (const heading of ["### `plugin:`", "### `<category>:`", "### `config_schema.<field>:`"]) {
    equal(run.stdout.includes(heading) && guide.includes(heading), true, heading);
  }
  equal((await cli(["schema", "extra"])).code, 2);
});

Deno.test("the command line's and the library's version are deno.json's", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  equal(PLUGMAP_VERSION, config.version);
  // The CLI reaches the library only through mod.ts, so it keeps its own copy; the snapshot key
  // uses the library's.
  equal(LIBRARY_VERSION, config.version);
  const run = await cli(["--version"]);
  equal(run.stdout, `plugmap ${config.version}\n`);
});
