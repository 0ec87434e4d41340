// Issue 22 item 1: a snapshot hit should load no js-yaml, valibot or semver. These tests read the
// static import graph (deno info), so they fail when a static import of a heavy package is added
// where none was, and they list what is still loaded until the hit path is made light.
import { deepEqual, ok } from "node:assert/strict";
import { staticHeavyImports } from "./static_imports.ts";

Deno.test("static_imports: finds a heavy package and the chain to it", async () => {
  const found = await staticHeavyImports("src/_util/semver.ts");
  deepEqual([...found.keys()], ["semver"]);
  ok(found.get("semver")!.includes("src/_deps/semver.ts"));
  deepEqual([...(await staticHeavyImports("src/registry/diagnostic.ts")).keys()], []);
});

Deno.test("static_imports: the CLI's entry loads its commands dynamically, nothing heavy", async () => {
  deepEqual([...(await staticHeavyImports("src/cli/main.ts")).keys()], []);
});

// What each entry of the hit path still loads statically (issue 22 item 1, not done). Shrink a
// list when a package leaves the hit path; a package added here is a regression.
const STILL_LOADED: Record<string, string[]> = {
  "mod.ts": ["@valibot/to-json-schema", "js-yaml", "semver", "valibot"],
  "src/registry/create_registry.ts": ["@valibot/to-json-schema", "js-yaml", "semver", "valibot"],
  "src/config/mod.ts": ["valibot"],
  "src/trust/mod.ts": ["semver", "valibot"],
  "src/sources/mod.ts": ["semver", "valibot"],
};

for (const [entry, expected] of Object.entries(STILL_LOADED)) {
  Deno.test(`static_imports: ${entry} loads the recorded heavy packages, no more`, async () => {
    const found = await staticHeavyImports(entry);
    const chains = [...found.values()].map((chain) => chain.join(" -> ")).join("\n");
    deepEqual([...found.keys()].sort(), expected, `${entry} loads statically:\n${chains}`);
  });
}
