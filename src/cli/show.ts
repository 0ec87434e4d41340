import { UnknownImplementationError } from "../../mod.ts";
import {
  arity,
  CliFailure,
  COMMON_OPTIONS_HELP,
  MAP_OPTIONS,
  MAP_OPTIONS_HELP,
  parseCommand,
} from "./_args.ts";
import { renderDiagnostics } from "./_diagnostics.ts";
import { type Io, paint, table } from "./_io.ts";
import { hasErrors, implementationJson, json, permissionFlags } from "./_json.ts";
import { hostNote, openWorkspace } from "./_workspace.ts";

/** `plugins show --help`. */
export const SHOW_HELP = `Usage: plugins show PLUGIN [options]

Show one plugin (by its name in the plugin map): its metadata, where its manifest came from,
every implementation it declares with what happened to it, and its problems.

Options:${MAP_OPTIONS_HELP}${COMMON_OPTIONS_HELP}

Exit status: 0, or 1 when the plugin is unknown or has errors.
`;

/**
 * `plugins show PLUGIN`.
 *
 * @param args The arguments after `show`.
 * @param io Where to write.
 * @returns The exit code.
 */
export async function showCommand(args: string[], io: Io): Promise<number> {
  const parsed = await parseCommand("show", args, MAP_OPTIONS, SHOW_HELP, io);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  arity("show", positionals, 1, 1, "PLUGIN");
  const name = positionals[0]!;
  const workspace = await openWorkspace("show", values, io.cwd);
  const { registry } = workspace;
  const plugin = registry.plugin(name);
  if (plugin === undefined) {
    const names = registry.plugins().map((p) => p.name);
    const unknown = new UnknownImplementationError({
      category: "plugin",
      requested: name,
      available: names,
    });
    throw new CliFailure("not_found", unknown.message);
  }
  const diagnostics = registry.diagnostics.filter((d) => d.plugin === plugin.name);
  const implementations = plugin.implementations.map((i) => implementationJson(registry, i));
  const { requires, ...metadata } = plugin.metadata;
  if (values.json) {
    io.out(json({
      plugin: {
        name: plugin.name,
        builtin: plugin.builtin,
        status: plugin.status,
        specifier: plugin.specifier,
        url: plugin.url,
        jsrVersion: plugin.jsrVersion ?? null,
        integrity: plugin.integrity ?? null,
        metadata: { ...metadata, requires: { ...requires } },
        implementations,
      },
      diagnostics,
    }));
    return hasErrors(diagnostics) ? 1 : 0;
  }
  const p = paint(io.colorOut);
  const status = plugin.status === "ok" ? p.green(plugin.status) : p.red(plugin.status);
  let text = `${p.bold(plugin.name)}${metadata.version ? ` ${metadata.version}` : ""} ${status}${
    plugin.builtin ? p.dim(" (built-in)") : ""
  }\n`;
  const rows: [string, string | undefined][] = [
    ["name", metadata.name],
    ["description", metadata.description],
    ["author", metadata.author],
    ["license", metadata.license],
    ["homepage", metadata.homepage],
    ["requires", Object.entries(requires).map(([n, r]) => `${n} ${r}`).join(", ") || undefined],
    ["specifier", plugin.specifier],
    ["manifest", plugin.url],
    ["jsr version", plugin.jsrVersion],
    ["integrity", plugin.integrity],
  ];
  text += table(rows.flatMap(([k, v]) => v === undefined ? [] : [[p.dim(`${k}:`), v]]), "  ");
  if (implementations.length === 0) text += `  ${p.dim("implementations:")} none\n`;
  else {
    text += `  ${p.dim("implementations:")}\n`;
    text += table([
      ["CATEGORY", "NAME", "STATUS", "PERMISSIONS", "DESCRIPTION"].map(p.dim),
      ...implementations.map((i) => [
        i.category,
        p.bold(i.name),
        i.status === "selected" ? p.green(i.status) : p.yellow(i.status),
        permissionFlags(i.permissions),
        i.description,
      ]),
    ], "    ");
  }
  io.out(text);
  if (diagnostics.length > 0) {
    io.err(renderDiagnostics(diagnostics, io.colorErr) + hostNote(workspace, diagnostics));
  }
  return hasErrors(diagnostics) ? 1 : 0;
}
