import { integrityOfLarge } from "../_util/integrity.ts";
import { SNAPSHOT_VERSION } from "../_util/version.ts";
import type { Diagnostic } from "./diagnostic.ts";
import type {
  NameIndex,
  PluginRecord,
  QualifiedIndex,
  RankedCandidate,
  Snapshot,
} from "./_plugin_record.ts";
import { buildIndex, namedCategories } from "./_build_index.ts";
import { exactJson, openSnapshot, snapshotDir, writeSnapshot } from "./_snapshot_dir.ts";
import type {
  CategoryDefinition,
  Implementation,
  PluginSummary,
  RegistryOptions,
} from "./types.ts";

const FORMAT = "plugmap-finished-index-2";
const encoder = new TextEncoder();

// One implementation as stored, as a tuple (a third of the JSON of an object): what its plugin
// does not already say, then its fate.
type StoredImplementation = [
  category: string,
  name: string,
  cls: string,
  module: string,
  exportName: string,
  description: string,
  configSchema: Implementation["configSchema"],
  enabled: boolean,
  priority: number,
  metadata: Implementation["metadata"],
  requires: Implementation["requires"],
  permissions: Implementation["permissions"],
  status: RankedCandidate["status"],
  reason: string,
  rank: number,
];

// A plugin as the registry reports it, its implementations as tuples: restored in place.
type StoredPlugin = Omit<PluginSummary, "implementations"> & {
  implementations: StoredImplementation[];
};

interface Body {
  /** The declared categories' names, or null: the host's own. */
  categories: string[] | null;
  plugins: StoredPlugin[];
  /** Each plugin's position in precedence order. */
  orders: number[];
  diagnostics: Diagnostic[];
}

/** The categories as a key, or `undefined` when a `metadata` schema (code) is among them. */
function categoriesKey(categories: RegistryOptions["categories"]): unknown {
  if (categories === "declared") return "declared";
  const names = Object.keys(categories);
  return names.some((name) => categories[name]?.metadata !== undefined) ? undefined : names;
}

// Everything stages 2 to 6 read: the plugins as loaded, the host, Deno's version (for `requires:
// deno`), the categories and the YAML limits, as JSON; then each manifest as read (a local file's
// bytes, undecoded; a network manifest's text), each part after its length.
function inputs(
  options: RegistryOptions,
  mapUrl: string | undefined,
  plugins: readonly PluginRecord[],
): Uint8Array<ArrayBuffer> {
  const categories = categoriesKey(options.categories);
  const { name, version, versions } = options.host;
  const head = JSON.stringify([
    FORMAT,
    SNAPSHOT_VERSION,
    mapUrl ?? "",
    [name, version, versions ?? {}],
    Deno.version.deno,
    categories,
    options.limits?.yaml ?? {},
    // A local manifest kept as bytes was read with nothing else to say (no lock, no hash, no
    // problem yet): five fields; any other plugin, ten.
    plugins.map((p) =>
      p.bytes !== undefined ? [p.name, p.specifier, p.builtin, p.order, p.url] : [
        p.name,
        p.specifier,
        p.builtin,
        p.order,
        p.url,
        p.status,
        p.jsrVersion ?? null,
        p.source?.integrity ?? null,
        p.diagnostics,
        p.source !== undefined,
      ]
    ),
  ]);
  const parts: Uint8Array[] = [encoder.encode(head)];
  for (const p of plugins) {
    const bytes = p.bytes ?? (p.source !== undefined ? encoder.encode(p.source.text) : undefined);
    if (bytes !== undefined) parts.push(bytes);
  }
  let size = 0;
  for (const part of parts) size += 4 + part.length;
  const key = new Uint8Array(size);
  const view = new DataView(key.buffer);
  let at = 0;
  for (const part of parts) {
    view.setUint32(at, part.length);
    key.set(part, at + 4);
    at += 4 + part.length;
  }
  return key;
}

/**
 * The finished index of a whole discovery, keyed by everything discovery read: the plugmap
 * version, the map URL, every plugin as loaded (each manifest's whole content, read again every
 * run), the host, Deno's version, the categories and the YAML limits. When all of it is the
 * same, the index is taken as it was left, without parsing, candidates, requirements or
 * precedence (nor loading what they need); anything else is a miss, and discovery runs its
 * stages. Off when a category has a `metadata` schema (code cannot be part of a key).
 *
 * One file per plugin map in `<cacheDir>/snapshots/`, `*.index.json`: a header line (format,
 * plugmap version, SHA-256 of the key, SHA-256 of the body), then the body. A file that is
 * unreadable, corrupt, foreign or of another version is ignored and replaced.
 *
 * Opened before the manifests are read: the file is read meanwhile, and the two hashes (key and
 * body) are worked out on other threads while the body is parsed, which is thrown away when
 * either does not match.
 */
export class FinishedIndex {
  #file: Promise<URL>;
  #bytes: Promise<Uint8Array<ArrayBuffer> | undefined>;
  #key: Promise<string> | undefined;
  #mapUrl: string | undefined;

  private constructor(dir: URL, mapUrl: string | undefined) {
    this.#mapUrl = mapUrl;
    this.#file = integrityOfLarge(encoder.encode(JSON.stringify([FORMAT, mapUrl ?? ""])))
      .then((name) => new URL(`snapshots/${name.slice("sha256-".length, 39)}.index.json`, dir));
    // Missing or unreadable: a miss; the next save replaces it.
    this.#bytes = this.#file.then((file) => Deno.readFile(file)).catch(() => undefined);
  }

  /** The finished index of the map at `mapUrl`, or `undefined` when it is off. */
  static open(options: RegistryOptions, mapUrl: string | undefined): FinishedIndex | undefined {
    if (categoriesKey(options.categories) === undefined) return undefined;
    const dir = snapshotDir(options);
    return dir === undefined ? undefined : new FinishedIndex(dir, mapUrl);
  }

  /** The index as it was left for exactly these inputs (the plugins as loaded), or `undefined`. */
  async read(
    options: RegistryOptions,
    plugins: readonly PluginRecord[],
  ): Promise<Omit<Snapshot, "lock"> | undefined> {
    const key = this.#key = integrityOfLarge(inputs(options, this.#mapUrl, plugins));
    const bytes = await this.#bytes;
    if (bytes === undefined) return undefined;
    try {
      const opened = openSnapshot(bytes, FORMAT);
      // The key's hash has been worked out while the body was decoded: another discovery's index
      // (a manifest edited since) is not parsed at all.
      if (opened === undefined || opened.key !== await key) return undefined;
      const restored = restore(JSON.parse(opened.text), options);
      return await opened.intact ? restored : undefined;
    } catch {
      // Corrupt: a miss; the next save replaces it.
      return undefined;
    }
  }

  /** Keeps the index discovery finished with, for the same inputs next time. */
  async save(snapshot: Snapshot, plugins: readonly PluginRecord[]): Promise<void> {
    const text = exactJson(store(snapshot, plugins));
    if (text === undefined) return;
    if (this.#key === undefined) return;
    await writeSnapshot(await this.#file, FORMAT, await this.#key, text);
  }
}

function store(snapshot: Snapshot, plugins: readonly PluginRecord[]): Body {
  const rank = new Map<RankedCandidate, number>();
  for (const names of snapshot.index.values()) {
    for (const candidates of names.values()) candidates.forEach((c, i) => rank.set(c, i));
  }
  return {
    categories: Object.keys(snapshot.categories),
    plugins: snapshot.plugins.map((summary, i) => ({
      ...summary,
      implementations: plugins[i]!.candidates.map((candidate): StoredImplementation => {
        const { implementation: impl, status, reason } = candidate;
        return [
          impl.category,
          impl.name,
          impl.class,
          impl.module,
          impl.exportName,
          impl.description,
          impl.configSchema,
          impl.enabled,
          impl.priority,
          impl.metadata,
          impl.requires,
          impl.permissions,
          status,
          reason,
          rank.get(candidate)!,
        ];
      }),
    })),
    orders: plugins.map((p) => p.order),
    diagnostics: snapshot.diagnostics,
  };
}

function restore(body: Body, options: RegistryOptions): Omit<Snapshot, "lock"> | undefined {
  if (
    !Array.isArray(body?.plugins) || !Array.isArray(body.orders) || !Array.isArray(body.diagnostics)
  ) return undefined;
  let categories: Record<string, CategoryDefinition>;
  if (options.categories === "declared") {
    if (!Array.isArray(body.categories)) return undefined;
    categories = namedCategories(body.categories);
  } else categories = options.categories;
  // Each stored plugin becomes the summary itself (its keys are a summary's, in order): only its
  // implementations are replaced, by objects; the tuples are kept for the name index.
  const tuples = body.plugins.map((stored) => stored.implementations);
  const plugins = body.plugins.map((summary, i): PluginSummary => {
    const implementations = tuples[i]!.map((stored): Implementation => ({
      category: stored[0],
      name: stored[1],
      qualifiedName: `${summary.name}/${stored[1]}`,
      plugin: summary.name,
      pluginVersion: summary.metadata.version,
      builtin: summary.builtin,
      class: stored[2],
      module: stored[3],
      exportName: stored[4],
      description: stored[5],
      configSchema: stored[6],
      enabled: stored[7],
      priority: stored[8],
      metadata: stored[9],
      requires: stored[10],
      permissions: stored[11],
      manifestUrl: summary.url,
    }));
    return Object.assign(summary, { implementations });
  });
  // The name index is built when first asked for: listing the plugins (what `plugins list`
  // prints) needs only the plugins.
  let built: { index: NameIndex; qualified: QualifiedIndex } | undefined;
  const indexes = () => built ??= indexOf(tuples, body.orders, plugins);
  return Object.defineProperties({ plugins, diagnostics: body.diagnostics, categories }, {
    index: { get: () => indexes().index, enumerable: true },
    qualified: { get: () => indexes().qualified, enumerable: true },
  }) as Omit<Snapshot, "lock">;
}

// The candidates as stored (status, reason, order), each at its stored rank among its name's.
function indexOf(
  stored: readonly StoredImplementation[][],
  orders: readonly number[],
  plugins: readonly PluginSummary[],
): { index: NameIndex; qualified: QualifiedIndex } {
  const records = stored.map((implementations, i) => ({
    candidates: implementations.map((stored, j): RankedCandidate => ({
      implementation: plugins[i]!.implementations[j]!,
      status: stored[12],
      reason: stored[13],
      order: orders[i]!,
    })),
  }));
  const { index, qualified } = buildIndex(records);
  const ranks = new Map<RankedCandidate, number>();
  records.forEach(({ candidates }, i) => {
    candidates.forEach((candidate, j) => ranks.set(candidate, stored[i]![j]![14]));
  });
  for (const names of index.values()) {
    for (const candidates of names.values()) {
      if (candidates.length > 1) candidates.sort((a, b) => ranks.get(a)! - ranks.get(b)!);
    }
  }
  return { index, qualified };
}
