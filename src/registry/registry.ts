import * as v from "valibot";
import { denoEnv, validateConfig } from "../config/validate_config.ts";
import type { PluginMap } from "../config/plugin_map.ts";
import { loadPluginMap } from "../config/plugin_map.ts";
import { nearest } from "../_util/did_you_mean.ts";
import type { Diagnostic } from "./diagnostic.ts";
import { discover, type Snapshot } from "./_discover.ts";
import { DiscoveryError } from "./discovery_error.ts";
import { PluginLoadError } from "./plugin_load_error.ts";
import { missingPermissionFlags } from "./_permissions.ts";
import { readBody, sha256Hex } from "../sources/_http.ts";
import { DEFAULT_SOURCE_LIMITS } from "../sources/limits.ts";
import { readLock } from "../trust/lock_file.ts";
import type { Lock } from "../trust/types.ts";
import { UnknownImplementationError } from "./unknown_implementation_error.ts";
import type {
  Explanation,
  Factory,
  Implementation,
  PluginSummary,
  RegistryOptions,
} from "./types.ts";

const EMPTY: Snapshot = { plugins: [], diagnostics: [], index: new Map(), qualified: new Map() };

function isClass(value: unknown): value is new (...args: unknown[]) => unknown {
  return typeof value === "function" && /^class[\s{]/.test(Function.prototype.toString.call(value));
}

/**
 * The plugin registry: what every manifest declares, indexed without importing any plugin
 * code; code is imported on first use. Create one with {@link createRegistry}.
 */
export class Registry {
  #options: RegistryOptions;
  #snapshot: Snapshot = EMPTY;
  #loads = new Map<string, Promise<unknown>>();

  /**
   * Use {@link createRegistry}, which also discovers the plugins.
   *
   * @param options The registry options.
   */
  constructor(options: RegistryOptions) {
    this.#options = options;
  }

  /** Every problem found by the last discovery, errors and warnings. */
  get diagnostics(): readonly Diagnostic[] {
    return this.#snapshot.diagnostics;
  }

  /**
   * Re-reads the plugin map and every manifest, then swaps the index in one step. Imported
   * modules are imported again on next use.
   *
   * @throws {DiscoveryError} In strict mode, when discovery finds errors.
   * @throws {ConfigError} The plugin map or the lock file is invalid.
   * @throws {TypeError} `frozen` without a `lock`.
   */
  async reload(): Promise<void> {
    const { lock: lockOption, frozen } = this.#options;
    if (frozen && lockOption === undefined) {
      throw new TypeError('The "frozen" option needs a "lock" (a lock or a lock file path)');
    }
    let lock: Lock | undefined;
    if (typeof lockOption === "string" || lockOption instanceof URL) {
      lock = await readLock(lockOption);
      // A frozen registry without its lock file trusts nothing.
      if (lock === undefined && frozen) lock = { version: 1, plugins: {} };
    } else {
      lock = lockOption;
    }
    const plugins = this.#options.plugins;
    let map: PluginMap | undefined;
    if (typeof plugins === "string" || plugins instanceof URL) {
      map = await loadPluginMap(plugins);
    } else {
      map = plugins;
    }
    const snapshot = await discover(this.#options, map, lock);
    if (this.#options.strict && snapshot.diagnostics.some((d) => d.severity === "error")) {
      throw new DiscoveryError(snapshot.diagnostics);
    }
    this.#snapshot = snapshot;
    this.#loads.clear();
  }

  /** The host's categories, with their descriptions. */
  categories(): { name: string; description: string }[] {
    return Object.entries(this.#options.categories).map(([name, c]) => ({
      name,
      description: c.description,
    }));
  }

  /** Every plugin, built-ins first, then in plugin map order, whatever its status. */
  plugins(): PluginSummary[] {
    return [...this.#snapshot.plugins];
  }

  /** One plugin by its map name, or `undefined`. */
  plugin(name: string): PluginSummary | undefined {
    return this.#snapshot.plugins.find((p) => p.name === name);
  }

  /**
   * The usable implementations of a category, one per name (the one the name resolves to),
   * sorted by name. Imports nothing.
   *
   * @param category The category.
   * @returns The implementations.
   */
  list(category: string): Implementation[] {
    this.#category(category);
    const names = this.#snapshot.index.get(category);
    if (!names) return [];
    return [...names.entries()]
      .flatMap(([, candidates]) =>
        candidates[0]?.status === "selected" ? [candidates[0].implementation] : []
      )
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Whether a name (or `plugin/name`) resolves to a usable implementation.
   *
   * @param category The category.
   * @param name The name or qualified name.
   * @returns `true` when {@link Registry.get} would find it.
   */
  has(category: string, name: string): boolean {
    try {
      this.describe(category, name);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The implementation a name resolves to, without importing it.
   *
   * @param category The category.
   * @param name The name, or `plugin/name` for a specific plugin's.
   * @returns The implementation.
   * @throws {UnknownImplementationError} No such name (the message lists the available ones).
   * @throws {PluginLoadError} The name exists but is disabled, incompatible or broken.
   */
  describe(category: string, name: string): Implementation {
    this.#category(category);
    const slash = name.indexOf("/", name.startsWith("@") ? name.indexOf("/") + 1 : 0);
    if (slash > 0) {
      const candidate = this.#snapshot.qualified.get(category)?.get(name);
      if (candidate === undefined) this.#unknown(category, name);
      // A shadowed candidate is usable by its qualified name; that is what the name is for.
      if (candidate.status !== "selected" && candidate.status !== "shadowed") {
        throw new PluginLoadError(
          "disabled",
          name,
          candidate.implementation.module,
          candidate.reason,
        );
      }
      return candidate.implementation;
    }
    const candidates = this.#snapshot.index.get(category)?.get(name);
    if (candidates === undefined || candidates.length === 0) this.#unknown(category, name);
    const [first] = candidates;
    if (first!.status !== "selected") {
      throw new PluginLoadError(
        "disabled",
        first!.implementation.qualifiedName,
        first!.implementation.module,
        `No usable candidate for "${name}": ${first!.reason}`,
      );
    }
    return first!.implementation;
  }

  /**
   * The code of an implementation: its module is imported on first use (concurrent callers
   * share one import), the export checked and cached.
   *
   * @param category The category.
   * @param name The name or qualified name.
   * @returns The export (a class or function).
   * @throws {UnknownImplementationError} No such name.
   * @throws {PluginLoadError} The import failed or the export is missing.
   */
  get(category: string, name: string): Promise<unknown> {
    let implementation: Implementation;
    try {
      implementation = this.describe(category, name);
    } catch (error) {
      return Promise.reject(error);
    }
    const key = `${category}\0${implementation.qualifiedName}`;
    let load = this.#loads.get(key);
    if (load === undefined) {
      load = this.#import(implementation);
      this.#loads.set(key, load);
      // A failed import may succeed later (a server back up): do not cache failures.
      load.catch(() => this.#loads.delete(key));
    }
    return load;
  }

  async #import(implementation: Implementation): Promise<unknown> {
    const { module: url, exportName, qualifiedName } = implementation;
    // Refuse up front, naming the flags, rather than fail somewhere inside the plugin.
    const missing = await missingPermissionFlags(implementation.permissions);
    if (missing.length > 0) {
      throw new PluginLoadError(
        "refused",
        qualifiedName,
        url,
        `It needs permissions this process lacks: run with ${missing.join(" ")}`,
      );
    }
    await this.#verify(implementation);
    let module: Record<string, unknown>;
    try {
      module = await import(url);
    } catch (error) {
      throw new PluginLoadError(
        "import_failed",
        qualifiedName,
        url,
        (error as Error).message?.split("\n")[0] ?? String(error),
        { cause: error },
      );
    }
    if (!(exportName in module)) {
      const exports = Object.keys(module).sort();
      throw new PluginLoadError(
        "export_missing",
        qualifiedName,
        url,
        `The module has no export "${exportName}"; it exports: ${exports.join(", ") || "nothing"}`,
      );
    }
    return module[exportName];
  }

  // A locked network module is fetched and hashed before it is imported. Deno then imports the
  // same URL, possibly from its own module cache; the bytes checked are not handed to import.
  async #verify(implementation: Implementation): Promise<void> {
    const { module: url, qualifiedName, plugin, builtin } = implementation;
    const lock = this.#snapshot.lock;
    if (builtin || lock === undefined || !/^https?:/.test(url)) return;
    if (!Object.hasOwn(lock.plugins, plugin)) return;
    const modules = lock.plugins[plugin]!.modules;
    if (!Object.hasOwn(modules, url)) {
      throw new PluginLoadError(
        "refused",
        qualifiedName,
        url,
        'The lock pins no hash for this module: run "plugins lock" to pin it',
      );
    }
    const expected = modules[url]!;
    let bytes: Uint8Array;
    try {
      ({ bytes } = await readBody(
        new URL(url),
        { ...DEFAULT_SOURCE_LIMITS, ...this.#options.limits?.source },
      ));
    } catch (error) {
      throw new PluginLoadError(
        "import_failed",
        qualifiedName,
        url,
        `Cannot fetch it to check its locked hash: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const actual = `sha256-${await sha256Hex(bytes)}`;
    if (actual !== expected) {
      throw new PluginLoadError(
        "refused",
        qualifiedName,
        url,
        `The module changed since it was locked: expected ${expected}, got ${actual}; it was not imported`,
      );
    }
  }

  /**
   * Creates an instance: validates `config` against the implementation's `config_schema`
   * (defaults, env vars, `${VAR}`), imports the code if needed, then calls `new Export(config,
   * context)` for a class or `await Export(config, context)` for a function, and checks the
   * result against the category's `instance` schema.
   *
   * @param category The category.
   * @param name The name or qualified name.
   * @param config The config, checked against the implementation's `config_schema`.
   * @param context Anything the host passes to every implementation of the category.
   * @returns The instance.
   * @throws {UnknownImplementationError} No such name.
   * @throws {ConfigError} The config is invalid.
   * @throws {PluginLoadError} Import, creation or instance check failed.
   */
  async create<T = unknown>(
    category: string,
    name: string,
    config?: unknown,
    context?: unknown,
  ): Promise<T> {
    const implementation = this.describe(category, name);
    const valid = validateConfig(implementation.configSchema, config, {
      source: `${category}/${implementation.qualifiedName}`,
      env: this.#options.env ?? denoEnv,
    });
    const exported = await this.get(category, implementation.qualifiedName);
    const { qualifiedName, module } = implementation;
    if (typeof exported !== "function") {
      throw new PluginLoadError(
        "not_creatable",
        qualifiedName,
        module,
        `The export "${implementation.exportName}" is a ${typeof exported}, not a class or function`,
      );
    }
    let instance: unknown;
    try {
      instance = isClass(exported) ? new exported(valid, context) : await exported(valid, context);
    } catch (error) {
      throw new PluginLoadError(
        "create_failed",
        qualifiedName,
        module,
        `Creating it threw: ${(error as Error)?.message ?? String(error)}`,
        { cause: error },
      );
    }
    const schema = this.#options.categories[category]?.instance;
    if (schema !== undefined) {
      const result = v.safeParse(schema, instance);
      if (!result.success) {
        throw new PluginLoadError(
          "instance_invalid",
          qualifiedName,
          module,
          `The instance does not satisfy the "${category}" interface: ${
            result.issues.map((i) => `${v.getDotPath(i) ?? "(root)"}: ${i.message}`).join("; ")
          }`,
        );
      }
    }
    return instance as T;
  }

  /**
   * Why a name resolves the way it does: the selected implementation, and for every other
   * candidate why it lost or was skipped.
   *
   * @param category The category.
   * @param name The implementation name.
   * @returns The explanation.
   */
  explain(category: string, name: string): Explanation {
    this.#category(category);
    const candidates = this.#snapshot.index.get(category)?.get(name) ?? [];
    const selected = candidates[0]?.status === "selected"
      ? candidates[0].implementation
      : undefined;
    return {
      category,
      name,
      selected,
      candidates: candidates.map(({ implementation, status, reason }) => ({
        implementation,
        status,
        reason,
      })),
    };
  }

  /**
   * A typed view of one category.
   *
   * @param category The category.
   * @returns The factory.
   * @throws {UnknownImplementationError} The host did not declare the category.
   */
  factory<T>(category: string): Factory<T> {
    this.#category(category);
    return {
      category,
      list: () => this.list(category),
      has: (name) => this.has(category, name),
      describe: (name) => this.describe(category, name),
      get: (name) => this.get(category, name),
      create: (name, config, context) => this.create<T>(category, name, config, context),
      explain: (name) => this.explain(category, name),
    };
  }

  #category(category: string): void {
    if (!Object.hasOwn(this.#options.categories, category)) {
      const known = Object.keys(this.#options.categories);
      throw new UnknownImplementationError(
        category,
        category,
        known,
        nearest(category, known),
        false,
      );
    }
  }

  #unknown(category: string, name: string): never {
    const available = this.list(category).map((i) => i.name);
    const qualified = [...(this.#snapshot.qualified.get(category)?.keys() ?? [])];
    throw new UnknownImplementationError(
      category,
      name,
      available,
      nearest(name, name.includes("/") ? qualified : available),
    );
  }
}
