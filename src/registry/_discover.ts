import type { PluginMap } from "../config/mod.ts";
import type { Lock } from "../trust/mod.ts";
import type { Snapshot } from "./_plugin_record.ts";
import { decodeSources, loadSources } from "./_load_sources.ts";
import { FinishedIndex } from "./_finished_index.ts";
import { importLazily } from "../_util/import_lazily.ts";
import type { RegistryOptions } from "./types.ts";

/**
 * Discovery, as the README tells it: every manifest of the map is fetched, validated and
 * indexed, without importing plugin code. Each stage is a file of its own; a broken plugin
 * becomes diagnostics at the stage that found it, and the others go on. Two snapshots in the
 * cache directory spare work that was done before: when every manifest's text and every other
 * input is as last time, the finished index is taken whole ({@link FinishedIndex}); otherwise
 * each manifest whose text is unchanged skips parsing and validation (`IndexSnapshot`).
 * Every manifest is read on every discovery, so neither can be stale. A hit loads only what it
 * uses: the stages of a miss, and the YAML parser, schema library and semver they need, are
 * imported on a miss (`_index_manifests.ts`).
 */
export async function discover(
  options: RegistryOptions,
  map: PluginMap | undefined,
  lock: Lock | undefined,
): Promise<Snapshot> {
  // Opened first: its file is read while the manifests are.
  const finished = FinishedIndex.open(options, map?.url);
  const plugins = await loadSources(options, map, lock);
  const kept = await finished?.read(options, plugins);
  // Not spread: its name index is built on first use.
  if (kept !== undefined) return Object.assign(kept, { lock });
  // A miss: the stages that parse, validate and index are loaded now, and only now.
  decodeSources(plugins);
  const { indexManifests } = await importLazily<typeof import("./_index_manifests.ts")>(
    new URL("./_index_manifests.ts", import.meta.url),
  );
  const result: Snapshot = { ...await indexManifests(options, map?.url, plugins), lock };
  await finished?.save(result, plugins);
  return result;
}
