import {
  arity,
  COMMON_OPTIONS_HELP,
  MAP_OPTIONS,
  MAP_OPTIONS_HELP,
  parseCommand,
} from "./_args.ts";
import { renderDiagnostics } from "./_diagnostics.ts";
import { type Io, paint, table } from "./_io.ts";
import { implementationJson, json } from "./_json.ts";
import { explainName, hostNote, openWorkspace, requireCategory } from "./_workspace.ts";

/** `plugins explain --help`. */
export const EXPLAIN_HELP = `Usage: plugins explain CATEGORY NAME [options]

Explain which implementation NAME resolves to in CATEGORY, and why every other candidate lost
or was skipped: a plugin beats a built-in, higher priority wins, ties go to plugin map order;
disabled, incompatible and broken candidates are skipped.

Options:${MAP_OPTIONS_HELP}${COMMON_OPTIONS_HELP}

Exit status: 0 when NAME resolves, 1 when it does not (unknown, or no usable candidate).
`;

/**
 * `plugins explain CATEGORY NAME`.
 *
 * @param args The arguments after `explain`.
 * @param io Where to write.
 * @returns The exit code.
 */
export async function explainCommand(args: string[], io: Io): Promise<number> {
  const parsed = await parseCommand("explain", args, MAP_OPTIONS, EXPLAIN_HELP, io);
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  arity("explain", positionals, 2, 2, positionals.length === 0 ? "CATEGORY and NAME" : "NAME");
  const [category, name] = positionals as [string, string];
  const workspace = await openWorkspace("explain", values, io.cwd);
  const { registry } = workspace;
  requireCategory(workspace, category);
  const explanation = explainName(workspace, category, name);
  const plugins = new Set(explanation.candidates.map((c) => c.implementation.plugin));
  const diagnostics = registry.diagnostics.filter((d) => plugins.has(d.plugin));
  const candidates = explanation.candidates.map((c) =>
    implementationJson(registry, c.implementation)
  );
  const code = explanation.selected === undefined ? 1 : 0;
  if (values.json) {
    io.out(json({
      category,
      name,
      selected: explanation.selected?.qualifiedName ?? null,
      candidates,
      diagnostics,
    }));
    return code;
  }
  const p = paint(io.colorOut);
  const selected = explanation.selected;
  io.out(
    selected
      ? `${category} "${name}" resolves to ${
        p.bold(selected.qualifiedName)
      } (${selected.module}#${selected.exportName})\n`
      : `${category} "${name}" does not resolve: ${p.red("no usable candidate")}\n`,
  );
  io.out(table(
    candidates.map((c) => [
      c.status === "selected" ? p.green(c.status) : p.yellow(c.status),
      c.qualifiedName + (c.builtin ? p.dim(" (built-in)") : ""),
      `priority ${c.priority}`,
      c.reason,
    ]),
    "  ",
  ));
  if (diagnostics.length > 0) {
    io.err(renderDiagnostics(diagnostics, io.colorErr) + hostNote(workspace, diagnostics));
  }
  return code;
}
