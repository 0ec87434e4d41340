import type { PluginMap } from "../config/mod.ts";
import type { Lock } from "../trust/mod.ts";
import type { Snapshot } from "./_plugin_record.ts";
import { loadSources } from "./_load_sources.ts";
import { parseManifests } from "./_parse_manifests.ts";
import { IndexSnapshot } from "./_index_snapshot.ts";
import { FinishedIndex } from "./_finished_index.ts";
import { buildCandidates, declaredCategories } from "./_build_candidates.ts";
import { checkRequirements } from "./_check_requirements.ts";
import { buildIndex, summarize } from "./_build_index.ts";
import { decidePrecedence } from "./_decide_precedence.ts";
import type { RegistryOptions } from "./types.ts";

/**
 * Discovery, as the README tells it: every manifest of the map is fetched, validated and
 * indexed, without importing plugin code. Each stage is a file of its own; a broken plugin
 * becomes diagnostics at the stage that found it, and the others go on. Two snapshots in the
 * cache directory spare work that was done before: when every manifest's text and every other
 * input is as last time, the finished index is taken whole ({@link FinishedIndex}); otherwise
 * each manifest whose text is unchanged skips parsing and validation ({@link IndexSnapshot}).
 * Every manifest is read on every discovery, so neither can be stale.
 */
export async function discover(
  options: RegistryOptions,
  map: PluginMap | undefined,
  lock: Lock | undefined,
): Promise<Snapshot> {
  const plugins = await loadSources(options, map, lock);
  const finished = await FinishedIndex.open(options, map?.url, plugins);
  const kept = await finished?.read(options);
  if (kept !== undefined) return { ...kept, lock };
  const snapshot = await IndexSnapshot.open(options, map?.url);
  parseManifests(plugins, options.limits?.yaml, snapshot);
  await snapshot?.save();
  const categories = options.categories === "declared"
    ? declaredCategories(plugins)
    : options.categories;
  buildCandidates(plugins, categories);
  checkRequirements(plugins, options.host);
  const { index, qualified } = buildIndex(plugins);
  const ties = decidePrecedence(index);
  const result: Snapshot = {
    plugins: plugins.map(summarize),
    diagnostics: [...plugins.flatMap((p) => p.diagnostics), ...ties],
    categories,
    index,
    qualified,
    lock,
  };
  await finished?.save(result, plugins);
  return result;
}
