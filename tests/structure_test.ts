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

async function sourceFiles(dir: string, pattern = /\.ts$/): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) files.push(...await sourceFiles(path, pattern));
    else if (pattern.test(entry.name)) files.push(path);
  }
  return files;
}

// Every relative import and re-export of every file under src/, as paths from the repository.
async function imports(): Promise<Edge[]> {
  const edges: Edge[] = [];
  for (const file of await sourceFiles(join(ROOT, "src"))) {
    // A scaffold's templates are a plugin's code, read as text: they import the package's entry
    // points as a plugin does (by a relative path here, by name once scaffolded).
    if (file.includes("/templates/")) continue;
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

// The benchmark's parts: its sub-folders, its shared base (src/bench/_*.ts, types.ts) and its
// entry points (main.ts, serve.ts, mod.ts, ...), which alone may import everything.
// A sub-folder's `types.ts` that imports nothing (declarations only) belongs to the base too, so
// the shared result types may name it.
const DECLARATIONS = new Set<string>();
for await (const entry of Deno.readDir(join(ROOT, "src/bench"))) {
  const path = `src/bench/${entry.name}/types.ts`;
  if (!entry.isDirectory) continue;
  const text = await Deno.readTextFile(join(ROOT, path)).catch(() => undefined);
  if (text !== undefined && !/^(?:import|export)\b[^;]*?from\s+"/m.test(text)) {
    DECLARATIONS.add(path);
  }
}

function benchPart(path: string): string | undefined {
  const parts = path.split("/");
  if (parts[0] !== "src" || parts[1] !== "bench") return undefined;
  if (DECLARATIONS.has(path)) return "(base)";
  if (parts.length > 3) return parts[2];
  return parts[2]!.startsWith("_") || parts[2] === "types.ts" ? "(base)" : "(entry)";
}

// Each cycle among the parts, written as its file edges: "config → server:
// src/bench/config/types.ts imports src/bench/server/start_server.ts".
function cycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, Map<string, Edge>>();
  for (const edge of edges) {
    const [a, b] = [benchPart(edge.from), benchPart(edge.to)];
    if (a === undefined || b === undefined || a === b) continue;
    if (!next.has(a)) next.set(a, new Map());
    if (!next.get(a)!.has(b)) next.get(a)!.set(b, edge);
  }
  const found: string[][] = [];
  const seen = new Set<string>();
  const walk = (part: string, path: string[]) => {
    for (const [to, edge] of next.get(part) ?? []) {
      const at = path.indexOf(to);
      const step = `${part} → ${to}: ${edge.from} imports ${edge.to}`;
      if (at >= 0) {
        const key = [...path.slice(at)].sort().join(",");
        if (!seen.has(key)) {
          seen.add(key);
          found.push([...cycleSteps(path.slice(at), next), step]);
        }
      } else walk(to, [...path, to]);
    }
  };
  for (const part of next.keys()) walk(part, [part]);
  return found;
}

function cycleSteps(path: readonly string[], next: Map<string, Map<string, Edge>>): string[] {
  return path.slice(0, -1).map((part, i) => {
    const edge = next.get(part)!.get(path[i + 1]!)!;
    return `${part} → ${path[i + 1]}: ${edge.from} imports ${edge.to}`;
  });
}

Deno.test("structure: the benchmark's folders import one way, with no cycle", async () => {
  const edges = await imports();
  const found = cycles(edges);
  deepEqual(
    found,
    [],
    `a cycle among src/bench's folders:\n${found.map((c) => "  " + c.join("\n  ")).join("\n\n")}`,
  );
  // Nothing imports an entry point; the shared base imports no folder of the bench.
  const wrong = edges.filter(({ from, to }) => {
    const [a, b] = [benchPart(from), benchPart(to)];
    return a !== undefined && b !== undefined && a !== b &&
      (b === "(entry)" || (a === "(base)" && b !== "_deps"));
  }).map(({ from, to }) => `${from} imports ${to}`);
  deepEqual(
    wrong,
    [],
    `an import into a bench entry point, or from the bench's base upwards:\n  ${
      wrong.join("\n  ")
    }`,
  );
});

// Inside the benchmark each sub-folder is a part: its `_` files are used only inside it.
Deno.test("structure: a benchmark folder's _ files are imported only from inside it", async () => {
  const crossing = (await imports()).filter(({ from, to }) =>
    to.startsWith("src/bench/") && /\/_[^/]*\.ts$/.test(to) &&
    !dirname(from).startsWith(dirname(to))
  ).map(({ from, to }) => `${from} imports ${to}`);
  deepEqual(
    crossing,
    [],
    "a `_` file used from outside its folder; make it public (or re-export it from a public " +
      `file of its folder):\n  ${crossing.join("\n  ")}`,
  );
});

// tests/bench mirrors src/bench: a test of one part sits in the folder of that part, so a
// maintainer finds it where the code is. Tests of the whole command stay at tests/bench's top;
// servers/ and aiperf_scripts/ hold the independent servers and scripts the tests run.
Deno.test("structure: tests/bench mirrors src/bench's folders", async () => {
  const helpers = new Set(["servers", "aiperf_scripts"]);
  const stray: string[] = [];
  for await (const entry of Deno.readDir(join(ROOT, "tests", "bench"))) {
    if (!entry.isDirectory || helpers.has(entry.name)) continue;
    const source = await Deno.stat(join(ROOT, "src", "bench", entry.name)).catch(() => null);
    if (!source?.isDirectory) stray.push(`tests/bench/${entry.name}/`);
  }
  deepEqual(stray, [], "a test folder with no src/bench folder of the same name");
});

// The manifest, sources and trust folders have a second door, core.ts: the part of each that a
// discovery of local manifests needs (no YAML parser, schema library or semver; no network
// fetching; no lock creation or module checks), so a snapshot hit loads no more than that. The
// manifest folder has a third, parse.ts: what a miss needs to parse manifests, without semver
// unless a version or range is not plain.
const CORES = ["/manifest/core.ts", "/manifest/parse.ts", "/sources/core.ts", "/trust/core.ts"];

Deno.test("structure: other folders reach a library folder only through its mod.ts", async () => {
  const around = (await imports()).filter(({ from, to }) => {
    const target = folderOf(to);
    return LIBRARY.includes(target) && folderOf(from) !== target && !to.endsWith("/mod.ts") &&
      !CORES.some((core) => to.endsWith(core));
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

// No function in src/ is longer than 100 lines (declarations, methods, accessors, constructors,
// function expressions and arrows alike, from the first line of the signature to the closing
// brace): a longer one is split into named steps. Templates count too: they are code, and so
// are the browser scripts (.js), whose whole-file wrapper `(function () { ... })();` is their
// module scope, not a function.
Deno.test("structure: no function in src/ is longer than 100 lines", async () => {
  const { default: ts } = await import("npm:typescript@5.9.3");
  type Node = import("npm:typescript@5.9.3").Node;
  const wrapper = (node: Node) =>
    ts.isFunctionExpression(node) && ts.isParenthesizedExpression(node.parent) &&
    ts.isCallExpression(node.parent.parent) &&
    ts.isExpressionStatement(node.parent.parent.parent) &&
    ts.isSourceFile(node.parent.parent.parent.parent);
  const long: string[] = [];
  for (const file of await sourceFiles(join(ROOT, "src"), /\.(ts|js)$/)) {
    const text = await Deno.readTextFile(file);
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const line = (position: number) => source.getLineAndCharacterOfPosition(position).line;
    const visit = (node: Node) => {
      if (ts.isFunctionLike(node) && "body" in node && node.body !== undefined && !wrapper(node)) {
        const start = line(node.getStart(source));
        const lines = line(node.end) - start + 1;
        if (lines > 100) {
          const named = node.name ?? (node.parent as { name?: typeof node.name }).name;
          const name = named?.getText(source) ?? "(anonymous)";
          long.push(`${relative(ROOT, file)}:${start + 1} ${name}: ${lines} lines`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  deepEqual(
    long,
    [],
    `functions over 100 lines; split them into named steps:\n  ${long.join("\n  ")}`,
  );
});
