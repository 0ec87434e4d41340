import * as v from "valibot";
import { CORE_SCHEMA, load as loadYaml } from "js-yaml";
import { resolveLocation } from "../_file_url.ts";
import { findYamlPosition } from "../../manifest/mod.ts";
import { BenchConfigError, type BenchConfigErrorOptions } from "./bench_config_error.ts";
import { type BenchmarkFile, BenchmarkFileSchema } from "./benchmark_file.ts";

/** A benchmark file, read and validated. */
export interface LoadedBenchmarkFile {
  /** The path or URL as given. */
  readonly name: string;
  /** Its URL; relative paths inside resolve against it. */
  readonly url: URL;
  /** Its validated contents. */
  readonly file: BenchmarkFile;
  /** Where a field is written, for errors found after loading (`timing_strategy.name`). */
  locate(field: string): { file: string; field: string; line?: number; column?: number };
}

/**
 * Reads and validates a YAML (or JSON) benchmark file.
 *
 * @param name A path (relative to the working directory) or a `file:` URL.
 * @returns The validated file and its URL.
 * @throws {BenchConfigError} Naming the file (and the field, or the YAML line) when it cannot
 * be read, parsed, or does not match the schema.
 *
 * @example
 * ```ts
 * import { loadBenchmarkFile } from "./load_benchmark_file.ts";
 *
 * const path = await Deno.makeTempFile({ suffix: ".yaml" });
 * await Deno.writeTextFile(path, "timing_strategy: { name: fixed_concurrency }\n");
 * const { file } = await loadBenchmarkFile(path);
 * await Deno.remove(path);
 * if (typeof file.timing_strategy !== "object") throw new Error("wrong");
 * ```
 */
export async function loadBenchmarkFile(name: string): Promise<LoadedBenchmarkFile> {
  const url = resolveLocation(name);
  let text: string;
  try {
    text = await Deno.readTextFile(url);
  } catch (error) {
    const detail = error instanceof Deno.errors.NotFound
      ? "file not found"
      : `cannot read: ${(error as Error).message}`;
    throw new BenchConfigError(detail, { file: name });
  }
  let doc: unknown;
  try {
    doc = loadYaml(text, { filename: name, schema: CORE_SCHEMA });
  } catch (error) {
    const e = error as { mark?: { line: number; column: number }; reason?: string };
    const where = e.mark ? `line ${e.mark.line + 1}, column ${e.mark.column + 1}: ` : "";
    throw new BenchConfigError(`${where}${e.reason ?? (error as Error).message}`, { file: name });
  }
  const result = v.safeParse(BenchmarkFileSchema, doc ?? {});
  const locate = (field: string, key = false) => {
    const position = findYamlPosition(text, fieldKeys(field), { key });
    return { file: name, field, ...position };
  };
  if (!result.success) {
    // Every problem, each with its line and column, in file order.
    const problems = result.issues.map((issue): Problem => {
      const unknownKey = issue.type === "strict_object" && issue.input !== undefined;
      const field = fieldPath(issue);
      return {
        detail: unknownKey ? `unknown key "${lastKey(issue)}"` : issue.message,
        where: field === undefined ? { file: name } : locate(field, unknownKey),
      };
    }).sort((a, b) => (a.where.line ?? Infinity) - (b.where.line ?? Infinity));
    const [first, ...rest] = problems;
    throw new BenchConfigError(first!.detail, {
      ...first!.where,
      more: rest.map(({ detail, where }) => {
        const at = where.line === undefined
          ? ""
          : `line ${where.line}, column ${where.column ?? 1}: `;
        return `${at}${where.field ? `${where.field}: ` : ""}${detail}`;
      }),
    });
  }
  return { name, url, file: result.output, locate: (field) => locate(field) };
}

interface Problem {
  readonly detail: string;
  readonly where: BenchConfigErrorOptions;
}

/** `a.b[2].c` to `["a", "b", 2, "c"]`. */
function fieldKeys(field: string): (string | number)[] {
  return field.split(/\.|(?=\[)/).filter(Boolean).map((part) =>
    part.startsWith("[") ? Number(part.slice(1, -1)) : part
  );
}

function fieldPath(issue: v.GenericIssue): string | undefined {
  let path = "";
  for (const item of issue.path ?? []) {
    const key = item.key;
    path += typeof key === "number" ? `[${key}]` : (path === "" ? "" : ".") + String(key);
  }
  return path === "" ? undefined : path;
}

function lastKey(issue: v.GenericIssue): string {
  const path = issue.path;
  const last = path?.[path.length - 1];
  return last === undefined ? "?" : String(last.key);
}
