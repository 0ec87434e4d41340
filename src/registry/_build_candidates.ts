import type { ImplementationDeclaration } from "../manifest/core.ts";
import { findYamlPosition } from "../manifest/parse.ts";
import { namedCategories } from "./_build_index.ts";
import type { PluginRecord, RankedCandidate } from "./_plugin_record.ts";
import { resolveClass } from "./_resolve_class.ts";
import { checkSchemaSync } from "./_check_schema.ts";
import type { CategoryDefinition, Implementation } from "./types.ts";

/** Every category the usable manifests declare, sorted: for a tool standing in for a host. */
export function declaredCategories(
  plugins: readonly PluginRecord[],
): Record<string, CategoryDefinition> {
  const names = new Set(plugins.flatMap((p) => Object.keys(p.manifest?.categories ?? {})));
  return namedCategories([...names].sort());
}

function candidate(
  plugin: PluginRecord,
  category: string,
  definition: CategoryDefinition,
  name: string,
  declaration: ImplementationDeclaration,
): RankedCandidate {
  const manifest = plugin.manifest!;
  const resolved = resolveClass(declaration.class, plugin.url, plugin.packageRoot);
  const implementation: Implementation = {
    category,
    name,
    qualifiedName: `${plugin.name}/${name}`,
    plugin: plugin.name,
    pluginVersion: manifest.plugin.version,
    builtin: plugin.builtin,
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
    manifestUrl: plugin.url,
  };
  const entry: RankedCandidate = {
    implementation,
    status: "selected",
    reason: "",
    order: plugin.order,
  };
  const at = (field: string) => ({
    path: `${category}.${name}.${field}`,
    ...findYamlPosition(plugin.source!.text, [category, name, field]),
  });
  const base = { severity: "error" as const, plugin: plugin.name, url: plugin.url };
  if ("error" in resolved) {
    entry.status = "broken";
    entry.reason = resolved.error;
    plugin.diagnostics.push({
      ...base,
      code: resolved.code,
      ...at("class"),
      message: resolved.error,
    });
  } else if (definition.metadata !== undefined) {
    const problem = checkSchemaSync(definition.metadata, declaration.metadata);
    if (problem !== undefined) {
      entry.status = "broken";
      entry.reason = `Invalid metadata: ${problem}`;
      plugin.diagnostics.push({
        ...base,
        code: "invalid_metadata",
        ...at("metadata"),
        message: `Invalid metadata for category "${category}": ${problem}`,
      });
    }
  }
  if (entry.status === "selected" && !manifest.plugin.enabled) {
    entry.status = "disabled";
    entry.reason =
      `Its plugin "${plugin.name}" is disabled by its manifest (plugin.enabled: false)`;
  } else if (entry.status === "selected" && !declaration.enabled) {
    entry.status = "disabled";
    entry.reason = "Disabled by its manifest (enabled: false)";
  }
  return entry;
}

/**
 * Stage 3, candidates: each implementation a manifest declares in a category the host knows
 * becomes a candidate for its name, with where its code is (`class` resolved, never imported)
 * and whether it is usable (its class, its metadata, its `enabled`). Sections of unknown
 * categories are warnings.
 */
export function buildCandidates(
  plugins: readonly PluginRecord[],
  categories: Readonly<Record<string, CategoryDefinition>>,
): void {
  for (const plugin of plugins) {
    if (plugin.manifest === undefined) continue;
    for (const [category, section] of Object.entries(plugin.manifest.categories)) {
      const definition = Object.hasOwn(categories, category) ? categories[category] : undefined;
      if (definition === undefined) {
        plugin.diagnostics.push({
          code: "unknown_category",
          severity: "warning",
          plugin: plugin.name,
          url: plugin.url,
          path: category,
          ...findYamlPosition(plugin.source!.text, [category], { key: true }),
          message: `Unknown category "${category}" (the host knows: ${
            Object.keys(categories).join(", ")
          }); its implementations are ignored`,
        });
        continue;
      }
      for (const [name, declaration] of Object.entries(section)) {
        plugin.candidates.push(candidate(plugin, category, definition, name, declaration));
      }
    }
  }
}
