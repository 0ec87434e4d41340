import { CORE_SCHEMA, load } from "js-yaml";
import {
  ConfigError,
  createRegistry,
  type Diagnostic,
  type HostInfo,
  loadPluginMap,
  loadSource,
  type PluginMap,
  type Registry,
  resolvePluginSpecifier,
  tryParseManifest,
} from "../../mod.ts";
import { CliFailure, UsageError } from "./_args.ts";
import { PLUGMAP_VERSION } from "./_version.ts";

/** The map options as parsed. */
export interface MapFlags {
  map?: string | undefined;
  host?: string | undefined;
  categories?: string | undefined;
  builtins?: string | undefined;
}

/** A discovered registry and what it was built from. */
export interface Workspace {
  registry: Registry;
  map: PluginMap;
  host: HostInfo;
  /** Where each category came from: `--categories`, or the plugins declaring it. */
  categories: string[];
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Turns a path or URL typed by a person into a URL. */
export function toUrl(text: string, cwd: string): URL {
  if (SCHEME.test(text) && !/^[a-z]:[\\/]/i.test(text)) return new URL(text);
  const base = new URL(`file://${cwd.endsWith("/") ? cwd : `${cwd}/`}`);
  return new URL(text.replaceAll("%", "%25").replaceAll("#", "%23").replaceAll("?", "%3F"), base);
}

/** Parses `--host name@version` (the name may be scoped: `@acme/app@1.2.0`). */
export function parseHost(command: string, text: string): HostInfo {
  const at = text.lastIndexOf("@");
  if (at <= 0) throw new UsageError(command, `Invalid --host "${text}": expected NAME@VERSION`);
  const name = text.slice(0, at);
  const version = text.slice(at + 1);
  if (!/^\d+\.\d+\.\d+(?:[-+].*)?$/.test(version)) {
    throw new UsageError(command, `Invalid --host "${text}": "${version}" is not a semver version`);
  }
  return { name, version };
}

/** Removes JSONC comments and trailing commas outside strings. */
function stripJsonc(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      out += text.slice(start, i + 1);
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, "$1");
}

// The host is the project whose map this is: its "name" and "version" (deno.json has both).
async function hostOf(url: URL): Promise<HostInfo | undefined> {
  try {
    const text = await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).text();
    const doc = /\.ya?ml$/i.test(url.pathname)
      ? load(text, { schema: CORE_SCHEMA })
      : JSON.parse(stripJsonc(text));
    const { name, version } = (doc ?? {}) as Record<string, unknown>;
    if (typeof name === "string" && typeof version === "string") return { name, version };
  } catch {
    // loadPluginMap reports unreadable documents.
  }
  return undefined;
}

/** The plugin map document: `--map`, else `./deno.json`, else `./deno.jsonc`. */
export async function mapUrl(flags: MapFlags, cwd: string): Promise<URL> {
  if (flags.map !== undefined) return toUrl(flags.map, cwd);
  const json = toUrl("deno.json", cwd);
  const jsonc = toUrl("deno.jsonc", cwd);
  try {
    await Deno.stat(json);
    return json;
  } catch {
    try {
      await Deno.stat(jsonc);
      return jsonc;
    } catch {
      return json;
    }
  }
}

/** Map problems as diagnostics, so they print like every other problem. */
export function configDiagnostics(error: ConfigError): Diagnostic[] {
  return error.issues.map((issue) => ({
    code: "invalid_map",
    severity: "error",
    plugin: "",
    url: error.source,
    ...(issue.path ? { path: issue.path } : {}),
    message: issue.message,
  }));
}

/** The plugin map could not be read: the problems, as diagnostics. */
export class MapFailure extends CliFailure {
  readonly diagnostics: Diagnostic[];

  constructor(diagnostics: Diagnostic[]) {
    super("invalid_map", `Cannot use the plugin map "${diagnostics[0]?.url}"`);
    this.diagnostics = diagnostics;
  }
}

/** Reads the plugin map, or fails with its problems. */
export async function readMap(flags: MapFlags, cwd: string): Promise<PluginMap> {
  const url = await mapUrl(flags, cwd);
  try {
    return await loadPluginMap(url);
  } catch (error) {
    if (error instanceof ConfigError) throw new MapFailure(configDiagnostics(error));
    throw error;
  }
}

interface Peek {
  name?: string | undefined;
  categories: string[];
}

// Reads a manifest without reporting anything: discovery reports its problems later.
async function peek(url: () => URL): Promise<Peek> {
  try {
    const source = await loadSource(url());
    const result = tryParseManifest(source.text, { url: source.url });
    if (!result.ok) return { categories: [] };
    return {
      name: result.manifest.plugin.name,
      categories: Object.keys(result.manifest.categories),
    };
  } catch {
    return { categories: [] };
  }
}

/** Reads every manifest of `map` once for the plugin names and categories they declare. */
export function peekAll(map: PluginMap): Promise<Peek[]> {
  return Promise.all(
    map.plugins.map((entry) => peek(() => resolvePluginSpecifier(entry.specifier, map))),
  );
}

/**
 * Builds a registry the way a host would, for a host the command line does not know: the
 * categories are `--categories`, else every category the manifests declare.
 */
export async function openWorkspace(
  command: string,
  flags: MapFlags,
  cwd: string,
  map?: PluginMap,
): Promise<Workspace> {
  const documentUrl = await mapUrl(flags, cwd);
  map ??= await readMap(flags, cwd);
  const host = flags.host !== undefined
    ? parseHost(command, flags.host)
    : await hostOf(documentUrl) ?? { name: "plugmap", version: PLUGMAP_VERSION };
  const builtins = flags.builtins === undefined ? undefined : toUrl(flags.builtins, cwd);
  let names: string[];
  if (flags.categories !== undefined) {
    names = flags.categories.split(",").map((c) => c.trim()).filter(Boolean);
    if (names.length === 0) throw new UsageError(command, "--categories names no category");
  } else {
    const peeks = await peekAll(map);
    if (builtins) peeks.push(await peek(() => builtins));
    names = [...new Set(peeks.flatMap((p) => p.categories))].sort();
  }
  const categories = Object.fromEntries(
    names.map((name) => [name, { description: `The "${name}" category` }]),
  );
  const registry = await createRegistry({
    host,
    categories,
    plugins: map,
    ...(builtins ? { builtins } : {}),
  });
  return { registry, map, host, categories: names };
}
