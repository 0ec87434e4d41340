/** What `deno doc` found for one module: its export names, or why it could not be read. */
export type ModuleExports = { exports: Set<string> } | { error: string };

interface DocSymbol {
  name: string;
  declarationKind?: string;
  declarations?: { declarationKind?: string }[];
}

async function denoDoc(modules: readonly string[]): Promise<
  { ok: true; nodes: Map<string, Set<string>> } | { ok: false; error: string }
> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", "--quiet", "--allow-import", ...modules],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
    env: { NO_COLOR: "1" },
  }).output();
  if (!output.success) {
    const text = new TextDecoder().decode(output.stderr).trim();
    const line = text.split("\n").find((l) => /error/i.test(l)) ?? text.split("\n")[0] ?? "";
    return { ok: false, error: line.replace(/^error:\s*/i, "").trim() || "deno doc failed" };
  }
  const doc = JSON.parse(new TextDecoder().decode(output.stdout)) as unknown;
  const nodes = new Map<string, Set<string>>();
  // Deno 2.x prints { version, nodes: { [specifier]: { symbols } } }; older ones a flat list.
  if (Array.isArray(doc)) {
    nodes.set(modules[0]!, new Set((doc as DocSymbol[]).map((n) => n.name)));
  } else {
    const byModule = (doc as { nodes?: Record<string, { symbols?: DocSymbol[] }> }).nodes ?? {};
    for (const [specifier, node] of Object.entries(byModule)) {
      nodes.set(
        specifier,
        new Set(
          (node.symbols ?? [])
            .filter((s) =>
              s.declarations === undefined ||
              s.declarations.some((d) => d.declarationKind !== "private")
            )
            .map((s) => s.name),
        ),
      );
    }
  }
  return { ok: true, nodes };
}

/**
 * The export names of modules, read statically by `deno doc` (the module graph is fetched and
 * parsed; no plugin code runs).
 */
export async function readExports(modules: readonly string[]): Promise<Map<string, ModuleExports>> {
  const result = new Map<string, ModuleExports>();
  if (modules.length === 0) return result;
  const all = await denoDoc(modules);
  if (all.ok) {
    for (const module of modules) {
      const exports = all.nodes.get(module) ??
        (modules.length === 1 ? [...all.nodes.values()][0] : undefined);
      result.set(module, exports ? { exports } : { error: "deno doc did not document it" });
    }
    return result;
  }
  // One module broke the whole graph: check them one by one to say which.
  for (const module of modules) {
    const one = modules.length === 1 ? all : await denoDoc([module]);
    result.set(
      module,
      one.ok ? { exports: [...one.nodes.values()][0] ?? new Set() } : { error: one.error },
    );
  }
  return result;
}
