import type { Issue } from "../config/mod.ts";
import type { SourceErrorCode } from "../sources/mod.ts";
import type { ManifestSyntaxError, ManifestValidationError } from "../manifest/mod.ts";

/** Codes of the problems discovery reports. */
export type DiagnosticCode =
  | SourceErrorCode
  // The manifest's codes through its errors (both in the root export), not ManifestErrorCode,
  // which only ./manifest exports.
  | ManifestSyntaxError["code"]
  | ManifestValidationError["code"]
  | "invalid_map"
  | "duplicate_plugin"
  | "unknown_category"
  | "invalid_metadata"
  | "invalid_class"
  | "insecure_class"
  | "class_outside_package"
  | "requirement_missing"
  | "requirement_unmet"
  | "priority_tie"
  | "not_locked";

/**
 * One problem found during discovery: an {@link Issue} with its code, its severity, its plugin
 * and its manifest URL. A broken plugin becomes diagnostics; the others are indexed as usual.
 */
export interface Diagnostic extends Issue {
  /** What kind of problem. */
  code: DiagnosticCode;
  /** `error`: the plugin or implementation was skipped; `warning`: it was kept. */
  severity: "error" | "warning";
  /** The plugin's name in the plugin map (or the host's, for built-ins). */
  plugin: string;
  /**
   * The manifest URL; the plugin map's, for a problem at a map entry (`invalid_map`,
   * `duplicate_plugin`, with `path` `plugins.<name>`, and `line`:`column` when the map was read
   * from a YAML, JSON or JSONC document by `loadPluginMap`).
   */
  url: string;
}

/**
 * Formats a diagnostic as `url:line:column: severity: path: message [code]`, the shape editors
 * and terminals link to. Tools may pass diagnostics of their own codes.
 *
 * @param diagnostic The diagnostic.
 * @returns One line.
 *
 * @example
 * ```ts
 * import { formatDiagnostic } from "@plugmap/plugmap";
 * import { equal } from "node:assert/strict";
 *
 * equal(
 *   formatDiagnostic({
 *     code: "schema_invalid", severity: "error", plugin: "dd", url: "file:///r.yaml",
 *     line: 4, column: 12, path: "endpoint.chat.class", message: "Expected a string",
 *   }),
 *   "file:///r.yaml:4:12: error: endpoint.chat.class: Expected a string [schema_invalid]",
 * );
 * ```
 */
export function formatDiagnostic(diagnostic: Omit<Diagnostic, "code"> & { code: string }): string {
  const at = diagnostic.line === undefined
    ? diagnostic.url
    : `${diagnostic.url}:${diagnostic.line}:${diagnostic.column ?? 1}`;
  const path = diagnostic.path ? `${diagnostic.path}: ` : "";
  return `${at}: ${diagnostic.severity}: ${path}${diagnostic.message} [${diagnostic.code}]`;
}
