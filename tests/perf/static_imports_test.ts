// Issue 22 item 1: a snapshot hit should load no js-yaml, valibot or semver. These tests read the
// static import graph (deno info), so they fail when a static import of a heavy package is added
// where none was, and they list what is still loaded until the hit path is made light.
import { deepEqual, ok } from "node:assert/strict";
import { startupPackages, staticHeavyImports, staticModules } from "./static_imports.ts";

Deno.test("static_imports: finds a heavy package and the chain to it", async () => {
  const found = await staticHeavyImports("src/manifest/mod.ts");
  ok(found.get("semver")!.includes("src/_deps/semver.ts"));
  // Its semver calls load semver only when a version or range is not plain.
  deepEqual([...(await staticHeavyImports("src/_util/semver.ts")).keys()], []);
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
  "src/sources/core.ts",
  "src/trust/mod.ts",
  "src/trust/core.ts",
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
// above can see them). The stages of a miss load no semver (CommonJS: about 50 ms of a first
// discovery): plain versions and ranges are answered without it, and the first other one loads it
// (src/_util/semver.ts); nor the JSON Schema converter, which only the manifest subpath needs.
const LOADED: Record<string, string[]> = {
  "src/registry/_index_manifests.ts": ["js-yaml", "valibot"],
  "src/manifest/mod.ts": ["@valibot/to-json-schema", "js-yaml", "semver", "valibot"],
  "src/sources/_resolve_jsr.ts": ["valibot"],
};

for (const [entry, expected] of Object.entries(LOADED)) {
  Deno.test(`static_imports: ${entry} loads ${expected.join(", ")}`, async () => {
    const found = await staticHeavyImports(entry);
    deepEqual([...found.keys()].sort(), expected);
  });
}

// Deno resolves the npm packages behind a literal dynamic import when the program starts (about
// 10 ms for those of a miss), so the miss path and the other commands are imported through
// specifiers built at run time. A literal import() of one of them fails here.
for (const entry of ["src/cli/main.ts", "mod.ts", "src/cli/list.ts"]) {
  Deno.test(`static_imports: starting from ${entry} resolves no npm package`, async () => {
    deepEqual(await startupPackages(entry), []);
  });
}

Deno.test("static_imports: a literal dynamic import's packages count at start-up", async () => {
  // src/manifest/mod.ts loads them statically; tests/perf/floor_read_parse.ts does too.
  deepEqual(await startupPackages("tests/perf/floor_read_parse.ts"), ["js-yaml"]);
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/lazy.ts`;
    const target = new URL("../../src/_deps/semver.ts", import.meta.url).href;
    await Deno.writeTextFile(file, `export const f = () => import("${target}");\n`);
    deepEqual(await startupPackages(file), ["semver"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// A snapshot hit (`plugins list` over local manifests) loads no network fetching, no lock
// creation and no plugin-code import: they are imported when first needed.
Deno.test("static_imports: the list command loads no fetching, locking or code import", async () => {
  const loaded = await staticModules("src/cli/list.ts");
  for (
    const file of [
      "src/sources/load_source.ts",
      "src/sources/_http.ts",
      "src/trust/create_lock.ts",
      "src/trust/verify_module.ts",
      "src/registry/_import_code.ts",
    ]
  ) ok(!loaded.some((s) => s.endsWith(file)), `src/cli/list.ts loads ${file}`);
  ok(loaded.some((s) => s.endsWith("src/sources/read_local_source.ts")));
});
