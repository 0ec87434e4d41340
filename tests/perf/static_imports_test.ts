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
  // A node: built-in counts as heavy: the first one starts Deno's Node layer.
  deepEqual([...(await staticHeavyImports("tests/perf/floor_read_hash.ts")).keys()], [
    "node:crypto",
  ]);
});

Deno.test("static_imports: the CLI's entry loads its commands dynamically, nothing heavy", async () => {
  deepEqual([...(await staticHeavyImports("src/cli/main.ts")).keys()], []);
});

// Issue 22 item 1: a snapshot hit loads no YAML parser, no schema library, no semver and no node:
// built-in. Every
// entry a host or the CLI starts from must load none of them statically: they are imported by
// the stages of a miss (src/registry/_index_manifests.ts), or for a jsr: specifier, a lock file
// or a YAML map document. A static import of one of them on these paths fails here.
const HIT_PATH = [
  "mod.ts",
  "src/registry/mod.ts",
  "src/registry/create_registry.ts",
  "src/config/mod.ts",
  "src/manifest/core.ts",
  "src/sources/mod.ts",
  "src/trust/mod.ts",
  "src/cli/main.ts",
  "src/cli/list.ts",
  "src/cli/show.ts",
  "src/cli/explain.ts",
];

for (const entry of HIT_PATH) {
  Deno.test(`static_imports: ${entry} loads no heavy package statically`, async () => {
    const found = await staticHeavyImports(entry);
    const chains = [...found.values()].map((chain) => chain.join(" -> ")).join("\n");
    deepEqual([...found.keys()], [], `${entry} loads statically:\n${chains}`);
  });
}

// What does load them: the stages of a miss, the manifest subpath, JSR resolution (so the check
// above can see them).
const LOADED: Record<string, string[]> = {
  "src/registry/_index_manifests.ts": ["@valibot/to-json-schema", "js-yaml", "semver", "valibot"],
  "src/manifest/mod.ts": ["@valibot/to-json-schema", "js-yaml", "semver", "valibot"],
  "src/sources/_resolve_jsr.ts": ["semver", "valibot"],
};

for (const [entry, expected] of Object.entries(LOADED)) {
  Deno.test(`static_imports: ${entry} loads ${expected.join(", ")}`, async () => {
    const found = await staticHeavyImports(entry);
    deepEqual([...found.keys()].sort(), expected);
  });
}
