import type { BenchmarkFile } from "./benchmark_file.ts";
import type { BenchArgs } from "./parse_bench_args.ts";
import type { Setting } from "./setting.ts";
import { SETTINGS } from "./settings_table.ts";
import type { BenchmarkSettings } from "./types.ts";

/**
 * The embedded server's options: each server row of the settings table from its flag, else the
 * benchmark file's `server:` key, else the row's default.
 *
 * @param args The parsed flags.
 * @param file The benchmark file (`{}` without one).
 * @returns The options.
 *
 * @example
 * ```ts
 * import { resolveServer } from "./resolve_server.ts";
 *
 * const server = resolveServer({ ttftMs: 5 }, { server: { itl_ms: 1 } });
 * if (server.ttftMs !== 5 || server.itlMs !== 1 || server.outputTokens !== 32) throw new Error();
 * ```
 */
export function resolveServer(args: BenchArgs, file: BenchmarkFile): BenchmarkSettings["server"] {
  const server: Readonly<Record<string, unknown>> = file.server ?? {};
  const options: Record<string, unknown> = {};
  for (const row of SETTINGS as readonly Setting[]) {
    if (row.group !== "server") continue;
    const value = (args as Record<string, unknown>)[row.key] ??
      server[row.file!.slice("server.".length)] ?? row.default;
    if (value !== undefined) options[row.key] = value;
  }
  return options as unknown as BenchmarkSettings["server"];
}
