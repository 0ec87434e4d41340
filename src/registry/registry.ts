import type { PluginMap } from "../config/mod.ts";
import { loadPluginMap } from "./load_plugin_map.ts";
import { validateConfig } from "../manifest/core.ts";
import { openLock } from "../trust/core.ts";
import { nearest } from "../_util/did_you_mean.ts";
import type { Diagnostic } from "./diagnostic.ts";
import { discover } from "./_discover.ts";
import type { Snapshot } from "./_plugin_record.ts";
import { importLazily } from "../_util/import_lazily.ts";
import { checkSchema } from "./_check_schema.ts";
import { checkOptions } from "./_check_options.ts";
import { DiscoveryError } from "./discovery_error.ts";
import { PluginLoadError } from "./plugin_load_error.ts";
import { UnknownImplementationError } from "./unknown_implementation_error.ts";
import { DEFAULT_LOAD_TIMEOUT_MS, withinTime } from "./_within_time.ts";
import type {
  Explanation,
  Factory,
  Implementation,
  PluginSummary,
  RegistryOptions,
} from "./types.ts";

const EMPTY: Snapshot = {
  plugins: [],
  diagnostics: [],
  categories: {},
  index: new Map(),
  qualified: new Map(),
};

function isClass(value: unknown): value is new (...args: unknown[]) => unknown {
  return typeof value === "function" && /^class[\s{]/.test(Function.prototype.toString.call(value));
}

/**
 * The plugin registry: what every manifest declares, indexed without importing any plugin
 * code; code is imported on first use, through a category's {@link Factory}. Create one with
 * {@link createRegistry}.
 */
export class Registry {
  #options: RegistryOptions;
  #snapshot: Snapshot = EMPTY;
  #loads = new Map<string, Promise<unknown>>();

  /**
   * Use {@link createRegistry}, which also discovers the plugins.
   *
   * @param options The registry options.
   * @throws {TypeError} An option is missing or of the wrong type.
   */
  constructor(options: RegistryOptions) {
    checkOptions(options);
    this.#options = options;
  }

  /** Every problem found by the last discovery, errors and warnings. */
  get diagnostics(): readonly Diagnostic[] {
    return this.#snapshot.diagnostics;
  }

  /**
   * Re-reads the plugin map, the lock and every manifest, then swaps the index in one step.
   * Imported modules are imported again on next use.
   *
   * @throws {DiscoveryError} In strict mode, when discovery finds errors.
   * @throws {ConfigError} The plugin map or the lock file is invalid.
   * @throws {TypeError} `frozen` without a `lock`.
   */
  async reload(): Promise<void> {
    const { plugins, lock: lockOption, frozen } = this.#options;
    const map: PluginMap | undefined = typeof plugins === "string" || plugins instanceof URL
      ? await loadPluginMap(plugins, {
        ...(this.#options.limits ? { limits: this.#options.limits } : {}),
        ...(this.#options.jsrUrl !== undefined ? { jsrUrl: this.#options.jsrUrl } : {}),
      })
      : plugins;
    const lock = await openLock(lockOption, { mapUrl: map?.url, frozen });
    const snapshot = await discover(this.#options, map, lock);
    if (this.#options.strict && snapshot.diagnostics.some((d) => d.severity === "error")) {
      throw new DiscoveryError({ diagnostics: snapshot.diagnostics });
    }
    this.#snapshot = snapshot;
    this.#loads.clear();
  }

  /** The categories in force (the host's, or the ones the manifests declare), with descriptions. */
  categories(): { name: string; description: string }[] {
    return Object.entries(this.#snapshot.categories).map(([name, c]) => ({
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
   * A typed view of one category: list, describe, explain, get and create its implementations.
   *
   * @param category The category.
   * @returns The factory.
   * @throws {UnknownImplementationError} The category is not in force.
   */
  factory<T>(category: string): Factory<T> {
    const categories = this.#snapshot.categories;
    if (!Object.hasOwn(categories, category)) {
      throw new UnknownImplementationError({
        category: "category",
        requested: category,
        available: Object.keys(categories),
      });
    }
    return {
      category,
      list: () => this.#list(category),
      has: (name) => this.#resolve(category, name) !== undefined,
      describe: (name) => this.#describe(category, name),
      get: (name, options) => this.#timed(category, name, options, () => this.#get(category, name)),
      create: (name, config, context, options) =>
        this.#timed(
          category,
          name,
          options,
          () => this.#create<T>(category, name, config, context),
        ),
      explain: (name) => this.#explain(category, name),
    };
  }

  #list(category: string): Implementation[] {
    const names = this.#snapshot.index.get(category);
    if (!names) return [];
    return [...names.values()]
      .flatMap((candidates) =>
        candidates[0]?.status === "selected" ? [candidates[0].implementation] : []
      )
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  // The usable implementation a name resolves to, or undefined.
  #resolve(category: string, name: string): Implementation | undefined {
    try {
      return this.#describe(category, name);
    } catch (error) {
      if (error instanceof UnknownImplementationError || error instanceof PluginLoadError) {
        return undefined;
      }
      throw error;
    }
  }

  #describe(category: string, name: string): Implementation {
    if (this.#isQualified(name)) {
      const candidate = this.#snapshot.qualified.get(category)?.get(name);
      if (candidate === undefined) this.#unknown(category, name);
      // A shadowed candidate is usable by its qualified name; that is what the name is for.
      if (candidate.status !== "selected" && candidate.status !== "shadowed") {
        throw new PluginLoadError({
          code: "disabled",
          implementation: name,
          module: candidate.implementation.module,
          reason: candidate.reason,
        });
      }
      return candidate.implementation;
    }
    const first = this.#snapshot.index.get(category)?.get(name)?.[0];
    if (first === undefined) this.#unknown(category, name);
    if (first.status !== "selected") {
      throw new PluginLoadError({
        code: "disabled",
        implementation: first.implementation.qualifiedName,
        module: first.implementation.module,
        reason: `No usable candidate for "${name}": ${first.reason}`,
      });
    }
    return first.implementation;
  }

  // Runs a get or create within the call's time limit (else the registry's); past it, a
  // `timeout` PluginLoadError naming the implementation, its module and the time waited.
  #timed<R>(
    category: string,
    name: string,
    options: { timeoutMs?: number } | undefined,
    work: () => Promise<R>,
  ): Promise<R> {
    const ms = options?.timeoutMs ?? this.#options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS;
    if (!(typeof ms === "number" && ms > 0)) {
      return Promise.reject(
        new TypeError(`"timeoutMs" must be a positive number of milliseconds but received ${ms}`),
      );
    }
    return withinTime(work(), ms, (waitedMs) => {
      const implementation = this.#resolve(category, name);
      return new PluginLoadError({
        code: "timeout",
        implementation: implementation?.qualifiedName ?? name,
        module: implementation?.module ?? "",
        reason: `It did not finish loading within ${ms} ms (waited ${waitedMs} ms): ` +
          "a top-level await that never settles, or a module that is slow to fetch " +
          '(raise "loadTimeoutMs" if it is only slow)',
        waitedMs,
      });
    });
  }

  #get(category: string, name: string): Promise<unknown> {
    let implementation: Implementation;
    try {
      implementation = this.#describe(category, name);
    } catch (error) {
      return Promise.reject(error);
    }
    const key = `${category}\0${implementation.qualifiedName}`;
    let load = this.#loads.get(key);
    if (load === undefined) {
      // Loaded with the first import of plugin code: listing plugins does not need it.
      load = importLazily<typeof import("./_import_code.ts")>(
        new URL("./_import_code.ts", import.meta.url),
      ).then(({ importCode }) =>
        importCode(implementation, this.#snapshot.lock, this.#options.limits?.source)
      );
      this.#loads.set(key, load);
      // A failed import may succeed later (a server back up): do not cache failures.
      load.catch(() => this.#loads.delete(key));
    }
    return load;
  }

  async #create<T>(
    category: string,
    name: string,
    config?: unknown,
    context?: unknown,
  ): Promise<T> {
    const implementation = this.#describe(category, name);
    const { qualifiedName, module } = implementation;
    const valid = validateConfig(implementation.configSchema, config, {
      source: `${category}/${qualifiedName}`,
      ...(this.#options.env ? { env: this.#options.env } : {}),
    });
    const exported = await this.#get(category, qualifiedName);
    const fail = (code: PluginLoadError["code"], reason: string, cause?: unknown) =>
      new PluginLoadError({
        code,
        implementation: qualifiedName,
        module,
        reason,
        ...(cause !== undefined ? { cause } : {}),
      });
    if (typeof exported !== "function") {
      throw fail(
        "not_creatable",
        `The export "${implementation.exportName}" is a ${typeof exported}, not a class or function`,
      );
    }
    let instance: unknown;
    try {
      instance = isClass(exported) ? new exported(valid, context) : await exported(valid, context);
    } catch (error) {
      throw fail(
        "create_failed",
        `Creating it threw: ${(error as Error)?.message ?? String(error)}`,
        error,
      );
    }
    const schema = this.#snapshot.categories[category]?.instance;
    if (schema !== undefined) {
      const problem = await checkSchema(schema, instance);
      if (problem !== undefined) {
        throw fail(
          "instance_invalid",
          `The instance does not satisfy the "${category}" interface: ${problem}`,
        );
      }
    }
    return instance as T;
  }

  #explain(category: string, name: string): Explanation {
    const qualified = this.#isQualified(name)
      ? this.#snapshot.qualified.get(category)?.get(name)
      : undefined;
    // A qualified name is explained among every candidate for its short name; it resolves to
    // its own implementation when that is usable by qualified name (selected or shadowed).
    const short = qualified?.implementation.name ?? name;
    const candidates = this.#snapshot.index.get(category)?.get(short) ?? [];
    if (candidates.length === 0) this.#unknown(category, name);
    const usable = qualified ?? candidates[0];
    const selected = usable?.status === "selected" ||
        (qualified !== undefined && usable?.status === "shadowed")
      ? usable.implementation
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

  // `plugin/name` (`@scope/plugin/name`): the slash after the plugin's name.
  #isQualified(name: string): boolean {
    return name.indexOf("/", name.startsWith("@") ? name.indexOf("/") + 1 : 0) > 0;
  }

  #unknown(category: string, name: string): never {
    const available = this.#list(category).map((i) => i.name);
    const qualified = [...(this.#snapshot.qualified.get(category)?.keys() ?? [])];
    throw new UnknownImplementationError({
      category,
      requested: name,
      available,
      suggestion: nearest(name, name.includes("/") ? qualified : available),
    });
  }
}
