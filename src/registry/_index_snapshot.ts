import type { Manifest } from "../manifest/mod.ts";
import { toUrl } from "../sources/mod.ts";
import { integrityOfSync } from "../_util/integrity.ts";
import { PLUGMAP_VERSION } from "../_util/version.ts";
import type { Diagnostic } from "./diagnostic.ts";
import type { RegistryOptions } from "./types.ts";

const FORMAT = "plugmap-index-snapshot";

/** What parsing one manifest's bytes gave: the validated manifest, or its problems. */
export type Parsed =
  | { manifest: Manifest }
  | { problems: Omit<Diagnostic, "severity" | "plugin" | "url">[] };

interface Entry {
  integrity: string;
  parsed: Parsed;
}

// A cache is an optimisation: without the permission (or on a prompt) it is skipped, never asked.
function granted(name: "read" | "write", dir: URL): boolean {
  try {
    return Deno.permissions.querySync({ name, path: dir }).state === "granted";
  } catch {
    return false;
  }
}

// A number JSON cannot carry (NaN, Infinity from YAML's .nan, .inf) would come back as null:
// such an entry is not stored, so what comes back is always what was validated.
function toJson(entries: Map<string, Entry>): string {
  const out: Record<string, Entry> = {};
  for (const [url, entry] of entries) {
    let exact = true;
    JSON.stringify(entry, (_key, value) => {
      if (typeof value === "number" && !Number.isFinite(value)) exact = false;
      return value;
    });
    if (exact) out[url] = entry;
  }
  return JSON.stringify(out);
}

function isEntry(value: unknown): value is Entry {
  if (typeof value !== "object" || value === null) return false;
  const { integrity, parsed } = value as Partial<Entry>;
  if (typeof integrity !== "string" || typeof parsed !== "object" || parsed === null) return false;
  if ("manifest" in parsed) {
    const m = parsed.manifest as Partial<Manifest> | null;
    return typeof m === "object" && m !== null && typeof m.url === "string" &&
      typeof m.plugin === "object" && m.plugin !== null &&
      typeof m.categories === "object" && m.categories !== null;
  }
  return "problems" in parsed && Array.isArray(parsed.problems);
}

/**
 * The validated index snapshot: per manifest URL, the SHA-256 of the bytes last parsed and what
 * parsing and validating them gave. A manifest is taken from it only when its bytes hash the
 * same now, so an edit (even one that keeps size and modification time), a swapped file or a
 * new plugmap version (part of the file's key, with the map URL and the YAML limits) is parsed
 * again. Later stages (categories, host, requirements, precedence) always run.
 *
 * One file per plugin map in `<cacheDir>/snapshots/`: a header line (format, plugmap version,
 * key, SHA-256 of the body), then the body. A file that is unreadable, corrupt, foreign or of
 * another version is ignored and replaced; writes go to a temporary file, then a rename.
 */
export class IndexSnapshot {
  #file: URL;
  #key: string;
  #old: Map<string, Entry>;
  #next = new Map<string, Entry>();
  #changed = false;

  private constructor(file: URL, key: string, old: Map<string, Entry>) {
    this.#file = file;
    this.#key = key;
    this.#old = old;
  }

  /** The snapshot for these options and this map, or `undefined` when it is off. */
  static async open(
    options: RegistryOptions,
    mapUrl: string | undefined,
  ): Promise<IndexSnapshot | undefined> {
    if (options.snapshot === false || options.cacheDir === undefined) return undefined;
    const href = toUrl(options.cacheDir).href;
    const dir = new URL(href.endsWith("/") ? href : `${href}/`);
    if (!granted("read", dir) || !granted("write", dir)) return undefined;
    const key = JSON.stringify([FORMAT, PLUGMAP_VERSION, mapUrl ?? "", options.limits?.yaml ?? {}]);
    const name = integrityOfSync(new TextEncoder().encode(key)).slice("sha256-".length, 39);
    const file = new URL(`snapshots/${name}.json`, dir);
    return new IndexSnapshot(file, key, await read(file, key));
  }

  /** What parsing gave for these bytes at this URL, if the snapshot has exactly them. */
  get(url: string, integrity: string): Parsed | undefined {
    const entry = this.#old.get(url);
    if (entry === undefined || entry.integrity !== integrity) return undefined;
    this.#next.set(url, entry);
    return entry.parsed;
  }

  /** Records what parsing these bytes gave. */
  set(url: string, integrity: string, parsed: Parsed): void {
    this.#next.set(url, { integrity, parsed });
    this.#changed = true;
  }

  /** Writes the snapshot when anything changed (entries no longer used are dropped). */
  async save(): Promise<void> {
    if (!this.#changed && this.#next.size === this.#old.size) return;
    const body = toJson(this.#next);
    const header = JSON.stringify({
      format: FORMAT,
      version: PLUGMAP_VERSION,
      key: this.#key,
      body: integrityOfSync(new TextEncoder().encode(body)),
    });
    const dir = new URL("./", this.#file);
    let temp: string | undefined;
    try {
      await Deno.mkdir(dir, { recursive: true });
      temp = await Deno.makeTempFile({ dir: decodeURIComponent(dir.pathname), prefix: ".tmp-" });
      await Deno.writeTextFile(temp, `${header}\n${body}`);
      await Deno.rename(temp, this.#file);
      temp = undefined;
    } catch {
      // Best effort: the next discovery parses again and tries again.
    } finally {
      if (temp !== undefined) await Deno.remove(temp).catch(() => {});
    }
  }
}

async function read(file: URL, key: string): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch {
    return entries;
  }
  try {
    const newline = text.indexOf("\n");
    const header = JSON.parse(text.slice(0, newline));
    const body = text.slice(newline + 1);
    if (
      newline < 0 || header?.format !== FORMAT || header.version !== PLUGMAP_VERSION ||
      header.key !== key || header.body !== integrityOfSync(new TextEncoder().encode(body))
    ) return entries;
    const data = JSON.parse(body);
    if (typeof data !== "object" || data === null || Array.isArray(data)) return entries;
    for (const [url, entry] of Object.entries(data)) {
      if (isEntry(entry)) entries.set(url, entry);
    }
  } catch {
    // Corrupt: ignored, and replaced by the next save.
  }
  return entries;
}
