import type { PluginMap } from "../config/mod.ts";
import type { SourceLimits } from "../sources/mod.ts";
import type {
  ConfigField,
  EnvReader,
  Permissions,
  PluginInfo,
  Requirements,
  YamlLimits,
} from "../manifest/mod.ts";
import type { LockOption } from "../trust/mod.ts";

/** A category the host application declares: a kind of thing plugins may provide. */
export interface CategoryDefinition {
  /** What implementations of this category do. */
  description: string;
  /** A schema every created instance must satisfy (checked after creation). */
  instance?: StandardSchema;
  /** A schema each implementation's `metadata` must satisfy (checked at discovery; synchronous). */
  metadata?: StandardSchema;
}

/**
 * Any schema that follows the Standard Schema interface (https://standardschema.dev): valibot
 * 1.x, zod 3.24+, ArkType 2 and others. A host checks its categories with whichever schema
 * library it already uses, at whichever version; plugmap needs only this interface.
 */
export interface StandardSchema {
  /** The Standard Schema properties. */
  readonly "~standard": {
    /** The version of the interface: 1. */
    readonly version: 1;
    /** The library that made the schema. */
    readonly vendor: string;
    /** Validates a value: its output, or issues with their paths (possibly as a promise). */
    readonly validate: (
      value: unknown,
    ) =>
      | ({ readonly value: unknown; readonly issues?: undefined } | {
        readonly issues: ReadonlyArray<
          {
            readonly message: string;
            readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
          }
        >;
      })
      | Promise<
        { readonly value: unknown; readonly issues?: undefined } | {
          readonly issues: ReadonlyArray<
            {
              readonly message: string;
              readonly path?:
                | ReadonlyArray<PropertyKey | { readonly key: PropertyKey }>
                | undefined;
            }
          >;
        }
      >;
  };
}

/** The host application, for `requires` checks. */
export interface HostInfo {
  /** The host's name, as plugins write it in `requires` (`bench>=0.1.0`). */
  name: string;
  /** The host's semver version. */
  version: string;
  /** Other components plugins may require, name to version (`deno` is always known). */
  versions?: Record<string, string>;
}

/** Options for {@link createRegistry}. */
export interface RegistryOptions {
  /** The host application. */
  host: HostInfo;
  /**
   * The categories the host understands; manifest sections for others are diagnostics. A tool
   * that stands in for an unknown host passes `"declared"`: every category the manifests declare.
   */
  categories: Record<string, CategoryDefinition> | "declared";
  /** The host's own manifest of built-in implementations (a URL or path). */
  builtins?: string | URL;
  /** The plugin map: an object from {@link parsePluginMap}, or a document to read it from. */
  plugins?: PluginMap | string | URL;
  /** Throw a {@link DiscoveryError} when discovery finds any error. Default `false`. */
  strict?: boolean;
  /** Reads environment variables for configs. Default: `Deno.env`. */
  env?: EnvReader;
  /** Base URL of the JSR registry. Default: `JSR_URL`, else `https://jsr.io`. */
  jsrUrl?: string;
  /** Limits on fetching and parsing manifests. */
  limits?: { source?: Partial<SourceLimits>; yaml?: Partial<YamlLimits> };
  /**
   * Verify discovery against a lock (from `createLock` in `@plugmap/plugmap/trust`): the lock
   * itself, the path or URL of a lock file, or `true` for `plugins.lock.json` beside the plugin
   * map document. A lock file that does not exist yet means no lock; an invalid one makes
   * discovery throw a {@link ConfigError}. Each plugin the lock lists is read from its pinned URL
   * (a `jsr:` range resolves to the locked version without asking the registry), its manifest
   * must have the locked SHA-256 (else a `lock_mismatch` diagnostic naming both hashes), and each
   * network module its `class` points at is fetched and hashed before it is imported (else a
   * {@link PluginLoadError} with code `refused`). Plugins the lock does not list are read as
   * usual, unless `frozen`.
   */
  lock?: LockOption;
  /**
   * Refuse every plugin the lock does not list (a `not_locked` diagnostic); with a lock path
   * that does not exist, every plugin. Needs `lock`. Default `false`.
   */
  frozen?: boolean;
  /**
   * A directory caching network manifests by SHA-256 (`<dir>/sha256-<hex>`), for example
   * `defaultCacheDir()`'s from `@plugmap/plugmap/trust`. Every network manifest fetched is stored (written to a
   * temporary file, then renamed); a locked manifest whose hash is cached is read from it with
   * no network at all. Skipped without read and write permission on it. Default: no cache.
   */
  cacheDir?: string | URL;
  /**
   * Keep index snapshots in `cacheDir` (`<dir>/snapshots/`): the finished index, taken whole
   * when every manifest's text and every other input of discovery (host, categories, Deno and
   * plugmap versions, YAML limits, the map) is the same; and what parsing and validating each
   * manifest gave, keyed by the SHA-256 of its text, so unchanged manifests skip YAML parsing
   * and validation when others changed. Every manifest is still read and hashed on every
   * discovery; a changed one is always parsed again; a corrupt or foreign snapshot is ignored
   * and rewritten. A category with a `metadata` schema turns the finished index off (a schema
   * is code, not a key). Needs `cacheDir`. Default `true`.
   */
  snapshot?: boolean;
  /**
   * Hash local manifests too, so {@link PluginSummary.integrity} is set for every plugin
   * (network ones are always hashed). Always on with a `lock`. Default `false`.
   */
  integrity?: boolean;
  /**
   * How long getting or creating an implementation may take, in milliseconds: importing its
   * module (a top-level await that never settles, a module graph that stalls) and, for
   * `create`, an async factory function. Past it, a {@link PluginLoadError} with code
   * `timeout` names the implementation, the module and the time waited. An import cannot be
   * cancelled: it goes on in the background, and Deno may report its unsettled top-level await
   * when the process ends. `Infinity` waits forever; a call's own `timeoutMs` wins. Default
   * 30 000.
   */
  loadTimeoutMs?: number;
}

/** One implementation as the registry knows it, without its code. */
export interface Implementation {
  /** Its category. */
  category: string;
  /** Its name within the category. */
  name: string;
  /** `<plugin>/<name>`: reaches this implementation even when another wins its name. */
  qualifiedName: string;
  /** The plugin providing it (its plugin map name, or the host's name for built-ins). */
  plugin: string;
  /** The plugin's version, when its manifest declares one. */
  pluginVersion: string | undefined;
  /** Whether it is one of the host's built-ins. */
  builtin: boolean;
  /** The `class` specifier as written in the manifest. */
  class: string;
  /** The module URL the code is imported from. */
  module: string;
  /** The export used (`default` when the specifier has no `#`). */
  exportName: string;
  /** What it does. */
  description: string;
  /** Its config fields. */
  configSchema: Readonly<Record<string, ConfigField>>;
  /** Whether it is enabled (disabled ones are listed by `explain` only). */
  enabled: boolean;
  /** Its priority among plugins providing the same name (higher wins). */
  priority: number;
  /** Free-form metadata, checked against the category's `metadata` schema. */
  metadata: Readonly<Record<string, unknown>>;
  /** Its own requirements. */
  requires: Readonly<Requirements>;
  /** The Deno permissions its code declares it needs (empty when it declares none). */
  permissions: Readonly<Permissions>;
  /** The manifest it was declared in. */
  manifestUrl: string;
}

/** A plugin (or the host's built-ins) as discovered. */
export interface PluginSummary {
  /** The plugin's name in the map. */
  name: string;
  /** Whether these are the host's built-ins. */
  builtin: boolean;
  /** The manifest specifier as written in the map. */
  specifier: string;
  /** The manifest URL it was read from (after redirects and `jsr:` resolution). */
  url: string;
  /** `ok`, `disabled` (by its manifest), `incompatible` (requires unmet) or `broken`. */
  status: "ok" | "disabled" | "incompatible" | "broken";
  /** The manifest's `plugin:` name, version and other metadata, when it could be read. */
  metadata: Omit<PluginInfo, "enabled">;
  /** The `jsr:` version chosen, for `jsr:` specifiers. */
  jsrVersion?: string;
  /** `sha256-<hex>` of the manifest text, when it was read. */
  integrity?: string;
  /** Its implementations (all of them, including disabled and skipped ones). */
  implementations: readonly Implementation[];
}

/** How one candidate for a name fared. */
export interface Candidate {
  /** The implementation. */
  implementation: Implementation;
  /** `selected`, `shadowed` (another won), `disabled`, `incompatible` or `broken`. */
  status: "selected" | "shadowed" | "disabled" | "incompatible" | "broken";
  /** Why, in a sentence. */
  reason: string;
}

/** Why a name resolves the way it does. */
export interface Explanation {
  /** The category asked about. */
  category: string;
  /** The name asked about. */
  name: string;
  /** The implementation the name resolves to, if any. */
  selected: Implementation | undefined;
  /** Every candidate, winner first, with what happened to it. */
  candidates: readonly Candidate[];
}

/** A typed view of one category: list, describe, get and create its implementations. */
export interface Factory<T> {
  /** The category. */
  readonly category: string;
  /** The implementations a name resolves to (one per name), sorted by name. Imports nothing. */
  list(): Implementation[];
  /** Whether `name` (or `plugin/name`) resolves. */
  has(name: string): boolean;
  /** The implementation `name` resolves to. Imports nothing. */
  describe(name: string): Implementation;
  /**
   * The implementation's export, imported on first use and cached.
   *
   * @throws {PluginLoadError} With code `timeout` when the import takes longer than the time
   * limit (`options.timeoutMs`, else the registry's `loadTimeoutMs`).
   */
  get(name: string, options?: { timeoutMs?: number }): Promise<unknown>;
  /**
   * Validates `config`, imports the code if needed and creates an instance, within the time
   * limit (`options.timeoutMs`, else the registry's `loadTimeoutMs`) for the import and an
   * async factory together.
   */
  create(
    name: string,
    config?: unknown,
    context?: unknown,
    options?: { timeoutMs?: number },
  ): Promise<T>;
  /**
   * Why `name` resolves the way it does: every candidate for it, winner first, disabled and
   * skipped ones included. A qualified name (`plugin/name`) is explained among the candidates
   * for `name`, and resolves to its own implementation when that is usable (selected or
   * shadowed). Imports nothing.
   *
   * @throws {UnknownImplementationError} No candidate has that name (with the nearest one).
   */
  explain(name: string): Explanation;
}
