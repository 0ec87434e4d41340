import * as v from "valibot";
import { parseManifest } from "../manifest/parse_manifest.ts";
import type { Manifest } from "../manifest/types.ts";
import { ManifestSyntaxError, ManifestValidationError } from "../manifest/manifest_error.ts";
import { locatePath } from "../manifest/_yaml.ts";
import { loadSource, type Source } from "../sources/load_source.ts";
import { SourceError } from "../sources/source_error.ts";
import { isLoopback } from "../sources/is_loopback.ts";
import type { PluginMap } from "../config/plugin_map.ts";
import { resolvePluginSpecifier } from "../config/resolve_plugin_specifier.ts";
import { ConfigError } from "../config/plugin_map_error.ts";
import { satisfies } from "../_util/semver.ts";
import { toUrl } from "../_util/to_url.ts";
import type { Diagnostic } from "./diagnostic.ts";
import type { Candidate, Implementation, PluginSummary, RegistryOptions } from "./types.ts";
import type { Lock } from "../trust/types.ts";

/**
 * A candidate with its plugin's position in precedence order (built-ins first, then map
 * order). Until precedence runs, `selected` means usable; the name index and the qualified
 * index hold the same objects.
 */
export interface RankedCandidate extends Candidate {
  order: number;
}

/** Everything discovery produced: an immutable snapshot the registry swaps on reload. */
export interface Snapshot {
  plugins: PluginSummary[];
  diagnostics: Diagnostic[];
  /** category -> name -> candidates, best first. */
  index: Map<string, Map<string, RankedCandidate[]>>;
  /** category -> qualified name -> the same candidate as in the index. */
  qualified: Map<string, Map<string, RankedCandidate>>;
  /** The lock discovery verified against, for checking modules before import. */
  lock?: Lock | undefined;
}

interface Loaded {
  name: string;
  specifier: string;
  builtin: boolean;
  order: number;
  url: string;
  source?: Source;
  jsrVersion?: string;
  manifest?: Manifest;
  status: PluginSummary["status"];
  entries: RankedCandidate[];
  diagnostics: Diagnostic[];
}

const EXPORT_NAME = /^[A-Za-z_$][\w$]*$/;

function resolveClass(
  cls: string,
  manifestUrl: string,
): { module: string; exportName: string } | {
  error: string;
  code: "invalid_class" | "insecure_class";
} {
  const hash = cls.lastIndexOf("#");
  const specifier = hash >= 0 ? cls.slice(0, hash) : cls;
  const exportName = hash >= 0 ? cls.slice(hash + 1) : "default";
  if (!EXPORT_NAME.test(exportName)) {
    return { code: "invalid_class", error: `Invalid export name "${exportName}" in "${cls}"` };
  }
  let module: URL;
  if (/^\.{0,2}\//.test(specifier)) {
    try {
      module = new URL(specifier, manifestUrl);
    } catch {
      return {
        code: "invalid_class",
        error: `Cannot resolve "${specifier}" against "${manifestUrl}"`,
      };
    }
  } else if (/^(file|https?|jsr|npm):/.test(specifier)) {
    module = new URL(specifier);
  } else {
    return {
      code: "invalid_class",
      error:
        `Cannot resolve "${specifier}": a class specifier must be relative (./module.ts), or a file:, https:, jsr: or npm: URL`,
    };
  }
  const remoteManifest = /^https?:/.test(manifestUrl);
  if (remoteManifest && module.protocol === "file:") {
    return {
      code: "insecure_class",
      error:
        `A manifest fetched over the network may not point "class" at a local file ("${module.href}")`,
    };
  }
  if (module.protocol === "http:" && !isLoopback(module)) {
    return {
      code: "insecure_class",
      error: `Plain http is allowed only for loopback hosts ("${module.href}")`,
    };
  }
  return { module: module.href, exportName };
}

function errorDiagnostics(error: unknown, plugin: string, url: string): Diagnostic[] {
  if (error instanceof ManifestValidationError) {
    return error.issues.map((issue) => ({
      code: "schema_invalid",
      severity: "error",
      plugin,
      url,
      ...issue,
    }));
  }
  if (error instanceof ManifestSyntaxError) {
    return [{
      code: error.code,
      severity: "error",
      plugin,
      url,
      ...(error.line !== undefined ? { line: error.line, column: error.column ?? 1 } : {}),
      message: error.reason,
    }];
  }
  if (error instanceof SourceError) {
    return [{
      code: error.code,
      severity: "error",
      plugin,
      url,
      message: error.reason,
    }];
  }
  if (error instanceof ConfigError) {
    return error.issues.map((issue) => ({
      code: "invalid_map",
      severity: "error",
      plugin,
      url,
      ...(issue.path ? { path: issue.path } : {}),
      message: issue.message,
    }));
  }
  throw error;
}

async function loadOne(
  name: string,
  specifier: string,
  builtin: boolean,
  order: number,
  resolve: () => URL,
  options: RegistryOptions,
  lock?: Lock,
): Promise<Loaded> {
  const loaded: Loaded = {
    name,
    specifier,
    builtin,
    order,
    url: specifier,
    status: "broken",
    entries: [],
    diagnostics: [],
  };
  const locked = lock !== undefined && !builtin && Object.hasOwn(lock.plugins, name)
    ? lock.plugins[name]
    : undefined;
  const refuse = (code: "not_locked" | "lock_mismatch", message: string) => {
    loaded.diagnostics.push({ code, severity: "error", plugin: name, url: specifier, message });
    return loaded;
  };
  if (lock !== undefined && !builtin && locked === undefined && options.frozen) {
    return refuse(
      "not_locked",
      `The plugin "${name}" is not in the lock file and the registry is frozen: run "plugins lock" to pin it`,
    );
  }
  if (locked !== undefined && locked.specifier !== specifier) {
    return refuse(
      "lock_mismatch",
      `The plugin map says "${specifier}" but the lock pins "${locked.specifier}": run "plugins lock" to pin it again`,
    );
  }
  try {
    let url = resolve();
    // A pinned network or jsr: manifest is read from its locked URL: the exact jsr: version,
    // the redirect target. Local files are found through the map, so a project can move.
    if (locked !== undefined && url.protocol !== "file:") url = new URL(locked.url);
    loaded.url = url.href;
    loaded.source = await loadSource(url, {
      ...(options.limits?.source ? { limits: options.limits.source } : {}),
      ...(options.jsrUrl ? { jsrUrl: options.jsrUrl } : {}),
      ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
      ...(locked !== undefined ? { expect: locked.manifest } : {}),
      integrity: options.integrity === true || lock !== undefined,
    });
    loaded.url = loaded.source.url;
    const jsrVersion = loaded.source.jsr?.version ?? locked?.jsrVersion;
    if (jsrVersion !== undefined) loaded.jsrVersion = jsrVersion;
    loaded.manifest = parseManifest(loaded.source.text, {
      url: loaded.source.url,
      ...(options.limits?.yaml ? { limits: options.limits.yaml } : {}),
    });
    loaded.status = loaded.manifest.plugin.enabled ? "ok" : "disabled";
  } catch (error) {
    loaded.diagnostics.push(...errorDiagnostics(error, name, loaded.url));
    return loaded;
  }
  const { manifest, source } = loaded;
  for (const [category, section] of Object.entries(manifest.categories)) {
    const definition = options.categories[category];
    if (definition === undefined) {
      loaded.diagnostics.push({
        code: "unknown_category",
        severity: "warning",
        plugin: name,
        url: loaded.url,
        path: category,
        ...locatePath(source.text, [category], true),
        message: `Unknown category "${category}" (the host knows: ${
          Object.keys(options.categories).join(", ")
        }); its implementations are ignored`,
      });
      continue;
    }
    for (const [implName, declaration] of Object.entries(section)) {
      const resolved = resolveClass(declaration.class, loaded.url);
      const implementation: Implementation = {
        category,
        name: implName,
        qualifiedName: `${name}/${implName}`,
        plugin: name,
        pluginVersion: manifest.plugin.version,
        builtin,
        class: declaration.class,
        module: "module" in resolved ? resolved.module : "",
        exportName: "exportName" in resolved ? resolved.exportName : "",
        description: declaration.description,
        configSchema: declaration.config_schema,
        enabled: declaration.enabled,
        priority: declaration.priority,
        metadata: declaration.metadata,
        requires: declaration.requires,
        permissions: declaration.permissions ?? {},
        manifestUrl: loaded.url,
      };
      const entry: RankedCandidate = { implementation, status: "selected", reason: "", order };
      const at = (field: string) => ({
        path: `${category}.${implName}.${field}`,
        ...locatePath(source.text, [category, implName, field]),
      });
      if ("error" in resolved) {
        entry.status = "broken";
        entry.reason = resolved.error;
        loaded.diagnostics.push({
          code: resolved.code,
          severity: "error",
          plugin: name,
          url: loaded.url,
          ...at("class"),
          message: resolved.error,
        });
      } else if (definition.metadata !== undefined) {
        const result = v.safeParse(definition.metadata, declaration.metadata);
        if (!result.success) {
          entry.status = "broken";
          entry.reason = `Invalid metadata: ${result.issues[0]?.message}`;
          loaded.diagnostics.push({
            code: "invalid_metadata",
            severity: "error",
            plugin: name,
            url: loaded.url,
            ...at("metadata"),
            message: `Invalid metadata for category "${category}": ${
              result.issues.map((i) => `${v.getDotPath(i) ?? ""} ${i.message}`.trim()).join("; ")
            }`,
          });
        }
      }
      if (entry.status === "selected" && !manifest.plugin.enabled) {
        entry.status = "disabled";
        entry.reason = `Its plugin "${name}" is disabled by its manifest (plugin.enabled: false)`;
      } else if (entry.status === "selected" && !declaration.enabled) {
        entry.status = "disabled";
        entry.reason = "Disabled by its manifest (enabled: false)";
      }
      loaded.entries.push(entry);
    }
  }
  return loaded;
}

function checkRequirements(
  requires: Readonly<Record<string, string>>,
  versions: Map<string, { version: string; what: string }>,
):
  | { code: "requirement_missing" | "requirement_unmet"; message: string; name: string }
  | undefined {
  for (const [name, range] of Object.entries(requires)) {
    const found = versions.get(name);
    if (found === undefined) {
      return {
        code: "requirement_missing",
        name,
        message: `Requires ${name} ${range}, but no plugin or component "${name}" is present`,
      };
    }
    if (!satisfies(found.version, range)) {
      return {
        code: "requirement_unmet",
        name,
        message: `Requires ${name} ${range}, but ${found.what} is version ${found.version}`,
      };
    }
  }
  return undefined;
}

function rank(a: RankedCandidate, b: RankedCandidate): number {
  const ok = (c: Candidate) => (c.status === "selected" ? 0 : 1);
  return ok(a) - ok(b) ||
    Number(a.implementation.builtin) - Number(b.implementation.builtin) ||
    b.implementation.priority - a.implementation.priority ||
    a.order - b.order;
}

/** Fetches, validates and indexes every manifest of the options. Imports no plugin code. */
export async function discover(
  options: RegistryOptions,
  map: PluginMap | undefined,
  lock?: Lock,
): Promise<Snapshot> {
  const jobs: Promise<Loaded>[] = [];
  if (options.builtins !== undefined) {
    const builtins = options.builtins;
    jobs.push(
      loadOne(
        options.host.name,
        String(builtins),
        true,
        0,
        () => toUrl(builtins),
        options,
      ),
    );
  }
  for (const [i, entry] of (map?.plugins ?? []).entries()) {
    if (entry.name === options.host.name && options.builtins !== undefined) {
      jobs.push(Promise.resolve({
        name: entry.name,
        specifier: entry.specifier,
        builtin: false,
        order: i + 1,
        url: entry.specifier,
        status: "broken",
        entries: [],
        diagnostics: [{
          code: "duplicate_plugin",
          severity: "error",
          plugin: entry.name,
          url: map!.url,
          path: `plugins.${entry.name}`,
          message:
            `The plugin name "${entry.name}" is the host's own (its built-ins); choose another`,
        }],
      }));
      continue;
    }
    jobs.push(
      loadOne(
        entry.name,
        entry.specifier,
        false,
        i + 1,
        () => resolvePluginSpecifier(entry.specifier, map!),
        options,
        lock,
      ),
    );
  }
  const loaded = await Promise.all(jobs);

  // Versions known for `requires`: the host, its components, and every usable plugin.
  const versions = new Map<string, { version: string; what: string }>();
  for (const plugin of loaded) {
    const version = plugin.manifest?.plugin.version;
    if (plugin.status !== "ok" || version === undefined) continue;
    versions.set(plugin.name, { version, what: `plugin "${plugin.name}"` });
    const declared = plugin.manifest?.plugin.name;
    if (declared !== undefined && !versions.has(declared)) {
      versions.set(declared, { version, what: `plugin "${plugin.name}"` });
    }
  }
  versions.set("deno", { version: Deno.version.deno, what: "Deno" });
  for (const [name, version] of Object.entries(options.host.versions ?? {})) {
    versions.set(name, { version, what: name });
  }
  versions.set(options.host.name, {
    version: options.host.version,
    what: `the host ${options.host.name}`,
  });

  const diagnostics: Diagnostic[] = [];
  const index = new Map<string, Map<string, RankedCandidate[]>>();
  const qualified = new Map<string, Map<string, RankedCandidate>>();
  const plugins: PluginSummary[] = [];
  for (const plugin of loaded) {
    diagnostics.push(...plugin.diagnostics);
    const manifest = plugin.manifest;
    if (manifest && plugin.status === "ok") {
      const failed = checkRequirements(manifest.plugin.requires, versions);
      if (failed) {
        plugin.status = "incompatible";
        diagnostics.push({
          code: failed.code,
          severity: "error",
          plugin: plugin.name,
          url: plugin.url,
          path: `plugin.requires.${failed.name}`,
          ...locatePath(plugin.source!.text, ["plugin", "requires"]),
          message: `${failed.message}; the plugin is skipped`,
        });
        for (const entry of plugin.entries) {
          if (entry.status === "selected") {
            entry.status = "incompatible";
            entry.reason = `Its plugin is incompatible: ${failed.message}`;
          }
        }
      }
    }
    for (const entry of plugin.entries) {
      const impl = entry.implementation;
      if (entry.status === "selected") {
        const failed = checkRequirements(impl.requires, versions);
        if (failed) {
          entry.status = "incompatible";
          entry.reason = failed.message;
          diagnostics.push({
            code: failed.code,
            severity: "error",
            plugin: plugin.name,
            url: plugin.url,
            path: `${impl.category}.${impl.name}.requires.${failed.name}`,
            ...locatePath(plugin.source!.text, [impl.category, impl.name, "requires"]),
            message: `${failed.message}; "${impl.qualifiedName}" is skipped`,
          });
        }
      }
      let byName = qualified.get(impl.category);
      if (!byName) qualified.set(impl.category, byName = new Map());
      byName.set(impl.qualifiedName, entry);
      let names = index.get(impl.category);
      if (!names) index.set(impl.category, names = new Map());
      let candidates = names.get(impl.name);
      if (!candidates) names.set(impl.name, candidates = []);
      candidates.push(entry);
    }
    plugins.push({
      name: plugin.name,
      builtin: plugin.builtin,
      specifier: plugin.specifier,
      url: plugin.url,
      status: plugin.status,
      metadata: manifest ? (({ enabled: _, ...rest }) => rest)(manifest.plugin) : { requires: {} },
      ...(plugin.jsrVersion !== undefined ? { jsrVersion: plugin.jsrVersion } : {}),
      ...(plugin.source?.integrity !== undefined ? { integrity: plugin.source.integrity } : {}),
      implementations: plugin.entries.map((e) => e.implementation),
    });
  }

  // Precedence: usable first; a plugin beats a built-in; higher priority; earlier in the map.
  for (const [category, names] of index) {
    for (const [name, candidates] of names) {
      candidates.sort(rank);
      const [winner, runnerUp] = candidates;
      if (winner?.status !== "selected") continue;
      winner.reason = describeWin(winner, runnerUp);
      for (const loser of candidates.slice(1)) {
        if (loser.status !== "selected") continue;
        loser.status = "shadowed";
        loser.reason = describeLoss(loser, winner);
      }
      if (
        runnerUp?.status === "shadowed" && !winner.implementation.builtin &&
        !runnerUp.implementation.builtin &&
        runnerUp.implementation.priority === winner.implementation.priority
      ) {
        diagnostics.push({
          code: "priority_tie",
          severity: "warning",
          plugin: runnerUp.implementation.plugin,
          url: runnerUp.implementation.manifestUrl,
          path: `${category}.${name}`,
          message:
            `"${category}.${name}" is provided by "${winner.implementation.plugin}" and "${runnerUp.implementation.plugin}" with the same priority ${winner.implementation.priority}; "${winner.implementation.plugin}" wins by plugin map order (set "priority" to choose)`,
        });
      }
    }
  }
  return { plugins, diagnostics, index, qualified, lock };
}

function describeWin(winner: Candidate, runnerUp: Candidate | undefined): string {
  if (runnerUp === undefined || runnerUp.status !== "selected") return "The only usable candidate";
  const w = winner.implementation;
  const r = runnerUp.implementation;
  if (!w.builtin && r.builtin) return "A plugin beats a built-in of the same name";
  if (w.priority !== r.priority) return `Highest priority (${w.priority})`;
  return `Same priority as "${r.qualifiedName}" (${w.priority}); first in the plugin map`;
}

function describeLoss(loser: Candidate, winner: Candidate): string {
  const w = winner.implementation;
  const l = loser.implementation;
  if (!w.builtin && l.builtin) {
    return `Shadowed by "${w.qualifiedName}": a plugin beats a built-in of the same name`;
  }
  if (w.priority !== l.priority) {
    return `Shadowed by "${w.qualifiedName}": priority ${w.priority} beats ${l.priority}`;
  }
  return `Shadowed by "${w.qualifiedName}": same priority (${l.priority}), later in the plugin map`;
}
