import * as v from "../_deps/valibot.ts";
import { CORE_SCHEMA, load as loadYaml } from "../_deps/js_yaml.ts";
import { resolveLocation } from "../_file_url.ts";
import { findYamlPosition } from "../../manifest/mod.ts";
import { didYouMean } from "../_did_you_mean.ts";
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
    // Only comments (or nothing): every key is optional, so the defaults.
    const blank = text.split("\n").every((line) => /^\s*(#.*)?$/.test(line));
    doc = blank ? {} : loadYaml(text, { filename: name, schema: CORE_SCHEMA });
  } catch (error) {
    const e = error as { mark?: { line: number; column: number }; reason?: string };
    const where = e.mark ? `line ${e.mark.line + 1}, column ${e.mark.column + 1}: ` : "";
    throw new BenchConfigError(`${where}${e.reason ?? (error as Error).message}`, { file: name });
  }
  // An empty file is an empty mapping; anything but a mapping is not a benchmark file.
  if (doc !== null && doc !== undefined && !isMapping(doc)) {
    throw new BenchConfigError(
      `expected a mapping of settings (endpoint:, timing_strategy:, phases:, ...), got ${
        describe(doc)
      }`,
      { file: name, line: 1, column: 1 },
    );
  }
  const result = v.safeParse(BenchmarkFileSchema, doc ?? {});
  const locate = (field: string, key = false) => {
    const position = findYamlPosition(text, fieldKeys(field), { key });
    return { file: name, field, ...position };
  };
  if (!result.success) {
    // Every problem, each with its line and column, in file order.
    const problems = result.issues.map((issue): Problem => {
      const field = fieldPath(issue);
      const keys = (issue.path ?? []).map((item) => item.key as string | number);
      const where = (at: string | undefined, key = false) =>
        at === undefined ? { file: name } : locate(at, key);
      if (issue.type === "strict_object" && issue.expected === "never") {
        // A list where a mapping belongs shows up as unknown keys "0", "1", ...
        const parent = keys.slice(0, -1);
        if (Array.isArray(valueAt(doc, parent))) {
          return { detail: "expected a mapping, got a list", where: where(pathText(parent)) };
        }
        const key = String(keys.at(-1));
        const known = knownKeys(BenchmarkFileSchema, parent);
        return {
          detail: `unknown key "${key}"${didYouMean(key, known)}` +
            (known.length > 0 ? `; known keys: ${known.join(", ")}` : ""),
          where: where(field, true),
        };
      }
      const wrongType = issue.message.startsWith("Invalid type: Expected Object");
      return {
        detail: wrongType ? `expected a mapping, got ${describe(issue.input)}` : issue.message,
        where: where(field),
      };
    }).filter((problem, i, all) =>
      // One line per place: the items of a list in a mapping's place are one problem.
      all.findIndex((p) => p.detail === problem.detail && p.where.field === problem.where.field) ===
        i
    ).sort((a, b) => (a.where.line ?? Infinity) - (b.where.line ?? Infinity));
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
  return pathText((issue.path ?? []).map((item) => item.key as string | number));
}

/** `["a", "b", 2, "c"]` to `a.b[2].c`; `undefined` for the document itself. */
function pathText(keys: readonly (string | number)[]): string | undefined {
  let path = "";
  for (const key of keys) {
    path += typeof key === "number" ? `[${key}]` : (path === "" ? "" : ".") + String(key);
  }
  return path === "" ? undefined : path;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "string") return `the text ${JSON.stringify(value.slice(0, 40))}`;
  return `${typeof value === "object" ? "an object" : `the ${typeof value}`} ${String(value)}`;
}

function valueAt(doc: unknown, keys: readonly (string | number)[]): unknown {
  let value = doc;
  for (const key of keys) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

// The keys a mapping of the schema takes at `keys`, for did-you-mean: valibot schemas are
// plain objects (optional wraps, pipes list their steps, arrays hold their item).
function knownKeys(schema: unknown, keys: readonly (string | number)[]): string[] {
  let node = schema as SchemaNode | undefined;
  const unwrap = () => {
    for (;;) {
      if (node?.wrapped !== undefined) node = node.wrapped;
      else if (node?.entries === undefined && node?.pipe !== undefined) {
        node = node.pipe.find((step) => step.entries !== undefined) ?? node.pipe.at(-1);
        if (node?.pipe !== undefined && node.entries === undefined) return;
      } else return;
    }
  };
  for (const key of keys) {
    unwrap();
    node = typeof key === "number" ? node?.item : node?.entries?.[key];
  }
  unwrap();
  return Object.keys(node?.entries ?? {});
}

interface SchemaNode {
  readonly wrapped?: SchemaNode;
  readonly pipe?: readonly SchemaNode[];
  readonly entries?: Readonly<Record<string, SchemaNode>>;
  readonly item?: SchemaNode;
}
