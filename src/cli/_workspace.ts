import {
  ConfigError,
  createRegistry,
  type Diagnostic,
  type Explanation,
  type HostInfo,
  loadPluginMap,
  type PluginMap,
  type Registry,
  UnknownImplementationError,
} from "../../mod.ts";
import { isVersionLazily } from "../../src/manifest/core.ts";
import { toUrl } from "../../src/sources/core.ts";
import { defaultCacheDir } from "../../src/trust/core.ts";
import { CliFailure, UsageError } from "./_args.ts";
import { PLUGMAP_VERSION } from "./_version.ts";

/** The map options as parsed. */
export interface MapFlags {
  map?: string | undefined;
  host?: string | undefined;
  categories?: string | undefined;
  builtins?: string | undefined;
  frozen?: boolean | undefined;
  "no-cache"?: boolean | undefined;
}

/** A discovered registry and what it was built from. */
export interface Workspace {
  registry: Registry;
  map: PluginMap;
  host: HostInfo;
  /** Where the host came from, for messages (`--host`, the map document, plugmap's own). */
  hostFrom: string;
}

/**
 * A line that names the host "requires" were checked against, and how to give another, when a
 * diagnostic says a requirement failed; else empty.
 */
export function hostNote(workspace: Workspace, diagnostics: readonly { code: string }[]): string {
  const failed = diagnostics.some((d) =>
    d.code === "requirement_missing" || d.code === "requirement_unmet"
  );
  if (!failed) return "";
  const { name, version } = workspace.host;
  return `note: "requires" were checked against the host ${name}@${version} (${workspace.hostFrom}); ` +
    `for another application, pass --host NAME@VERSION (or set "plugins": {"host": ` +
    `"NAME@VERSION", "map": {...}} in the map document)\n`;
}

/** Parses `--host name@version` (the name may be scoped: `@acme/app@1.2.0`). */
export async function parseHost(command: string, text: string): Promise<HostInfo> {
  const at = text.lastIndexOf("@");
  if (at <= 0) throw new UsageError(command, `Invalid --host "${text}": expected NAME@VERSION`);
  const name = text.slice(0, at);
  const version = text.slice(at + 1);
  if (!await isVersionLazily(version)) {
    throw new UsageError(command, `Invalid --host "${text}": "${version}" is not a semver version`);
  }
  return { name, version };
}

/** The plugin map document: `--map`, else `./deno.json`, else `./deno.jsonc`. */
export function mapUrl(flags: MapFlags, cwd: string): URL {
  if (flags.map !== undefined) return toUrl(flags.map, cwd);
  const json = toUrl("deno.json", cwd);
  const jsonc = toUrl("deno.jsonc", cwd);
  try {
    Deno.statSync(json);
    return json;
  } catch {
    try {
      Deno.statSync(jsonc);
      return jsonc;
    } catch {
      return json;
    }
  }
}

/** Map and lock problems as diagnostics, so they print like every other problem. */
export function configDiagnostics(error: ConfigError): Diagnostic[] {
  return error.issues.map((issue) => ({
    code: "invalid_map",
    severity: "error",
    plugin: "",
    url: error.source,
    ...issue,
  }));
}

/** The plugin map (or its lock file) could not be read: the problems, as diagnostics. */
export class MapFailure extends CliFailure {
  readonly diagnostics: Diagnostic[];

  constructor(diagnostics: Diagnostic[]) {
    super("invalid_map", `Cannot use the plugin map "${diagnostics[0]?.url}"`);
    this.diagnostics = diagnostics;
  }
}

async function orMapFailure<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
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
 * categories are `--categories`, else every category the manifests declare; the lock is the
 * one beside the map document. The plugins are the map document's, or `files` (a map of the
 * manifests named on the command line; then there is no lock: it lives beside the map document).
 */
export async function openWorkspace(
  command: string,
  flags: MapFlags,
  cwd: string,
  files?: PluginMap,
  options: { lock?: false; integrity?: boolean } = {},
): Promise<Workspace> {
  const documentUrl = mapUrl(flags, cwd);
  const map = files ?? await orMapFailure(loadPluginMap(documentUrl));
  const documented = flags.host !== undefined
    ? undefined
    : (files === undefined ? hostOf(map) : await hostBeside(documentUrl));
  const host = flags.host !== undefined
    ? await parseHost(command, flags.host)
    : documented ?? { name: "plugmap", version: PLUGMAP_VERSION };
  const hostFrom = flags.host !== undefined
    ? "from --host"
    : documented !== undefined
    ? `from ${documentUrl.href}`
    : `plugmap's own: ${documentUrl.href} names no host`;
  if (files !== undefined && flags.frozen) {
    throw new UsageError(command, "--frozen needs the plugin map, not MANIFEST files");
  }
  let categories: Record<string, { description: string }> | "declared" = "declared";
  if (flags.categories !== undefined) {
    const names = flags.categories.split(",").map((c) => c.trim()).filter(Boolean);
    if (names.length === 0) throw new UsageError(command, "--categories names no category");
    categories = Object.fromEntries(
      names.map((name) => [name, { description: `The "${name}" category` }]),
    );
  }
  const cacheDir = flags["no-cache"] ? undefined : defaultCacheDir();
  const locked = options.lock !== false && files === undefined;
  const registry = await orMapFailure(createRegistry({
    host,
    categories,
    plugins: map,
    ...(flags.builtins !== undefined ? { builtins: toUrl(flags.builtins, cwd) } : {}),
    ...(locked ? { lock: true, frozen: flags.frozen === true } : {}),
    ...(cacheDir !== undefined ? { cacheDir } : {}),
    ...(options.integrity ? { integrity: true } : {}),
  }));
  return { registry, map, host, hostFrom };
}

/** Fails unless the registry knows the category. */
export function requireCategory(workspace: Workspace, category: string): void {
  try {
    workspace.registry.factory(category);
  } catch (error) {
    throw new CliFailure("not_found", (error as Error).message);
  }
}

/**
 * The registry's explanation of `name`; fails with the registry's own message (and its
 * did-you-mean) when no candidate has that name.
 */
export function explainName(workspace: Workspace, category: string, name: string): Explanation {
  try {
    return workspace.registry.factory(category).explain(name);
  } catch (error) {
    if (!(error instanceof UnknownImplementationError)) throw error;
    throw new CliFailure("not_found", error.message);
  }
}
