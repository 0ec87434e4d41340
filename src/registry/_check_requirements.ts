import { satisfies, withSemver } from "../_util/semver.ts";
import { findYamlPosition } from "../manifest/parse.ts";
import type { PluginRecord } from "./_plugin_record.ts";
import type { HostInfo } from "./types.ts";

type Versions = Map<string, { version: string; what: string }>;

// Versions known for `requires`: every usable plugin (by map name and by manifest name), Deno,
// the host's components and the host itself.
function knownVersions(plugins: readonly PluginRecord[], host: HostInfo): Versions {
  const versions: Versions = new Map();
  for (const plugin of plugins) {
    const version = plugin.manifest?.plugin.version;
    if (plugin.status !== "ok" || version === undefined) continue;
    versions.set(plugin.name, { version, what: `plugin "${plugin.name}"` });
    const declared = plugin.manifest?.plugin.name;
    if (declared !== undefined && !versions.has(declared)) {
      versions.set(declared, { version, what: `plugin "${plugin.name}"` });
    }
  }
  versions.set("deno", { version: Deno.version.deno, what: "Deno" });
  for (const [name, version] of Object.entries(host.versions ?? {})) {
    versions.set(name, { version, what: name });
  }
  versions.set(host.name, { version: host.version, what: `the host ${host.name}` });
  return versions;
}

function implementationsOf(manifest: PluginRecord["manifest"]): Record<string, string>[] {
  if (manifest === undefined) return [];
  return Object.values(manifest.categories).flatMap((section) =>
    Object.values(section).map((implementation) => implementation.requires)
  );
}

function unmet(requires: Readonly<Record<string, string>>, versions: Versions) {
  for (const [name, range] of Object.entries(requires)) {
    const found = versions.get(name);
    if (found === undefined) {
      return {
        code: "requirement_missing" as const,
        name,
        message: `Requires ${name} ${range}, but no plugin or component "${name}" is present`,
      };
    }
    if (!satisfies(found.version, range)) {
      return {
        code: "requirement_unmet" as const,
        name,
        message: `Requires ${name} ${range}, but ${found.what} is version ${found.version}`,
      };
    }
  }
  return undefined;
}

/**
 * Stage 4, requirements: a plugin whose `requires` the host, Deno, the host's components or the
 * other plugins do not meet is skipped whole (`incompatible`); so is an implementation whose
 * own `requires` are unmet. Each gets a diagnostic naming the range and the version found.
 */
export async function checkRequirements(
  plugins: readonly PluginRecord[],
  host: HostInfo,
): Promise<void> {
  const versions = knownVersions(plugins, host);
  // Every range against its version once, first: plain ones are compared without semver, and
  // the first other one loads it; the checks below then answer from satisfies' cache.
  await withSemver(() => {
    for (const { manifest } of plugins) {
      for (const requires of [manifest?.plugin.requires, ...implementationsOf(manifest)]) {
        for (const [name, range] of Object.entries(requires ?? {})) {
          const found = versions.get(name);
          if (found !== undefined) satisfies(found.version, range);
        }
      }
    }
  });
  for (const plugin of plugins) {
    const { manifest, source } = plugin;
    if (manifest === undefined || source === undefined) continue;
    const base = { severity: "error" as const, plugin: plugin.name, url: plugin.url };
    const failed = plugin.status === "ok" ? unmet(manifest.plugin.requires, versions) : undefined;
    if (failed) {
      plugin.status = "incompatible";
      plugin.diagnostics.push({
        ...base,
        code: failed.code,
        path: `plugin.requires.${failed.name}`,
        ...findYamlPosition(source.text, ["plugin", "requires"]),
        message: `${failed.message}; the plugin is skipped`,
      });
      for (const entry of plugin.candidates) {
        if (entry.status === "selected") {
          entry.status = "incompatible";
          entry.reason = `Its plugin is incompatible: ${failed.message}`;
        }
      }
    }
    for (const entry of plugin.candidates) {
      if (entry.status !== "selected") continue;
      const impl = entry.implementation;
      const own = unmet(impl.requires, versions);
      if (own === undefined) continue;
      entry.status = "incompatible";
      entry.reason = own.message;
      plugin.diagnostics.push({
        ...base,
        code: own.code,
        path: `${impl.category}.${impl.name}.requires.${own.name}`,
        ...findYamlPosition(source.text, [impl.category, impl.name, "requires"]),
        message: `${own.message}; "${impl.qualifiedName}" is skipped`,
      });
    }
  }
}
