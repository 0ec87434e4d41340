/**
 * plugmap bench: an LLM-endpoint benchmark whose endpoints, timing strategies, datasets,
 * samplers, phase hooks and exporters all come through plugmap factories, and the contracts a
 * benchmark plugin implements (one interface per category, the context objects the host passes,
 * the records and results it hands over).
 *
 * Run it from anywhere (`--help` lists the flags):
 *
 * ```sh
 * deno run -A jsr:@plugmap/plugmap/bench --url http://127.0.0.1:8000 --model my-model
 * ```
 *
 * A plugin's manifest requires the host by name, `plugmap-bench` ({@linkcode BENCH_HOST}), and
 * its modules type themselves with these contracts:
 *
 * ```ts ignore
 * import type { Exporter, ExporterContext, BenchmarkResult } from "jsr:@plugmap/plugmap/bench";
 * ```
 *
 * @example A phase hook, written against the contract and run in a real short benchmark
 * ```ts
 * import { main, type PhaseHook, type PhaseHookContext, type PhaseSummary } from "@plugmap/plugmap/bench";
 * import { equal, match } from "node:assert/strict";
 *
 * // The hook's module and manifest, in a folder of their own.
 * class Announce implements PhaseHook {
 *   constructor(_config: unknown, readonly context: PhaseHookContext) {}
 *   onPhaseComplete(summary: PhaseSummary): void {
 *     this.context.log(`${summary.phase}: ${summary.request_count} requests`);
 *   }
 * }
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/announce.ts`, `export ${Announce}`);
 * await Deno.writeTextFile(`${dir}/registry.yaml`, `
 * plugin: { name: announce, version: 1.0.0, requires: ["plugmap-bench>=0.1.0"] }
 * phase_hook:
 *   announce: ./announce.ts#Announce
 * `);
 * await Deno.writeTextFile(`${dir}/bench.yaml`, `
 * phases: { warmup: { request_count: 0 }, profiling: { request_count: 3 } }
 * exporters: []
 * plugins:
 *   map: { announce: ./registry.yaml }
 *   phase_hooks: [announce]
 * `);
 *
 * let stderr = "";
 * const status = await main(["--config", `${dir}/bench.yaml`, "--no-progress", "--strict-plugins"], {
 *   stdout: () => {},
 *   stderr: (text) => void (stderr += text),
 *   terminal: false,
 *   signals: false,
 * });
 * await Deno.remove(dir, { recursive: true });
 * equal(status, 0, stderr);
 * match(stderr, /^profiling: 3 requests$/m);
 * ```
 *
 * @module
 */
import { main } from "./main.ts";

export type * from "./types.ts";
export { BENCH_HOST } from "./run/create_bench_registry.ts";
export {
  type BenchIO,
  EXIT_FAILED,
  EXIT_HANGUP,
  EXIT_INTERRUPTED,
  EXIT_OK,
  EXIT_TERMINATED,
  EXIT_USAGE,
  main,
} from "./main.ts";

// `deno run -A jsr:@plugmap/plugmap/bench` runs the benchmark: this subpath is its entry point.
if (import.meta.main) Deno.exit(await main(Deno.args));
