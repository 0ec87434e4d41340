import type { BenchmarkSettings } from "../config/resolve_settings.ts";

/**
 * A SHA-256 of everything that shapes the whole benchmark's plan (endpoint, timing, dataset,
 * sampler, hooks, exporters, plugin map, phases, schedule window, tokenizer, SLOs,
 * percentiles, embedded server), with object keys sorted. Shards compare it before they start: a
 * shard run with other flags, another benchmark file or another seed would not be part of the
 * same benchmark. The output directory and the shard's identity are left out.
 *
 * @param settings The whole benchmark's settings (before {@linkcode shardSettings}).
 * @returns The hash, as 64 hex digits.
 *
 * @example
 * ```ts
 * import { settingsHash } from "./settings_hash.ts";
 * import { resolveSettings } from "../config/resolve_settings.ts";
 *
 * const a = await settingsHash(resolveSettings({ concurrency: 4, output: "a" }));
 * const b = await settingsHash(resolveSettings({ concurrency: 4, output: "b" }));
 * const c = await settingsHash(resolveSettings({ concurrency: 5, output: "a" }));
 * if (a !== b || a === c) throw new Error("wrong");
 * ```
 */
export async function settingsHash(settings: BenchmarkSettings): Promise<string> {
  const shape = {
    endpoint: settings.endpoint,
    timing: settings.timing,
    warmupTiming: settings.warmupTiming,
    dataset: settings.dataset,
    sampler: settings.sampler,
    hooks: settings.hooks,
    exporters: settings.exporters,
    pluginMap: settings.pluginMap,
    warmup: settings.warmup,
    profiling: settings.profiling,
    sweep: settings.sweep,
    scheduleWindow: settings.scheduleWindow,
    tokenizer: settings.tokenizer,
    goodput: settings.goodput,
    percentiles: settings.percentiles,
    embedded: settings.embedded,
    server: settings.embedded ? settings.server : undefined,
    preflight: settings.preflight,
  };
  const bytes = new TextEncoder().encode(JSON.stringify(sorted(shape)));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value instanceof URL) return value.href;
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value).sort().map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
  );
}
