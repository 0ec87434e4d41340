import { join } from "node:path";
import { writeOutputFile } from "./_write_output_file.ts";
import type { BenchmarkResult, Exporter, ExporterContext } from "./types.ts";

/**
 * A file a file exporter makes of a result: its name in the output directory and its text (a
 * stream for a large one, written in pieces), or `written: true` for a file the run already
 * wrote there (the streamed records), which is reported, not written again.
 */
export type OutputFile =
  | { readonly name: string; readonly text: string | ReadableStream<string> }
  | { readonly name: string; readonly written: true };

/**
 * The one shape of the built-in file exporters: a subclass says which files a result becomes
 * (`files`); this class writes them into the output directory (each whole or not at all, see
 * `writeOutputFile`), writes nothing without one, and returns their paths.
 *
 * @example
 * ```ts
 * import { FileExporter, type OutputFile } from "./_file_exporter.ts";
 * import type { BenchmarkResult } from "./types.ts";
 *
 * class CountExporter extends FileExporter {
 *   files(result: BenchmarkResult): OutputFile[] {
 *     return [{ name: "count.txt", text: `${result.records.length}\n` }];
 *   }
 * }
 * const dir = await Deno.makeTempDir();
 * const [path] = await new CountExporter({ outputDir: dir, write: () => {} })
 *   .export({ records: [] } as unknown as BenchmarkResult);
 * const text = await Deno.readTextFile(path!);
 * await Deno.remove(dir, { recursive: true });
 * if (text !== "0\n") throw new Error(text);
 * ```
 */
export abstract class FileExporter implements Exporter {
  readonly #dir: string | undefined;

  /** @param context The output directory (none: the exporter writes nothing). */
  constructor(context: ExporterContext) {
    this.#dir = context.outputDir;
  }

  /**
   * The files the result becomes.
   *
   * @param result The benchmark's result.
   * @param dir The output directory, for a file that depends on what is already there.
   * @returns The files, in the order they are written.
   */
  abstract files(
    result: BenchmarkResult,
    dir: string,
  ): readonly OutputFile[] | Promise<readonly OutputFile[]>;

  /** Writes the files; returns their paths (none without an output directory). */
  async export(result: BenchmarkResult): Promise<readonly string[]> {
    const dir = this.#dir;
    if (dir === undefined) return [];
    const paths: string[] = [];
    for (const file of await this.files(result, dir)) {
      const path = join(dir, file.name);
      paths.push("written" in file ? path : await writeOutputFile(path, file.text));
    }
    return paths;
  }
}
