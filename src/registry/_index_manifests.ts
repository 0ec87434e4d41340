import type { PluginRecord, Snapshot } from "./_plugin_record.ts";
import { parseManifests } from "./_parse_manifests.ts";
import { IndexSnapshot } from "./_index_snapshot.ts";
import { buildCandidates, declaredCategories } from "./_build_candidates.ts";
import { checkRequirements } from "./_check_requirements.ts";
import { buildIndex, summarize } from "./_build_index.ts";
import { decidePrecedence } from "./_decide_precedence.ts";
import type { RegistryOptions } from "./types.ts";

/**
 * Stages 2 to 6 of a discovery, for manifests the finished index did not have: parse and
 * validate (each unchanged manifest taken from the {@link IndexSnapshot}), candidates,
 * requirements, index, precedence. Imported by `_discover.ts` only on a miss, with the YAML
 * parser and the schema library it needs (semver only if a version or range is not plain): a
 * snapshot hit loads none of them.
 */
export async function indexManifests(
  options: RegistryOptions,
  mapUrl: string | undefined,
  plugins: PluginRecord[],
): Promise<Omit<Snapshot, "lock">> {
  const snapshot = await IndexSnapshot.open(options, mapUrl);
  await parseManifests(plugins, options.limits?.yaml, snapshot);
  // Written while the later stages run (it is best effort and never fails).
  const saved = snapshot?.save();
  const categories = options.categories === "declared"
    ? declaredCategories(plugins)
    : options.categories;
  buildCandidates(plugins, categories);
  await checkRequirements(plugins, options.host);
  const { index, qualified } = buildIndex(plugins);
  const ties = decidePrecedence(index);
  await saved;
  return {
    plugins: plugins.map(summarize),
    diagnostics: [...plugins.flatMap((p) => p.diagnostics), ...ties],
    categories,
    index,
    qualified,
  };
}
