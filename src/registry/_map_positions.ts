import { documentKeys, findJsoncPosition, type PluginMap } from "../config/mod.ts";
import { importLazily } from "../_util/import_lazily.ts";

type Position = { line: number; column: number };
type Locate = (path: string) => Promise<Position | undefined>;

// The documents of the maps loadPluginMap read, to point problems at a map entry (found in
// later stages) at its line and column. Looked up only when there is a problem, so a map with
// none costs no second parse; a map built from an object (parsePluginMap) has no document.
const DOCUMENTS = new WeakMap<PluginMap, Locate>();

/**
 * The locator of a map document's fields by issue path (`plugins.<name>`), for YAML or
 * JSON/JSONC text and the document parsed from it.
 */
export function mapLocator(text: string, doc: unknown, yaml: boolean): Locate {
  return (path) => {
    const keys = documentKeys(doc, path);
    // The YAML parser is loaded only when a problem must be pointed at.
    return yaml
      ? importLazily<typeof import("../manifest/mod.ts")>(
        new URL("../manifest/mod.ts", import.meta.url),
      ).then((m) => m.findYamlPosition(text, keys))
      : findJsoncPosition(text, keys);
  };
}

/** Remembers the document `map` was read from (see {@link positionInMap}). */
export function rememberDocument(map: PluginMap, locate: Locate): void {
  DOCUMENTS.set(map, locate);
}

/** Where `path` is written in the document `map` was read from, or nothing. */
export async function positionInMap(
  map: PluginMap,
  path: string,
): Promise<Position | Record<never, never>> {
  return await DOCUMENTS.get(map)?.(path) ?? {};
}
