import { type Diagnostic, loadSource, parsePluginMap, type PluginMap } from "../../mod.ts";
import { COMMON_OPTIONS_HELP, MAP_OPTIONS, MAP_OPTIONS_HELP, parseCommand } from "./_args.ts";
import { countProblems, renderDiagnostics } from "./_diagnostics.ts";
import { readExports } from "./_exports.ts";
import { type Io, paint } from "./_io.ts";
import { hasErrors, json } from "./_json.ts";
import { openWorkspace, peekAll, readMap, toUrl } from "./_workspace.ts";

/** `plugins validate --help`. */
export const VALIDATE_HELP = `Usage: plugins validate [MANIFEST ...] [options]

Validate manifests (files or URLs; default: every manifest of the plugin map) without running
plugin code: fetching, YAML, the manifest schema, class specifiers, metadata, requires and
priority ties. Every problem prints as URL:line:column: severity: path: message [code].

Options:
  --imports             Also resolve every class specifier and check that the named export
                        exists (read statically with "deno doc": no plugin code runs)${MAP_OPTIONS_HELP}${COMMON_OPTIONS_HELP}

Exit status: 0 when no errors are found (warnings allowed), 1 otherwise.
`;

const PLUGIN_NAME = /^@?[A-Za-z0-9][\w.-]*(?:\/[\w.-]+)?$/;

// Manifests named on the command line become a plugin map of their own, each plugin named as
// its manifest names itself (so "requires" between them work), else after its file.
async function mapOfFiles(files: readonly string[], cwd: string): Promise<PluginMap> {
  const urls = files.map((file) => toUrl(file, cwd).href);
  const base = toUrl(".", cwd).href;
  const provisional = parsePluginMap(
    Object.fromEntries(urls.map((url, i) => [`manifest${i + 1}`, url])),
    { url: base },
  );
  const peeks = await peekAll(provisional);
  const used = new Set<string>();
  const entries = urls.map((url, i) => {
    const stem = url.split("/").slice(-2).join("-").replace(/\.ya?ml$/i, "").replace(
      /[^\w.-]/g,
      "_",
    );
    const candidates = [peeks[i]?.name, stem, `manifest${i + 1}`];
    let name = candidates.find((n) => n !== undefined && PLUGIN_NAME.test(n) && !used.has(n)) ??
      `manifest${i + 1}`;
    for (let n = 2; used.has(name); n++) name = `manifest${i + 1}-${n}`;
    used.add(name);
    return [name, url];
  });
  return parsePluginMap(Object.fromEntries(entries), { url: base });
}

// Where an implementation's class is written, for import problems (discovery positions its own):
// the `class:` line under `category:` / `name:`, else the shorthand `name: <class>` line.
function locateClass(
  text: string,
  category: string,
  name: string,
): { line: number; column: number } | Record<never, never> {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l === `${category}:` || l.startsWith(`${category}: `));
  if (start < 0) return {};
  for (let i = start + 1; i < lines.length && !/^\S/.test(lines[i]!); i++) {
    const match = /^(\s+)(["']?)([\w-]+)\2\s*:(.*)$/.exec(lines[i]!);
    if (match?.[3] !== name) continue;
    const indent = match[1]!.length;
    if (match[4]!.trim() !== "" && !match[4]!.trim().startsWith("#")) {
      return {
        line: i + 1,
        column: lines[i]!.indexOf(":", indent) + 2 +
          (match[4]!.length - match[4]!.trimStart().length),
      };
    }
    for (let j = i + 1; j < lines.length; j++) {
      const inner = /^(\s+)class\s*:/.exec(lines[j]!);
      if (inner && inner[1]!.length > indent) return { line: j + 1, column: inner[1]!.length + 1 };
      if (/^\s*\S/.test(lines[j]!) && lines[j]!.search(/\S/) <= indent) break;
    }
    return { line: i + 1, column: indent + 1 };
  }
  return {};
}

async function manifestText(url: string): Promise<string> {
  try {
    return (await loadSource(new URL(url))).text;
  } catch {
    return "";
  }
}

/**
 * `plugins validate [MANIFEST ...]`.
 *
 * @param args The arguments after `validate`.
 * @param io Where to write.
 * @returns The exit code.
 */
export async function validateCommand(args: string[], io: Io): Promise<number> {
  const parsed = parseCommand(
    "validate",
    args,
    { ...MAP_OPTIONS, imports: { type: "boolean" } },
    VALIDATE_HELP,
    io,
  );
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  const map = positionals.length > 0
    ? await mapOfFiles(positionals, io.cwd)
    : await readMap(values, io.cwd);
  const { registry } = await openWorkspace("validate", values, io.cwd, map);
  const plugins = registry.plugins();
  const diagnostics: Diagnostic[] = [...registry.diagnostics];
  const implementations = plugins.flatMap((p) => p.implementations).filter((i) => i.module !== "");
  if (values.imports) {
    const exports = await readExports([...new Set(implementations.map((i) => i.module))]);
    const texts = new Map<string, Promise<string>>();
    for (const i of implementations) {
      const found = exports.get(i.module);
      if (found === undefined || ("exports" in found && found.exports.has(i.exportName))) continue;
      if (!texts.has(i.manifestUrl)) texts.set(i.manifestUrl, manifestText(i.manifestUrl));
      const at = {
        severity: "error" as const,
        plugin: i.plugin,
        url: i.manifestUrl,
        ...locateClass(await texts.get(i.manifestUrl)!, i.category, i.name),
        path: `${i.category}.${i.name}.class`,
      };
      if (found === undefined) continue;
      if ("error" in found) {
        diagnostics.push({
          ...at,
          code: "import_failed",
          message: `Cannot resolve "${i.module}": ${found.error}`,
        } as unknown as Diagnostic);
      } else if (!found.exports.has(i.exportName)) {
        const names = [...found.exports].sort().join(", ") || "nothing";
        diagnostics.push({
          ...at,
          code: "export_missing",
          message: `"${i.module}" has no export "${i.exportName}"; it exports: ${names}`,
        } as unknown as Diagnostic);
      }
    }
  }
  const valid = !hasErrors(diagnostics);
  if (values.json) {
    io.out(json({
      valid,
      manifests: plugins.map((p) => ({
        name: p.name,
        specifier: p.specifier,
        url: p.url,
        status: p.status,
        implementations: p.implementations.length,
      })),
      diagnostics,
    }));
    return valid ? 0 : 1;
  }
  const p = paint(io.colorOut);
  io.out(renderDiagnostics(diagnostics, io.colorOut));
  const what = `${plugins.length} manifest${
    plugins.length === 1 ? "" : "s"
  }, ${implementations.length} implementation${implementations.length === 1 ? "" : "s"}${
    values.imports ? " (with imports)" : ""
  }`;
  io.out(
    diagnostics.length === 0
      ? `${p.green("ok")}: checked ${what}\n`
      : `${valid ? p.yellow("ok") : p.red("failed")}: checked ${what}: ${
        countProblems(diagnostics)
      }\n`,
  );
  return valid ? 0 : 1;
}
