import type { NameIndex, PluginRecord, QualifiedIndex, RankedCandidate } from "./_plugin_record.ts";
import type { CategoryDefinition, PluginSummary } from "./types.ts";

/**
 * Stage 5, index: every candidate under its category and name (in plugin order; precedence
 * sorts them next) and under its qualified name `<plugin>/<name>`, the same object in both.
 */
export function buildIndex(
  plugins: readonly { candidates: readonly RankedCandidate[] }[],
): { index: NameIndex; qualified: QualifiedIndex } {
  const index: NameIndex = new Map();
  const qualified: QualifiedIndex = new Map();
  for (const plugin of plugins) {
    for (const entry of plugin.candidates) {
      const { category, name, qualifiedName } = entry.implementation;
      let byQualified = qualified.get(category);
      if (!byQualified) qualified.set(category, byQualified = new Map());
      byQualified.set(qualifiedName, entry);
      let names = index.get(category);
      if (!names) index.set(category, names = new Map());
      let candidates = names.get(name);
      if (!candidates) names.set(name, candidates = []);
      candidates.push(entry);
    }
  }
  return { index, qualified };
}

/** A plugin as the registry reports it, once discovery is done. */
export function summarize(plugin: PluginRecord): PluginSummary {
  const { manifest, source } = plugin;
  return {
    name: plugin.name,
    builtin: plugin.builtin,
    specifier: plugin.specifier,
    url: plugin.url,
    status: plugin.status,
    metadata: manifest ? (({ enabled: _, ...rest }) => rest)(manifest.plugin) : { requires: {} },
    ...(plugin.jsrVersion !== undefined ? { jsrVersion: plugin.jsrVersion } : {}),
    ...(source?.integrity !== undefined ? { integrity: source.integrity } : {}),
    implementations: plugin.candidates.map((e) => e.implementation),
  };
}

/** Categories known only by name, each with a description made from it. */
export function namedCategories(names: readonly string[]): Record<string, CategoryDefinition> {
  return Object.fromEntries(names.map((name) => [name, { description: `The "${name}" category` }]));
}
