// Small shared pieces of the resolve steps.
import type { BenchmarkFilePhase, Selection } from "./benchmark_file.ts";
import type { LoadedBenchmarkFile } from "./load_benchmark_file.ts";
import type { PhaseSetting, SelectionSetting } from "./types.ts";

/** `{ key: value }`, or `{}` when the value is undefined (for exact optional properties). */
export function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The file's selection at `field`, or `fallback` with an empty config. */
export function selection(
  chosen: Selection | undefined,
  fallback: string,
  field: string,
): SelectionSetting {
  return chosen === undefined ? { name: fallback, config: {}, field } : { ...chosen, field };
}

/** A phase of the benchmark file as a phase setting. */
export function phase(p: BenchmarkFilePhase): PhaseSetting {
  return {
    ...defined("requestCount", p.request_count),
    ...defined("durationMs", p.duration),
    ...defined("conversationCount", p.conversation_count),
  };
}

/** Where a field of the benchmark file is, for errors (just the field without a file). */
export function locator(
  loaded: LoadedBenchmarkFile | undefined,
): (field: string) => { field: string; file?: string; line?: number; column?: number } {
  return (field) => loaded === undefined ? { field } : loaded.locate(field);
}
