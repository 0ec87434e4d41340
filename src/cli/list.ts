import type { Diagnostic, Implementation } from "../../mod.ts";
import {
  arity,
  COMMON_OPTIONS_HELP,
  MAP_OPTIONS,
  MAP_OPTIONS_HELP,
  parseCommand,
} from "./_args.ts";
import { renderDiagnostics } from "./_diagnostics.ts";
import { type Io, paint, table } from "./_io.ts";
import { hasErrors, implementationJson, json, pluginJson } from "./_json.ts";
import {
  explainName,
  hostNote,
  openWorkspace,
  requireCategory,
  type Workspace,
} from "./_workspace.ts";
import { describeImplementation } from "./_describe.ts";

/** `plugins list --help`. */
export const LIST_HELP = `Usage: plugins list [CATEGORY [NAME]] [options]

List plugins, a category's implementations, or one implementation in full.

  plugins list                 every plugin: version, status, implementations per category, source
  plugins list CATEGORY        the category's implementations: plugin, status, description
  plugins list CATEGORY NAME   one implementation: class, module, config fields, requires, ...
                               (NAME may be qualified: PLUGIN/NAME)

Options:${MAP_OPTIONS_HELP}${COMMON_OPTIONS_HELP}

Exit status: 0, or 1 when discovery found errors or the category or name is unknown.
`;

/**
 * `plugins list [CATEGORY [NAME]]`.
 *
 * @param args The arguments after `list`.
 * @param io Where to write.
 * @returns The exit code.
 */
export async function listCommand(args: string[], io: Io): Promise<number> {
  const parsed = await parseCommand("list", args, MAP_OPTIONS, LIST_HELP, io);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  arity("list", positionals, 0, 2, "");
  const workspace = await openWorkspace("list", values, io.cwd);
  const [category, name] = positionals;
  if (category === undefined) return listPlugins(workspace, io, values.json === true);
  requireCategory(workspace, category);
  if (name === undefined) return listCategory(workspace, category, io, values.json === true);
  return listOne(workspace, category, name, io, values.json === true);
}

function finish(
  io: Io,
  diagnostics: readonly Diagnostic[],
  asJson: boolean,
  workspace: Workspace,
): number {
  if (!asJson && diagnostics.length > 0) {
    io.err(renderDiagnostics(diagnostics, io.colorErr) + hostNote(workspace, diagnostics));
  }
  return hasErrors(diagnostics) ? 1 : 0;
}

function listPlugins(workspace: Workspace, io: Io, asJson: boolean): number {
  const { registry } = workspace;
  const plugins = registry.plugins();
  const diagnostics = registry.diagnostics;
  if (asJson) {
    io.out(json({ plugins: plugins.map(pluginJson), diagnostics }));
    return finish(io, diagnostics, true, workspace);
  }
  const p = paint(io.colorOut);
  if (plugins.length === 0) {
    io.out(`No plugins in ${workspace.map.url}\n`);
  } else {
    const rows = plugins.map((plugin) => {
      const counts = pluginJson(plugin).implementations;
      const status = plugin.status === "ok" ? p.green(plugin.status) : p.red(plugin.status);
      return [
        p.bold(plugin.name) + (plugin.builtin ? p.dim(" (built-in)") : ""),
        plugin.metadata.version ?? "-",
        status,
        Object.entries(counts).map(([c, n]) => `${c}: ${n}`).join(", ") || "-",
        plugin.url,
      ];
    });
    io.out(
      table([["PLUGIN", "VERSION", "STATUS", "IMPLEMENTATIONS", "SOURCE"].map(p.dim), ...rows]),
    );
  }
  return finish(io, diagnostics, false, workspace);
}

function implementationsOf(workspace: Workspace, category: string): Implementation[] {
  return workspace.registry.plugins()
    .flatMap((plugin) => plugin.implementations)
    .filter((i) => i.category === category);
}

// Diagnostics about a category: its plugins' manifest-wide ones, and the category's own.
function diagnosticsFor(workspace: Workspace, implementations: readonly Implementation[]) {
  const plugins = new Set(implementations.map((i) => i.plugin));
  return workspace.registry.diagnostics.filter((d) => plugins.has(d.plugin));
}

function listCategory(workspace: Workspace, category: string, io: Io, asJson: boolean): number {
  const { registry } = workspace;
  const implementations = implementationsOf(workspace, category);
  const items = implementations.map((i) => implementationJson(registry, i))
    .sort((a, b) =>
      a.name.localeCompare(b.name) ||
      Number(b.status === "selected") - Number(a.status === "selected")
    );
  const diagnostics = diagnosticsFor(workspace, implementations);
  if (asJson) {
    io.out(json({ category, implementations: items, diagnostics }));
    return finish(io, diagnostics, true, workspace);
  }
  const p = paint(io.colorOut);
  if (items.length === 0) io.out(`No implementations of "${category}"\n`);
  else {
    io.out(table([
      ["NAME", "PLUGIN", "STATUS", "DESCRIPTION"].map(p.dim),
      ...items.map((i) => {
        const selected = i.status === "selected";
        const fade = selected ? (s: string) => s : p.dim;
        return [
          selected ? p.bold(i.name) : fade(i.name),
          fade(i.plugin + (i.builtin ? " (built-in)" : "")),
          selected ? p.green(i.status) : p.yellow(i.status),
          fade(i.description),
        ];
      }),
    ]));
  }
  return finish(io, diagnostics, false, workspace);
}

function listOne(
  workspace: Workspace,
  category: string,
  name: string,
  io: Io,
  asJson: boolean,
): number {
  const { registry } = workspace;
  const all = implementationsOf(workspace, category);
  // By qualified name, or the best candidate for the name (explain knows every candidate).
  const implementation = all.find((i) => i.qualifiedName === name) ??
    explainName(workspace, category, name).candidates[0]!.implementation;
  const item = implementationJson(registry, implementation);
  const diagnostics = diagnosticsFor(workspace, [implementation]);
  if (asJson) {
    io.out(json({ implementation: item, diagnostics }));
    return finish(io, diagnostics, true, workspace);
  }
  io.out(describeImplementation(item, io.colorOut));
  return finish(io, diagnostics, false, workspace);
}
