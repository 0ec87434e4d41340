import { locatePath } from "./_yaml.ts";

/** A 1-based position in a YAML text. */
export interface YamlPosition {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/**
 * Finds where a field path is written in a YAML (or JSON) text, so an application can point its
 * own config errors at a line and column the way plugmap points at manifests. A path that does
 * not exist in full gives the position of its deepest existing part.
 *
 * @param text The YAML text.
 * @param path The field path, keys and list indexes (`["phases", "profiling", "request_count"]`).
 * @param options `key: true` points at the last key itself rather than at its value.
 * @returns The position, or `undefined` when the text cannot be parsed.
 *
 * @example
 * ```ts
 * import { findYamlPosition } from "@plugmap/plugmap/manifest";
 * import { deepEqual } from "node:assert/strict";
 *
 * const text = "phases:\n  profiling:\n    request_count: -5\n";
 * deepEqual(findYamlPosition(text, ["phases", "profiling", "request_count"]), { line: 3, column: 20 });
 * deepEqual(findYamlPosition(text, ["phases", "profiling", "request_count"], { key: true }), {
 *   line: 3,
 *   column: 5,
 * });
 * ```
 */
export function findYamlPosition(
  text: string,
  path: readonly (string | number)[],
  options: { key?: boolean } = {},
): YamlPosition | undefined {
  return locatePath(text, path, options.key ?? false);
}
