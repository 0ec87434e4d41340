import { ConfigError, type Registry, UnknownImplementationError } from "../../../mod.ts";
import { applyFlagConfig } from "../config/apply_flag_config.ts";
import { BenchConfigError } from "../config/bench_config_error.ts";
import type { BenchmarkSettings, SelectionSetting } from "../config/resolve_settings.ts";
import type {
  Dataset,
  DatasetSampler,
  Endpoint,
  Exporter,
  ExporterContext,
  PhaseHook,
  PhaseHookContext,
  TimingStrategy,
} from "../types.ts";
import type { Named } from "./run_phase.ts";

/** Everything a run is made of, each created through its category's factory. */
export interface Components {
  readonly endpoint: Named<Endpoint>;
  readonly timing: Named<TimingStrategy>;
  /** The warmup's own timing strategy, when the settings give one. */
  readonly warmupTiming?: Named<TimingStrategy>;
  readonly dataset: Named<Dataset>;
  readonly sampler: Named<DatasetSampler>;
  readonly hooks: readonly Named<PhaseHook>[];
  readonly exporters: readonly Named<Exporter>[];
}

/** What the host hands to the implementations it creates. */
export interface ComponentContexts {
  /**
   * Starts the embedded server and returns its URL, used as the endpoint's `url` when none was
   * given. Called last, only when the endpoint has a `url` field, so a bad config starts nothing.
   */
  readonly startServer?: () => Promise<string>;
  readonly hook: PhaseHookContext;
  readonly exporter: ExporterContext;
  /** Told which plugin is loading when loading one takes more than a second. */
  readonly log?: (line: string) => void;
}

/** How long loading one implementation may take before the run says which one it is. */
const SLOW_LOAD_MS = 1000;

// Names the implementation being loaded once it has taken more than a second: a silent hang
// until `--plugin-load-timeout` would look like the bench itself stalled.
function noticeSlowLoad(
  registry: Registry,
  category: string,
  name: string,
  log: ((line: string) => void) | undefined,
): () => void {
  if (log === undefined) return () => {};
  const timer = setTimeout(() => {
    let module = "";
    try {
      module = ` from ${registry.factory(category).describe(name).module}`;
    } catch {
      // Unknown names fail on their own; the notice only names what it can.
    }
    log(`Loading ${category} "${name}"${module} (more than ${SLOW_LOAD_MS / 1000} s so far)`);
  }, SLOW_LOAD_MS);
  return () => clearTimeout(timer);
}

/**
 * Creates the endpoint, timing strategy, dataset, sampler, phase hooks and exporters the
 * settings select, all through plugmap factories; built-ins are not special. The dataset gets
 * `{ baseUrl }` (the benchmark file's URL) as context, hooks get `{ log, fail }`, exporters
 * `{ outputDir, write }`.
 *
 * @param registry The benchmark's registry.
 * @param settings The run's settings.
 * @param contexts The contexts to pass.
 * @returns The instances, with the names they were selected by.
 * @throws {BenchConfigError} When a name is unknown, a config is invalid or an implementation
 * cannot be loaded or created, naming the benchmark file and the field.
 *
 * @example
 * ```ts
 * import { createComponents } from "./create_components.ts";
 * import { createBenchRegistry } from "./create_bench_registry.ts";
 * import { resolveSettings } from "../config/resolve_settings.ts";
 *
 * const settings = resolveSettings({ url: "http://127.0.0.1:9" });
 * const components = await createComponents(await createBenchRegistry(settings), settings, {
 *   hook: { log: () => {}, fail: () => {} },
 *   exporter: { write: () => {} },
 * });
 * if (components.timing.name !== "fixed_concurrency") throw new Error("wrong");
 * ```
 */
export async function createComponents(
  registry: Registry,
  settings: BenchmarkSettings,
  contexts: ComponentContexts,
): Promise<Components> {
  const create = <T>(
    category: string,
    selection: SelectionSetting,
    context?: unknown,
    extraConfig?: () => Promise<Record<string, unknown>>,
  ) => createOne<T>(registry, settings, contexts.log, category, selection, context, extraConfig);
  const timing = await create<TimingStrategy>("timing_strategy", settings.timing);
  const warmupTiming = settings.warmupTiming === undefined
    ? undefined
    : await create<TimingStrategy>("timing_strategy", settings.warmupTiming);
  const dataset = await create<Dataset>("dataset", settings.dataset, { baseUrl: settings.baseUrl });
  const sampler = await create<DatasetSampler>("dataset_sampler", settings.sampler);
  const hooks: Named<PhaseHook>[] = [];
  for (const selection of settings.hooks) {
    hooks.push(await create<PhaseHook>("phase_hook", selection, contexts.hook));
  }
  const exporters: Named<Exporter>[] = [];
  for (const selection of settings.exporters) {
    exporters.push(await create<Exporter>("exporter", selection, contexts.exporter));
  }
  // Only the endpoint takes the embedded server's URL, and only when it has a `url` field.
  const start = contexts.startServer;
  const endpoint = await create<Endpoint>(
    "endpoint",
    settings.endpoint,
    undefined,
    async () => {
      if (start === undefined) return {};
      const fields = registry.factory("endpoint").describe(settings.endpoint.name).configSchema;
      return Object.hasOwn(fields, "url") ? { url: await start() } : {};
    },
  );
  return {
    endpoint,
    timing,
    ...(warmupTiming === undefined ? {} : { warmupTiming }),
    dataset,
    sampler,
    hooks,
    exporters,
  };
}

// Creates one selected implementation through its category's factory: flags set the config
// keys it declares; every failure becomes a BenchConfigError naming the file and the field.
async function createOne<T>(
  registry: Registry,
  settings: BenchmarkSettings,
  log: ((line: string) => void) | undefined,
  category: string,
  selection: SelectionSetting,
  context?: unknown,
  extraConfig?: () => Promise<Record<string, unknown>>,
): Promise<Named<T>> {
  const where = (field: string) =>
    settings.file === undefined ? { field } : settings.file.locate(field);
  const factory = registry.factory<T>(category);
  const done = noticeSlowLoad(registry, category, selection.name, log);
  try {
    // Flags that set config keys apply where the implementation declares the key.
    const declared = selection.flags === undefined
      ? []
      : Object.keys(factory.describe(selection.name).configSchema);
    const config = {
      ...applyFlagConfig(category, selection, declared),
      ...await extraConfig?.(),
    };
    const instance = await factory.create(selection.name, config, context);
    return { name: selection.name, instance };
  } catch (error) {
    if (error instanceof BenchConfigError) throw error;
    if (error instanceof UnknownImplementationError) {
      throw new BenchConfigError(
        `unknown ${category} "${selection.name}"` +
          (error.suggestion ? ` (did you mean "${error.suggestion}"?)` : "") +
          `; available: ${error.available.join(", ") || "none"}`,
        where(`${selection.field}.name`),
      );
    }
    if (error instanceof ConfigError) {
      const detail = error.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
      throw new BenchConfigError(detail.join("; "), where(`${selection.field}.config`));
    }
    throw new BenchConfigError(
      `cannot create ${category} "${selection.name}": ${(error as Error).message}`,
      where(selection.field),
    );
  } finally {
    done();
  }
}

/**
 * Creates a fresh timing strategy, dataset and sampler as {@linkcode createComponents} does:
 * what a repeated run needs to send the same workload again (a sampler or an arrival schedule
 * keeps its place and its random state from one run to the next).
 *
 * @param registry The benchmark's registry.
 * @param settings The run's settings.
 * @returns The new instances.
 * @throws {BenchConfigError} As {@linkcode createComponents}.
 */
export async function createWorkload(
  registry: Registry,
  settings: BenchmarkSettings,
): Promise<Pick<Components, "timing" | "dataset" | "sampler">> {
  return {
    timing: await createOne<TimingStrategy>(
      registry,
      settings,
      undefined,
      "timing_strategy",
      settings.timing,
    ),
    dataset: await createOne<Dataset>(registry, settings, undefined, "dataset", settings.dataset, {
      baseUrl: settings.baseUrl,
    }),
    sampler: await createOne<DatasetSampler>(
      registry,
      settings,
      undefined,
      "dataset_sampler",
      settings.sampler,
    ),
  };
}
