/**
 * Which heavy npm packages a module loads statically, and through which chain of imports.
 * A snapshot hit should load no YAML parser, no schema library, no semver (CommonJS: it
 * starts Deno's Node layer, ~24-29 ms) and no `node:` built-in; a dynamic `import()` does not count, a static one does.
 * Reads the graph from `deno info --json`, so it sees what Deno would load, not what grep finds.
 *
 *   deno run -A tests/perf/static_imports.ts mod.ts src/cli/list.ts
 */

/**
 * The packages a snapshot hit should not load; every `node:` built-in counts too (the first one
 * loaded starts Deno's Node layer: node:util, node:path and node:url cost about 7 ms together).
 */
export const HEAVY = ["semver", "js-yaml", "valibot", "@valibot/to-json-schema"] as const;

type Dependency = { code?: { specifier?: string }; isDynamic?: boolean };
type Graph = {
  roots: string[];
  modules: { specifier: string; dependencies?: Dependency[] }[];
  redirects?: Record<string, string>;
};

async function graphOf(entry: string): Promise<Graph> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(`deno info ${entry}: ${new TextDecoder().decode(output.stderr)}`);
  }
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

// Every module reachable from the graph's roots, each with the module that first reached it.
function walk(graph: Graph, dynamic: boolean): { seen: Set<string>; parent: Map<string, string> } {
  const modules = new Map(graph.modules.map((m) => [m.specifier, m]));
  const parent = new Map<string, string>();
  const queue = [...graph.roots];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const at = queue.shift()!;
    const module = modules.get(graph.redirects?.[at] ?? at);
    for (const dependency of module?.dependencies ?? []) {
      const next = dependency.code?.specifier;
      if (next === undefined || (dependency.isDynamic && !dynamic) || seen.has(next)) continue;
      seen.add(next);
      parent.set(next, at);
      queue.push(next);
    }
  }
  return { seen, parent };
}

/**
 * The npm packages Deno resolves when a program starts from `entry`. Deno follows a dynamic
 * `import("./x.ts")` with a literal specifier at start-up as it follows a static import (it
 * resolves, never runs, what is below it), so a package behind one costs a run that never
 * imports it; a specifier built at run time (`importLazily`) is not followed.
 */
export async function startupPackages(entry: string): Promise<string[]> {
  const { seen } = walk(await graphOf(entry), true);
  const names = [...seen].map((s) => /^npm:\/?((?:@[^/@]+\/)?[^/@]+)/.exec(s)?.[1]);
  return [...new Set(names.filter((name) => name !== undefined))].sort();
}

/** Every module `entry` loads statically (specifiers). */
export async function staticModules(entry: string): Promise<string[]> {
  return [...walk(await graphOf(entry), false).seen];
}

/** For each heavy package `entry` loads statically: one chain of imports from `entry` to it. */
export async function staticHeavyImports(entry: string): Promise<Map<string, string[]>> {
  const { seen, parent } = walk(await graphOf(entry), false);
  const found = new Map<string, string[]>();
  for (const specifier of seen) {
    const name = specifier.startsWith("node:")
      ? specifier
      : /^npm:\/?((?:@[^/@]+\/)?[^/@]+)/.exec(specifier)?.[1];
    if (name === undefined) continue;
    if (!name.startsWith("node:") && !(HEAVY as readonly string[]).includes(name)) continue;
    const chain = [specifier];
    for (let up = parent.get(specifier); up !== undefined; up = parent.get(up)) chain.unshift(up);
    found.set(name, chain.map((s) => s.replace(/^file:\/\/.*?\/(src|mod\.ts)/, "$1")));
  }
  return found;
}

if (import.meta.main) {
  for (const entry of Deno.args) {
    const found = await staticHeavyImports(entry);
    console.log(`${entry}: ${found.size === 0 ? "no heavy package" : ""}`);
    for (const [name, chain] of found) console.log(`  ${name}: ${chain.join(" -> ")}`);
    console.log(`  resolved at start-up: ${(await startupPackages(entry)).join(", ") || "none"}`);
  }
}
