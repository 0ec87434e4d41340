import type { Manifest } from "../manifest/mod.ts";
import { integrityOfLarge } from "../_util/integrity.ts";
import { SNAPSHOT_VERSION } from "../_util/version.ts";
import type { Diagnostic } from "./diagnostic.ts";
import { exactJson, openSnapshot, snapshotDir, writeSnapshot } from "./_snapshot_dir.ts";
import type { RegistryOptions } from "./types.ts";

// 3: an entry holds the text parsed itself, compared whole (was: its SHA-256, which needed
// node:crypto: loading it cost a first discovery about 15 ms, more than comparing the texts).
// 4: one entry a line, `[url, text, parsed]`, so an entry kept is written back as it was read.
const FORMAT = "plugmap-index-snapshot-4";
const encoder = new TextEncoder();

/** What parsing one manifest's bytes gave: the validated manifest, or its problems. */
export type Parsed =
  | { manifest: Manifest }
  | { problems: Omit<Diagnostic, "severity" | "plugin" | "url">[] };

interface Entry {
  text: string;
  parsed: Parsed;
}

/** An entry read from the snapshot, with the line it was read from. */
type ReadEntry = Entry & { line: string };

// One entry as a line of the body (JSON never leaves a newline in its output), or `undefined`
// when a number in it JSON cannot carry (NaN, Infinity from YAML's .nan, .inf: they would come back
// as null): such an entry is not stored, so what comes back is always what was validated. Each
// entry is written as it is recorded, while its objects are new (one JSON.stringify of the whole
// map at the end cost a first discovery of 1,000 manifests about 45 ms here, against about 10 ms
// this way), and an entry taken from the snapshot is written back as the line it was read from.
function line(url: string, entry: Entry): string | undefined {
  return exactJson([url, entry.text, entry.parsed]);
}

function isEntry(value: { text: unknown; parsed: unknown }): value is Entry {
  const { text, parsed } = value;
  if (typeof text !== "string" || typeof parsed !== "object" || parsed === null) return false;
  if ("manifest" in parsed) {
    const m = parsed.manifest as Partial<Manifest> | null;
    return typeof m === "object" && m !== null && typeof m.url === "string" &&
      typeof m.plugin === "object" && m.plugin !== null &&
      typeof m.categories === "object" && m.categories !== null;
  }
  return "problems" in parsed && Array.isArray(parsed.problems);
}

/**
 * The validated index snapshot: per manifest URL, the text last parsed and what parsing and
 * validating it gave. A manifest is taken from it only when its text is the same now, character
 * for character, so an edit (even one that keeps size and modification time), a swapped file or a
 * new plugmap version (part of the file's key, with the map URL and the YAML limits) is parsed
 * again. Later stages (categories, host, requirements, precedence) run on what it gives; the
 * finished index of a whole discovery is {@link FinishedIndex}'s.
 *
 * One file per plugin map in `<cacheDir>/snapshots/`: a header line (format, plugmap version,
 * key, SHA-256 of the body), then the body. A file that is unreadable, corrupt, foreign or of
 * another version is ignored and replaced; writes go to a temporary file, then a rename.
 */
export class IndexSnapshot {
  #file: URL;
  #key: string;
  #old: Map<string, ReadEntry>;
  /** Per URL, its entry as a line of the body. */
  #next = new Map<string, string>();
  #changed = false;

  private constructor(file: URL, key: string, old: Map<string, ReadEntry>) {
    this.#file = file;
    this.#key = key;
    this.#old = old;
  }

  /** The snapshot for these options and this map, or `undefined` when it is off. */
  static async open(
    options: RegistryOptions,
    mapUrl: string | undefined,
  ): Promise<IndexSnapshot | undefined> {
    const dir = snapshotDir(options);
    if (dir === undefined) return undefined;
    const key = JSON.stringify([
      FORMAT,
      SNAPSHOT_VERSION,
      mapUrl ?? "",
      options.limits?.yaml ?? {},
    ]);
    const name = (await integrityOfLarge(encoder.encode(key))).slice("sha256-".length, 39);
    const file = new URL(`snapshots/${name}.json`, dir);
    return new IndexSnapshot(file, key, await read(file, key));
  }

  /** What parsing gave for this text at this URL, if the snapshot has exactly it. */
  get(url: string, text: string): Parsed | undefined {
    const entry = this.#old.get(url);
    if (entry === undefined || entry.text !== text) return undefined;
    this.#next.set(url, entry.line);
    return entry.parsed;
  }

  /** Records what parsing this text gave. */
  set(url: string, text: string, parsed: Parsed): void {
    const json = line(url, { text, parsed });
    if (json === undefined) this.#next.delete(url);
    else this.#next.set(url, json);
    this.#changed = true;
  }

  /** Writes the snapshot when anything changed (entries no longer used are dropped). */
  async save(): Promise<void> {
    if (!this.#changed && this.#next.size === this.#old.size) return;
    await writeSnapshot(this.#file, FORMAT, this.#key, [...this.#next.values()].join("\n"));
  }
}

async function read(file: URL, key: string): Promise<Map<string, ReadEntry>> {
  const entries = new Map<string, ReadEntry>();
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await Deno.readFile(file);
  } catch {
    return entries;
  }
  const opened = openSnapshot(bytes, FORMAT);
  if (opened === undefined || opened.key !== key) return entries;
  try {
    const lines = opened.text.split("\n");
    if (!await opened.intact) return entries;
    for (const line of lines) {
      const data = JSON.parse(line);
      if (!Array.isArray(data) || data.length !== 3 || typeof data[0] !== "string") continue;
      const entry = { text: data[1], parsed: data[2], line };
      if (isEntry(entry)) entries.set(data[0], entry);
    }
  } catch {
    // Corrupt: ignored, and replaced by the next save.
    return new Map();
  }
  return entries;
}
