import { type Implementation, parsePluginMap, type PluginMap } from "../../mod.ts";
import { findYamlPosition, isPluginName, tryParseManifest } from "../../src/manifest/mod.ts";
import { loadSource, toUrl } from "../../src/sources/mod.ts";
import { COMMON_OPTIONS_HELP, MAP_OPTIONS, MAP_OPTIONS_HELP, parseCommand } from "./_args.ts";
import { type CliDiagnostic, countProblems, renderDiagnostics } from "./_diagnostics.ts";
import { readExports } from "./_exports.ts";
import { type Io, paint } from "./_io.ts";
import { hasErrors, json } from "./_json.ts";
import { openWorkspace } from "./_workspace.ts";

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

// What a manifest calls itself, read ahead so its plugin can be named after it; problems are
// left for discovery to report.
async function declaredName(url: URL): Promise<string | undefined> {
  try {
    const result = tryParseManifest((await loadSource(url)).text, { url });
    return result.ok ? result.manifest.plugin.name : undefined;
  } catch {
    return undefined;
  }
}

// Manifests named on the command line become a plugin map of their own, each plugin named as
// its manifest names itself (so "requires" between them work), else after its file.
async function mapOfFiles(files: readonly string[], cwd: string): Promise<PluginMap> {
  const urls = files.map((file) => toUrl(file, cwd));
  const names = await Promise.all(urls.map(declaredName));
  const used = new Set<string>();
  const entries = urls.map((url, i) => {
    const stem = url.href.split("/").slice(-2).join("-").replace(/\.ya?ml$/i, "").replace(
      /[^\w.-]/g,
      "_",
    );
    const candidates = [names[i], stem, `manifest${i + 1}`];
    let name = candidates.find((n) => n !== undefined && isPluginName(n) && !used.has(n)) ??
      `manifest${i + 1}`;
    for (let n = 2; used.has(name); n++) name = `manifest${i + 1}-${n}`;
    used.add(name);
    return [name, url.href];
  });
  return parsePluginMap(Object.fromEntries(entries), { url: toUrl("./", cwd) });
}

async function manifestText(url: string): Promise<string> {
  try {
    return (await loadSource(new URL(url))).text;
  } catch {
    return "";
  }
}

// Checks that every class's module resolves and has the named export; a problem points at the
// `class:` key, or at the value of the shorthand `name: <class>` (discovery positions its own).
async function importDiagnostics(
  implementations: readonly Implementation[],
): Promise<CliDiagnostic[]> {
  const exports = await readExports([...new Set(implementations.map((i) => i.module))]);
  const texts = new Map<string, Promise<string>>();
  const diagnostics: CliDiagnostic[] = [];
  for (const i of implementations) {
    const found = exports.get(i.module);
    if (found === undefined || ("exports" in found && found.exports.has(i.exportName))) continue;
    if (!texts.has(i.manifestUrl)) texts.set(i.manifestUrl, manifestText(i.manifestUrl));
    const text = await texts.get(i.manifestUrl)!;
    const problem: Pick<CliDiagnostic, "code" | "message"> = "error" in found
      ? { code: "import_failed", message: `Cannot resolve "${i.module}": ${found.error}` }
      : {
        code: "export_missing",
        message: `"${i.module}" has no export "${i.exportName}"; it exports: ${
          [...found.exports].sort().join(", ") || "nothing"
        }`,
      };
    diagnostics.push({
      severity: "error",
      plugin: i.plugin,
      url: i.manifestUrl,
      ...findYamlPosition(text, [i.category, i.name, "class"], { key: true }),
      path: `${i.category}.${i.name}.class`,
      ...problem,
    });
  }
  return diagnostics;
}

/**
 * `plugins validate [MANIFEST ...]`.
 *
 * @param args The arguments after `validate`.
 * @param io Where to write.
 * @returns The exit code.
 */
export async function validateCommand(args: string[], io: Io): Promise<number> {
  const parsed = await parseCommand(
    "validate",
    args,
    { ...MAP_OPTIONS, imports: { type: "boolean" } },
    VALIDATE_HELP,
    io,
  );
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  const files = positionals.length > 0 ? await mapOfFiles(positionals, io.cwd) : undefined;
  const { registry } = await openWorkspace("validate", values, io.cwd, files);
  const plugins = registry.plugins();
  const implementations = plugins.flatMap((p) => p.implementations).filter((i) => i.module !== "");
  const diagnostics: CliDiagnostic[] = [
    ...registry.diagnostics,
    ...values.imports ? await importDiagnostics(implementations) : [],
  ];
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
