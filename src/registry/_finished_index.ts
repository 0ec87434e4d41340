import { integrityOfLarge } from "../_util/integrity.ts";
import { SNAPSHOT_VERSION } from "../_util/version.ts";
import type { Diagnostic } from "./diagnostic.ts";
import type { PluginRecord, RankedCandidate, Snapshot } from "./_plugin_record.ts";
import { buildIndex, namedCategories } from "./_build_index.ts";
import { exactJson, snapshotDir, writeAtomically } from "./_snapshot_dir.ts";
import type {
  CategoryDefinition,
  Implementation,
  PluginSummary,
  RegistryOptions,
} from "./types.ts";

const FORMAT = "plugmap-finished-index-1";
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

type StoredPlugin = Omit<PluginSummary, "implementations"> & {
  order: number;
  implementations: StoredImplementation[];
};

interface Body {
  /** The declared categories' names, or null: the host's own. */
  categories: string[] | null;
  plugins: StoredPlugin[];
  diagnostics: Diagnostic[];
}

/** The categories as a key, or `undefined` when a `metadata` schema (code) is among them. */
function categoriesKey(categories: RegistryOptions["categories"]): unknown {
  if (categories === "declared") return "declared";
  const names = Object.keys(categories);
  return names.some((name) => categories[name]?.metadata !== undefined) ? undefined : names;
}

// Everything stages 2 to 6 read: the plugins as loaded (texts included), the host, Deno's
// version (for `requires: deno`), the categories and the YAML limits.
function inputs(options: RegistryOptions, mapUrl: string | undefined, plugins: PluginRecord[]) {
  const categories = categoriesKey(options.categories);
  if (categories === undefined) return undefined;
  const { name, version, versions } = options.host;
  return JSON.stringify([
    FORMAT,
    SNAPSHOT_VERSION,
    mapUrl ?? "",
    [name, version, versions ?? {}],
    Deno.version.deno,
    categories,
    options.limits?.yaml ?? {},
    plugins.map((p) => [
      p.name,
      p.specifier,
      p.builtin,
      p.order,
      p.url,
      p.status,
      p.jsrVersion ?? null,
      p.source?.integrity ?? null,
      p.diagnostics,
      p.source?.text ?? null,
    ]),
  ]);
}

/**
 * The finished index of a whole discovery, keyed by everything discovery read: the plugmap
 * version, the map URL, every plugin as loaded (each manifest's whole text, read again every
 * run), the host, Deno's version, the categories and the YAML limits. When all of it is the
 * same, the index is taken as it was left, without parsing, candidates, requirements or
 * precedence (nor loading what they need); anything else is a miss, and discovery runs its
 * stages. Off when a category has a `metadata` schema (code cannot be part of a key).
 *
 * One file per plugin map in `<cacheDir>/snapshots/`, `*.index.json`: a header line (format,
 * plugmap version, SHA-256 of the key, SHA-256 of the body), then the body. A file that is
 * unreadable, corrupt, foreign or of another version is ignored and replaced.
 */
export class FinishedIndex {
  #file: URL;
  #key: string;

  private constructor(file: URL, key: string) {
    this.#file = file;
    this.#key = key;
  }

  /** The finished index's place for these inputs, or `undefined` when it is off. */
  static async open(
    options: RegistryOptions,
    mapUrl: string | undefined,
    plugins: PluginRecord[],
  ): Promise<FinishedIndex | undefined> {
    const dir = snapshotDir(options);
    const key = dir && inputs(options, mapUrl, plugins);
    if (dir === undefined || key === undefined) return undefined;
    const [name, digest] = await Promise.all([
      integrityOfLarge(encoder.encode(JSON.stringify([FORMAT, mapUrl ?? ""]))),
      integrityOfLarge(encoder.encode(key)),
    ]);
    return new FinishedIndex(
      new URL(`snapshots/${name.slice("sha256-".length, 39)}.index.json`, dir),
      digest,
    );
  }

  /** The index as it was left for exactly these inputs, or `undefined`. */
  async read(options: RegistryOptions): Promise<Omit<Snapshot, "lock"> | undefined> {
    try {
      const text = await Deno.readTextFile(this.#file);
      const newline = text.indexOf("\n");
      if (newline < 0) return undefined;
      const header = JSON.parse(text.slice(0, newline));
      if (
        header?.format !== FORMAT || header.version !== SNAPSHOT_VERSION || header.key !== this.#key
      ) return undefined;
      const body = text.slice(newline + 1);
      if (header.body !== await integrityOfLarge(encoder.encode(body))) return undefined;
      return restore(JSON.parse(body), options);
    } catch {
      // Missing or corrupt: a miss; the next save replaces it.
      return undefined;
    }
  }

  /** Keeps the index discovery finished with, for the same inputs next time. */
  async save(snapshot: Snapshot, plugins: readonly PluginRecord[]): Promise<void> {
    const text = exactJson(store(snapshot, plugins));
    if (text === undefined) return;
    const header = JSON.stringify({
      format: FORMAT,
      version: SNAPSHOT_VERSION,
      key: this.#key,
      body: await integrityOfLarge(encoder.encode(text)),
    });
    await writeAtomically(this.#file, `${header}\n${text}`);
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
      order: plugins[i]!.order,
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
    diagnostics: snapshot.diagnostics,
  };
}

function restore(body: Body, options: RegistryOptions): Omit<Snapshot, "lock"> | undefined {
  if (!Array.isArray(body?.plugins) || !Array.isArray(body.diagnostics)) return undefined;
  const records: { candidates: RankedCandidate[] }[] = [];
  const ranks = new Map<RankedCandidate, number>();
  const plugins = body.plugins.map((stored): PluginSummary => {
    const { order, implementations: own, ...summary } = stored;
    const candidates = own.map((stored) => {
      const [
        category,
        name,
        cls,
        module,
        exportName,
        description,
        configSchema,
        enabled,
        priority,
        metadata,
        requires,
        permissions,
        status,
        reason,
        rank,
      ] = stored;
      const implementation: Implementation = {
        category,
        name,
        qualifiedName: `${summary.name}/${name}`,
        plugin: summary.name,
        pluginVersion: summary.metadata.version,
        builtin: summary.builtin,
        class: cls,
        module,
        exportName,
        description,
        configSchema,
        enabled,
        priority,
        metadata,
        requires,
        permissions,
        manifestUrl: summary.url,
      };
      const candidate: RankedCandidate = { implementation, status, reason, order };
      ranks.set(candidate, rank);
      return candidate;
    });
    records.push({ candidates });
    return { ...summary, implementations: candidates.map((c) => c.implementation) };
  });
  const { index, qualified } = buildIndex(records);
  for (const names of index.values()) {
    for (const candidates of names.values()) {
      candidates.sort((a, b) => ranks.get(a)! - ranks.get(b)!);
    }
  }
  let categories: Record<string, CategoryDefinition>;
  if (options.categories === "declared") {
    if (!Array.isArray(body.categories)) return undefined;
    categories = namedCategories(body.categories);
  } else categories = options.categories;
  return { plugins, diagnostics: body.diagnostics, categories, index, qualified };
}
