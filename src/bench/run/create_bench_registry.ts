import * as v from "../_deps/valibot.ts";
import { createRegistry, parsePluginMap, type Registry } from "../../../mod.ts";
import { BenchConfigError } from "../config/bench_config_error.ts";
import type { BenchmarkSettings } from "../config/resolve_settings.ts";

/** The host, as plugins name it in `requires` (`plugmap-bench>=0.1.0`). */
export const BENCH_HOST = { name: "plugmap-bench", version: "0.1.0" } as const;

const method = v.custom<(...args: unknown[]) => unknown>(
  (input) => typeof input === "function",
  "expected a method",
);
const optionalMethod = v.optional(method);

/** The categories the benchmark declares, each with the interface its instances must have. */
export const BENCH_CATEGORIES = {
  endpoint: {
    description: "Speaks to an LLM server: sends one request and times it",
    instance: v.looseObject({ url: v.string(), streaming: v.boolean(), send: method }),
  },
  timing_strategy: {
    description: "Decides when requests are issued (concurrency, request rate, ...)",
    instance: v.looseObject({ run: method }),
  },
  dataset_sampler: {
    description: "Picks which dataset entry the next request uses",
    instance: v.looseObject({ next: method }),
  },
  dataset: {
    description: "Provides the prompts",
    instance: v.looseObject({ load: method }),
  },
  phase_hook: {
    description: "Follows the phase lifecycle: start, each completed request, complete",
    instance: v.looseObject({
      onPhaseStart: optionalMethod,
      onRequestComplete: optionalMethod,
      onPhaseComplete: optionalMethod,
    }),
  },
  exporter: {
    description: "Reports the results (console, files, ...)",
    instance: v.looseObject({ export: method }),
  },
};

/**
 * Creates the benchmark's plugin registry: its categories, its built-ins (`registry.yaml`
 * beside this module's folder) and the benchmark file's plugin map (`plugins.map`, relative
 * to the file). Broken plugins become diagnostics; only what the run selects must work.
 *
 * @param settings The run's settings.
 * @returns The registry.
 * @throws {BenchConfigError} When the plugin map itself is malformed.
 *
 * @example
 * ```ts
 * import { createBenchRegistry } from "./create_bench_registry.ts";
 * import { resolveSettings } from "../config/resolve_settings.ts";
 *
 * const registry = await createBenchRegistry(resolveSettings({}));
 * if (!registry.factory("endpoint").has("openai_chat")) throw new Error("no built-ins");
 * ```
 */
export async function createBenchRegistry(settings: BenchmarkSettings): Promise<Registry> {
  let plugins;
  if (settings.pluginMap !== undefined) {
    try {
      plugins = parsePluginMap(settings.pluginMap, { url: settings.baseUrl });
    } catch (error) {
      throw new BenchConfigError((error as Error).message, {
        ...(settings.file === undefined ? {} : { file: settings.file.name }),
        field: "plugins.map",
      });
    }
  }
  return await createRegistry({
    host: BENCH_HOST,
    categories: BENCH_CATEGORIES,
    builtins: new URL("../registry.yaml", import.meta.url),
    ...(plugins === undefined ? {} : { plugins }),
    // The lock beside the benchmark file (the plugin map's document).
    ...(settings.frozen ? { lock: true, frozen: true } : {}),
    strict: false,
    ...(settings.pluginLoadTimeoutMs === undefined
      ? {}
      : { loadTimeoutMs: settings.pluginLoadTimeoutMs }),
  });
}
