import { ConfigError } from "./config_error.ts";
import { PLUGIN_NAME, RESERVED_NAMES } from "../_util/names.ts";

/** One plugin of a plugin map: its name and the specifier of its manifest. */
export interface PluginMapEntry {
  /** The plugin's name in this map; implementations are qualified by it (`name/impl`). */
  name: string;
  /** The manifest specifier as written (relative, `file:`, `https:`, `http:`, `jsr:` or bare). */
  specifier: string;
}

/** A plugin map: which manifests an application uses, in precedence order. */
export interface PluginMap {
  /** The URL of the document the map came from; relative specifiers resolve against it. */
  url: string;
  /** The plugins, in document order (ties in priority go to the earlier one). */
  plugins: PluginMapEntry[];
  /** The document's `"imports"` map, for bare specifiers. */
  imports: Record<string, string>;
  /**
   * The document's `"scopes"` (import-map scopes: URL prefix -> specifier map); a scope whose
   * prefix the document's URL starts with is used before `"imports"`.
   */
  scopes?: Record<string, Record<string, string>>;
  /**
   * The document's own `"name"`, when it has one (a deno.json's package name), or the name of
   * its `"plugins"."host"` (`"NAME@VERSION"`, beside `"plugins"."map"`), which wins.
   */
  name?: string;
  /** The document's own `"version"`, or the version of its `"plugins"."host"`. */
  version?: string;
}

// The map is checked by hand, not with valibot: a discovery reads it on every run, and loading a
// schema library for three string records would cost more than reading the map. The messages are
// the ones the valibot schemas this replaced gave (tests/config/plugin_map_test.ts).
type MapIssue = { path: string; message: string };

// How a received value is named in a message (valibot's wording: "x" quoted, numbers as they
// are, objects by their constructor).
function received(value: unknown): string {
  const type = typeof value;
  if (type === "string") return `"${value}"`;
  if (type === "number" || type === "bigint" || type === "boolean") return `${value}`;
  if (type === "object" || type === "function") {
    return (value && Object.getPrototypeOf(value)?.constructor?.name) ?? "null";
  }
  return type;
}

// The entries of an object (a list too, by index) that may become keys: own, and not one that
// would reach a prototype, which are left out (as valibot's records leave them out).
function entriesOf(value: object): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const key in value) {
    if (Object.hasOwn(value, key) && !RESERVED_NAMES.has(key)) {
      out.push([key, (value as Record<string, unknown>)[key]]);
    }
  }
  return out;
}

// An issue's path: the section, then the keys below it joined by dots, as valibot's getDotPath
// joined them (an empty first key adds nothing).
function pathOf(section: string, keys: readonly string[]): string {
  let dotted = "";
  for (const key of keys) dotted = dotted ? `${dotted}.${key}` : dotted + key;
  return dotted ? `${section}.${dotted}` : section;
}

type Check = (key: string, entry: unknown, at: Place, issues: MapIssue[]) => void;
type Place = { section: string; keys: readonly string[] };

// A record: `check` says what is wrong with each entry (or nothing).
function checkRecord(
  value: unknown,
  at: Place,
  notRecord: string,
  check: Check,
  issues: MapIssue[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof value !== "object" || value === null) {
    issues.push({
      path: pathOf(at.section, at.keys),
      message: `${notRecord} but received ${received(value)}`,
    });
    return out;
  }
  for (const [key, entry] of entriesOf(value)) {
    check(key, entry, { section: at.section, keys: [...at.keys, key] }, issues);
    out[key] = entry;
  }
  return out;
}

function checkPlugin(name: string, specifier: unknown, at: Place, issues: MapIssue[]): void {
  const path = pathOf(at.section, at.keys);
  if (!PLUGIN_NAME.test(name)) {
    issues.push({ path, message: `Invalid plugin name ${received(name)}` });
  }
  if (typeof specifier !== "string") {
    issues.push({
      path,
      message: `Expected a manifest specifier string but received ${received(specifier)}`,
    });
  } else if (specifier.length === 0) {
    issues.push({ path, message: "A manifest specifier must not be empty" });
  }
}

function checkTarget(_key: string, target: unknown, at: Place, issues: MapIssue[]): void {
  if (typeof target !== "string") {
    issues.push({
      path: pathOf(at.section, at.keys),
      message: `Invalid type: Expected string but received ${received(target)}`,
    });
  }
}

function checkScope(_key: string, scope: unknown, at: Place, issues: MapIssue[]): void {
  checkRecord(
    scope,
    at,
    "Expected a scope to be a mapping of specifier to target",
    checkTarget,
    issues,
  );
}

// The common map, checked in one pass: every entry a plugin name and a non-empty specifier string,
// taken in the order the full check takes them. Anything else is left to the full check, which
// words each problem.
function plainEntries(value: unknown): PluginMapEntry[] | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const entries: PluginMapEntry[] = [];
  for (const name in value) {
    if (!Object.hasOwn(value, name) || RESERVED_NAMES.has(name)) continue;
    const specifier = (value as Record<string, unknown>)[name];
    if (typeof specifier !== "string" || specifier === "" || !PLUGIN_NAME.test(name)) {
      return undefined;
    }
    entries.push({ name, specifier });
  }
  return entries;
}

/** Options for {@link parsePluginMap}. */
export interface ParsePluginMapOptions {
  /** The URL of the document the map is in. */
  url: string | URL;
  /** The document's `"imports"`, for bare specifiers. */
  imports?: unknown;
  /** The document's `"scopes"`, for bare specifiers (import-map scopes). */
  scopes?: unknown;
}

/**
 * Validates a plugin map object (`{ "<name>": "<manifest specifier>" }`) taken from any
 * document.
 *
 * @param value The `"plugins"` value.
 * @param options The document's URL and `"imports"`.
 * @returns The plugin map.
 * @throws {ConfigError} Not a mapping of names to specifier strings.
 *
 * @example Reading the plugins section of a config
 * ```ts
 * import { parsePluginMap } from "@plugmap/plugmap";
 * import { equal } from "node:assert/strict";
 *
 * const map = parsePluginMap(
 *   { slo: "./plugins/slo/registry.yaml", hooks: "jsr:@acme/hooks@^1/registry.yaml" },
 *   { url: "file:///app/bench.yaml" },
 * );
 * equal(map.plugins.length, 2);
 * equal(map.plugins[0]?.name, "slo");
 * ```
 */
export function parsePluginMap(value: unknown, options: ParsePluginMapOptions): PluginMap {
  const url = String(options.url);
  if (Array.isArray(value)) {
    throw new ConfigError({
      source: url,
      issues: [{
        path: "plugins",
        message:
          'Expected "plugins" to be a mapping of name to manifest specifier but received a list',
      }],
    });
  }
  if (typeof value === "object" && value !== null) {
    const reserved = Object.keys(value).filter((key) => RESERVED_NAMES.has(key));
    if (reserved.length > 0) {
      throw new ConfigError({
        source: url,
        issues: reserved.map((key) => ({
          path: `plugins.${key}`,
          message: "Reserved plugin name",
        })),
      });
    }
  }
  const issues: MapIssue[] = [];
  const plain = plainEntries(value ?? {});
  const plugins = plain ?? checkRecord(
    value ?? {},
    { section: "plugins", keys: [] },
    'Expected "plugins" to be a mapping of name to manifest specifier',
    checkPlugin,
    issues,
  );
  const imports = checkRecord(
    options.imports ?? {},
    { section: "imports", keys: [] },
    'Expected "imports" to be a mapping of specifier to target',
    checkTarget,
    issues,
  );
  const scopes = checkRecord(
    options.scopes ?? {},
    { section: "scopes", keys: [] },
    'Expected "scopes" to be a mapping of URL prefix to imports',
    checkScope,
    issues,
  );
  if (issues.length > 0) throw new ConfigError({ source: url, issues });
  return {
    url,
    plugins: plain ??
      Object.entries(plugins as Record<string, string>).map(([name, specifier]) => ({
        name,
        specifier,
      })),
    imports: imports as Record<string, string>,
    ...(options.scopes !== undefined
      ? { scopes: copyScopes(scopes as Record<string, Record<string, string>>) }
      : {}),
  };
}

/**
 * The plugin map of a parsed document: its `"plugins"` object (or `"plugins"."map"`, in
 * documents whose `"plugins"` section holds other settings too), its `"imports"`, `"name"` and
 * `"version"` (and `"scopes"`). A document that is not an object has no plugins.
 *
 * @throws {ConfigError} The map is invalid.
 */
export function pluginMapOf(doc: unknown, url: string): PluginMap {
  const record = asRecord(doc);
  const section = record["plugins"];
  const nested = isNested(section);
  const map = parsePluginMap(nested ? (section as Record<string, unknown>)["map"] : section, {
    url,
    imports: record["imports"],
    ...(record["scopes"] !== undefined ? { scopes: record["scopes"] } : {}),
  });
  if (typeof record["name"] === "string") map.name = record["name"];
  if (typeof record["version"] === "string") map.version = record["version"];
  // A key of plugmap's own beside the map: a deno.json need not carry a "name" (Deno warns about
  // a "name" without "exports" on every run) to say which application its plugins are for.
  const host = nested ? (section as Record<string, unknown>)["host"] : undefined;
  if (host !== undefined) {
    const at = typeof host === "string" ? host.lastIndexOf("@") : -1;
    if (typeof host !== "string" || at <= 0 || at === host.length - 1) {
      throw new ConfigError({
        source: url,
        issues: [{
          path: "plugins.host",
          message: `Expected "NAME@VERSION" (the application the plugins are for) but received ${
            JSON.stringify(host)
          }`,
        }],
      });
    }
    map.name = host.slice(0, at);
    map.version = host.slice(at + 1);
  }
  return map;
}

// Each scope copied as valibot's record gave it: own entries only, no prototype keys.
function copyScopes(scopes: Record<string, Record<string, string>>) {
  const out: Record<string, Record<string, string>> = {};
  for (const [prefix, scope] of Object.entries(scopes)) {
    out[prefix] = Object.fromEntries(entriesOf(scope)) as Record<string, string>;
  }
  return out;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : {};
}

// A document whose "plugins" section also holds host settings (the benchmark file's
// `plugins: {map: {...}, phase_hooks: [...]}`) keeps its map under "map". A plugin map entry is
// always a string, so an object there is unambiguous.
function isNested(section: unknown): boolean {
  return typeof asRecord(section)["map"] === "object";
}

/**
 * Where the field of a plugin map issue (its `path`: `plugins.<name>`, `imports.<specifier>`,
 * `scopes.<prefix>.<specifier>`) is written in the document {@link pluginMapOf} read: its keys
 * from the document's root. Names and specifiers may hold dots, so the path is split by the
 * document's own keys; `plugins` is `plugins.map` in a nested map.
 */
export function documentKeys(doc: unknown, path: string): string[] {
  const dot = path.indexOf(".");
  const section = dot < 0 ? path : path.slice(0, dot);
  const rest = dot < 0 ? "" : path.slice(dot + 1);
  const record = asRecord(doc);
  const base = section === "plugins" && isNested(record["plugins"])
    ? ["plugins", "map"]
    : [section];
  if (rest === "") return base;
  if (section !== "scopes") return [...base, rest];
  const prefix = Object.keys(asRecord(record["scopes"]))
    .filter((key) => rest === key || rest.startsWith(`${key}.`))
    .sort((a, b) => b.length - a.length)[0];
  if (prefix === undefined) return base;
  return prefix === rest ? [...base, prefix] : [...base, prefix, rest.slice(prefix.length + 1)];
}
