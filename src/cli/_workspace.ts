import {
  ConfigError,
  createRegistry,
  defaultCacheDir,
  type Diagnostic,
  type HostInfo,
  loadPluginMap,
  loadSource,
  type Lock,
  lockPathFor,
  type PluginMap,
  readLock,
  type Registry,
  resolvePluginSpecifier,
  tryParseManifest,
  UnknownImplementationError,
} from "../../mod.ts";
import { CliFailure, UsageError } from "./_args.ts";
import { PLUGMAP_VERSION } from "./_version.ts";

/** The map options as parsed. */
export interface MapFlags {
  map?: string | undefined;
  host?: string | undefined;
  categories?: string | undefined;
  builtins?: string | undefined;
  frozen?: boolean | undefined;
}

/** A discovered registry and what it was built from. */
export interface Workspace {
  registry: Registry;
  map: PluginMap;
  host: HostInfo;
  /** Where each category came from: `--categories`, or the plugins declaring it. */
  categories: string[];
  /** The lock file discovery verified against, when there is one. */
  lockFile: URL | undefined;
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

// Reads the plugin map, or fails with its problems.
async function readMap(url: URL): Promise<PluginMap> {
  try {
    return await loadPluginMap(url);
  } catch (error) {
    if (error instanceof ConfigError) throw new MapFailure(configDiagnostics(error));
    throw error;
  }
}

/** What a manifest declares, read ahead of discovery. */
export interface Peek {
  name?: string | undefined;
  categories: string[];
}

/** Manifests named on the command line: a plugin map of their own, already peeked. */
export interface ManifestFiles {
  map: PluginMap;
  /** One per plugin of `map`. */
  peeks: Peek[];
}

/** How manifests are read: through a lock and a cache, or as the map says. */
export interface Reading {
  lock?: Lock | undefined;
  frozen?: boolean | undefined;
  cacheDir?: string | undefined;
}

// Reads a manifest without reporting anything: discovery reports its problems later. A locked
// one is read the way discovery will read it (its pinned URL, from the cache when there).
async function peek(url: () => URL, name?: string, reading: Reading = {}): Promise<Peek> {
  const { lock, frozen, cacheDir } = reading;
  const locked = name !== undefined && lock !== undefined && Object.hasOwn(lock.plugins, name)
    ? lock.plugins[name]
    : undefined;
  if (name !== undefined && lock !== undefined && locked === undefined && frozen) {
    return { categories: [] };
  }
  try {
    let target = url();
    if (locked !== undefined && target.protocol !== "file:") target = new URL(locked.url);
    const source = await loadSource(target, {
      ...(locked !== undefined ? { expect: locked.manifest } : {}),
      ...(cacheDir !== undefined ? { cacheDir } : {}),
    });
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
export function peekAll(map: PluginMap, reading: Reading = {}): Promise<Peek[]> {
  return Promise.all(
    map.plugins.map((entry) =>
      peek(() => resolvePluginSpecifier(entry.specifier, map), entry.name, reading)
    ),
  );
}

/** The lock beside the map document, when there is one (or `--frozen` asks for it). */
async function lockBeside(flags: MapFlags, map: PluginMap) {
  const file = lockPathFor(map.url);
  try {
    const lock = await readLock(file);
    if (lock === undefined && !flags.frozen) return { file: undefined, lock: undefined };
    return { file, lock: lock ?? { version: 1 as const, plugins: {} } };
  } catch (error) {
    if (error instanceof ConfigError) throw new MapFailure(configDiagnostics(error));
    throw error;
  }
}

// The host is the project whose map this is: its "name" and "version" (deno.json has both).
function hostOf(document: PluginMap): HostInfo | undefined {
  const { name, version } = document;
  return name !== undefined && version !== undefined ? { name, version } : undefined;
}

// With manifests named on the command line the map document is read only for the host.
async function hostBeside(documentUrl: URL): Promise<HostInfo | undefined> {
  try {
    return hostOf(await loadPluginMap(documentUrl));
  } catch {
    return undefined;
  }
}

/**
 * Builds a registry the way a host would, for a host the command line does not know: the
 * categories are `--categories`, else every category the manifests declare. The plugins are the
 * map document's, or `files` (then there is no lock: it lives beside the map document).
 */
export async function openWorkspace(
  command: string,
  flags: MapFlags,
  cwd: string,
  files?: ManifestFiles,
  options: { lock?: false; integrity?: boolean } = {},
): Promise<Workspace> {
  const documentUrl = await mapUrl(flags, cwd);
  const map = files?.map ?? await readMap(documentUrl);
  const host = flags.host !== undefined
    ? parseHost(command, flags.host)
    : (files === undefined ? hostOf(map) : await hostBeside(documentUrl)) ??
      { name: "plugmap", version: PLUGMAP_VERSION };
  if (files !== undefined && flags.frozen) {
    throw new UsageError(command, "--frozen needs the plugin map, not MANIFEST files");
  }
  const { file: lockFile, lock } = options.lock === false || files !== undefined
    ? { file: undefined, lock: undefined }
    : await lockBeside(flags, map);
  const cacheDir = defaultCacheDir();
  const reading: Reading = { lock, frozen: flags.frozen, cacheDir };
  const builtins = flags.builtins === undefined ? undefined : toUrl(flags.builtins, cwd);
  let names: string[];
  if (flags.categories !== undefined) {
    names = flags.categories.split(",").map((c) => c.trim()).filter(Boolean);
    if (names.length === 0) throw new UsageError(command, "--categories names no category");
  } else {
    const peeks = [
      ...files?.peeks ?? await peekAll(map, reading),
      ...builtins ? [await peek(() => builtins)] : [],
    ];
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
    ...(lock !== undefined ? { lock, frozen: flags.frozen === true } : {}),
    ...(cacheDir !== undefined ? { cacheDir } : {}),
    ...(options.integrity ? { integrity: true } : {}),
  });
  return { registry, map, host, categories: names, lockFile };
}

/** Fails unless the registry knows the category. */
export function requireCategory(workspace: Workspace, category: string): void {
  try {
    workspace.registry.list(category);
  } catch (error) {
    if (error instanceof UnknownImplementationError) {
      throw new CliFailure("not_found", error.message);
    }
    throw error;
  }
}

/** Fails with the registry's own message (and its did-you-mean) when it cannot resolve `name`. */
export function requireName(workspace: Workspace, category: string, name: string): void {
  try {
    workspace.registry.describe(category, name);
  } catch (error) {
    throw new CliFailure("not_found", (error as Error).message);
  }
}
