import type { Registry } from "../../../mod.ts";
import type { BenchmarkResult, Exporter } from "../types.ts";

/** An exporter to run: its name, and the instance or how to create it. */
export interface ExporterToRun {
  /** The name it was selected by, for messages. */
  readonly name: string;
  /** The exporter, or its creation (which may fail like an export). */
  readonly instance: Exporter | (() => Promise<Exporter>);
}

/** What running the exporters gave. */
export interface ExportOutcome {
  /** The paths written, in order. */
  readonly paths: readonly string[];
  /** One message per failed exporter: `exporter "NAME" failed: why`. */
  readonly failures: readonly string[];
}

/**
 * Runs every exporter on one result, the one place a run, a sweep's value or a search's probe
 * exports: each runs whatever happens to the others (the console table is printed although a
 * file cannot be written), and a failure, to create or to export, is named, never thrown.
 *
 * @param exporters The exporters, in order.
 * @param result The result to export.
 * @returns The paths written and the failures.
 *
 * @example
 * ```ts
 * import { runExporters } from "./run_exporters.ts";
 *
 * const { paths, failures } = await runExporters([
 *   { name: "ok", instance: { export: () => ["a.json"] } },
 *   { name: "bad", instance: { export: () => Promise.reject(new Error("disk full")) } },
 * ], {} as never);
 * if (paths.join() !== "a.json" || failures[0] !== 'exporter "bad" failed: disk full') {
 *   throw new Error("wrong");
 * }
 * ```
 */
export async function runExporters(
  exporters: readonly ExporterToRun[],
  result: BenchmarkResult,
): Promise<ExportOutcome> {
  const paths: string[] = [];
  const failures: string[] = [];
  for (const { name, instance } of exporters) {
    try {
      const exporter = typeof instance === "function" ? await instance() : instance;
      paths.push(...await exporter.export(result));
    } catch (error) {
      failures.push(`exporter "${name}" failed: ${(error as Error)?.message ?? String(error)}`);
    }
  }
  return { paths, failures };
}

/**
 * The selected exporters, each created through the registry when it runs, writing into `dir`
 * and not to standard output (a sweep's value or a search's probe has its own folder).
 *
 * @param registry The bench's registry.
 * @param selections The exporters selected, with their config.
 * @param dir The output directory they write into.
 * @returns The exporters to pass to {@linkcode runExporters}.
 */
export function exportersIn(
  registry: Registry,
  selections: readonly {
    readonly name: string;
    readonly config: Readonly<Record<string, unknown>>;
  }[],
  dir: string,
): ExporterToRun[] {
  return selections.map(({ name, config }) => ({
    name,
    instance: () =>
      registry.factory<Exporter>("exporter").create(name, config, {
        outputDir: dir,
        write: () => {},
      }),
  }));
}
