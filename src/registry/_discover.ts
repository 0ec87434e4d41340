import type { PluginMap } from "../config/mod.ts";
import type { Lock } from "../trust/mod.ts";
import type { Snapshot } from "./_plugin_record.ts";
import { loadSources } from "./_load_sources.ts";
import { parseManifests } from "./_parse_manifests.ts";
import { IndexSnapshot } from "./_index_snapshot.ts";
import { buildCandidates, declaredCategories } from "./_build_candidates.ts";
import { checkRequirements } from "./_check_requirements.ts";
import { buildIndex, summarize } from "./_build_index.ts";
import { decidePrecedence } from "./_decide_precedence.ts";
import type { RegistryOptions } from "./types.ts";

/**
 * Discovery, as the README tells it: every manifest of the map is fetched, validated and
 * indexed, without importing plugin code. What parsing and validation gave is kept in the index
 * snapshot (in the cache directory), keyed by each manifest's bytes. Each stage is a file of its own; a broken plugin
 * becomes diagnostics at the stage that found it, and the others go on.
 */
export async function discover(
  options: RegistryOptions,
  map: PluginMap | undefined,
  lock: Lock | undefined,
): Promise<Snapshot> {
  const snapshot = await IndexSnapshot.open(options, map?.url);
  const plugins = await loadSources(options, map, lock, snapshot !== undefined);
  parseManifests(plugins, options.limits?.yaml, snapshot);
  await snapshot?.save();
  const categories = options.categories === "declared"
    ? declaredCategories(plugins)
    : options.categories;
  buildCandidates(plugins, categories);
  checkRequirements(plugins, options.host);
  const { index, qualified } = buildIndex(plugins);
  const ties = decidePrecedence(index);
  return {
    plugins: plugins.map(summarize),
    diagnostics: [...plugins.flatMap((p) => p.diagnostics), ...ties],
    categories,
    index,
    qualified,
    lock,
  };
}
