// The layout the README describes, checked from the code's own imports so it cannot drift:
// folders depend one way, a folder's `_` files are its own, the command line and the
// benchmark use the library only through mod.ts or a subpath's mod.ts, and the root export
// stays a host's API.
import { deepEqual, ok } from "node:assert/strict";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const LIBRARY = ["config", "sources", "manifest", "trust", "registry"];

interface Edge {
  from: string;
  to: string;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) files.push(...await sourceFiles(path));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files;
}

// Every relative import and re-export of every file under src/, as paths from the repository.
async function imports(): Promise<Edge[]> {
  const edges: Edge[] = [];
  for (const file of await sourceFiles(join(ROOT, "src"))) {
    const text = await Deno.readTextFile(file);
    // Only real statements: a line that starts with import/export (not doc examples).
    for (const [, specifier] of text.matchAll(/^(?:import|export)\b[^;]*?from\s+"(\.[^"]+)"/gms)) {
      edges.push({
        from: relative(ROOT, file),
        to: relative(ROOT, join(dirname(file), specifier!)),
      });
    }
  }
  return edges;
}

// src/<folder>/... -> <folder>; mod.ts at the root -> "mod.ts".
function folderOf(path: string): string {
  const parts = path.split("/");
  return parts[0] === "src" ? parts[1]! : parts[0]!;
}

Deno.test("structure: library folders import one way, with no cycle", async () => {
  const order = ["_deps", "_util", ...LIBRARY];
  const backwards = (await imports()).filter(({ from, to }) => {
    const a = order.indexOf(folderOf(from));
    const b = order.indexOf(folderOf(to));
    return a >= 0 && b >= 0 && a !== b && b > a;
  });
  deepEqual(backwards, [], "an import runs against config → sources → manifest → trust → registry");
});

// A part of src/ (the benchmark has sub-folders) shares its `_` files with nobody else.
Deno.test("structure: a folder's _ files are imported only from that folder", async () => {
  const crossing = (await imports()).filter(({ from, to }) =>
    /(^|\/)_[^/]*\.ts$/.test(to) && folderOf(from) !== folderOf(to)
  );
  deepEqual(crossing, []);
});

Deno.test("structure: other folders reach a library folder only through its mod.ts", async () => {
  const around = (await imports()).filter(({ from, to }) => {
    const target = folderOf(to);
    return LIBRARY.includes(target) && folderOf(from) !== target && !to.endsWith("/mod.ts");
  });
  deepEqual(around, []);
  // The command line and the benchmark do not reach the private helpers either.
  const helpers = (await imports()).filter(({ from, to }) =>
    ["cli", "bench"].includes(folderOf(from)) && folderOf(to) === "_util"
  );
  deepEqual(helpers, []);
});

Deno.test("structure: the root export is a host's API of at most 40 symbols", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", join(ROOT, "mod.ts")],
    stdout: "piped",
    stderr: "null",
  }).output();
  ok(output.success, "deno doc mod.ts failed");
  const doc = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    nodes: Record<string, { symbols: { name: string }[] }>;
  };
  const names = Object.values(doc.nodes).flatMap((node) => node.symbols.map((s) => s.name));
  ok(names.length <= 40, `the root export has ${names.length} symbols: ${names.sort().join(", ")}`);
  for (const name of ["createRegistry", "Registry", "Factory", "parsePluginMap", "Diagnostic"]) {
    ok(names.includes(name), `the root export lacks ${name}`);
  }
  for (const tooling of ["parseManifest", "loadSource", "createLock", "isLoopback", "toUrl"]) {
    ok(!names.includes(tooling), `${tooling} is tooling: it belongs on a subpath`);
  }
});

// Each library entry point on its own, as a reader of one subpath's docs sees it: every type its
// API names is exported there too (linted together, such private-type-ref errors do not show).
Deno.test("structure: deno doc --lint is clean for each library entry point", async () => {
  const entries = ["mod.ts", "manifest", "sources", "trust"].map((e) =>
    e.endsWith(".ts") ? e : `src/${e}/mod.ts`
  );
  for (const entry of [...entries, "src/cli/main.ts"]) {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["doc", "--lint", join(ROOT, entry)],
      env: { NO_COLOR: "1" },
      stdout: "null",
      stderr: "piped",
    }).output();
    ok(output.success, `${entry}:\n${new TextDecoder().decode(output.stderr)}`);
  }
});
