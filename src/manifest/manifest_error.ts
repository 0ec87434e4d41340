import type { Issue } from "../config/mod.ts";
import { issueLocation } from "../_util/issue.ts";

/** The kinds of manifest failure. */
export type ManifestErrorCode = "yaml_syntax" | "yaml_limit" | "schema_invalid";

/** What a {@link ManifestSyntaxError} is made of. */
export interface ManifestSyntaxErrorOptions extends ErrorOptions {
  /** The manifest's URL. */
  url: string;
  /** What failed. */
  reason: string;
  /** 1-based line, when known. */
  line?: number | undefined;
  /** 1-based column, when known. */
  column?: number | undefined;
  /** `yaml_syntax` (the default) or `yaml_limit`. */
  code?: "yaml_syntax" | "yaml_limit";
}

/**
 * A manifest's text could not be parsed as YAML, or broke a YAML limit (depth, aliases, size).
 *
 * @example Catching a syntax error
 * ```ts
 * import { ManifestSyntaxError } from "@plugmap/plugmap";
 * import { parseManifest } from "@plugmap/plugmap/manifest";
 * import { throws } from "node:assert/strict";
 *
 * throws(() => parseManifest("phase_hook:\n  a: [unclosed", { url: "file:///p/registry.yaml" }), (error) => {
 *   return error instanceof ManifestSyntaxError && error.url === "file:///p/registry.yaml" &&
 *     error.line === 2 && error.code === "yaml_syntax";
 * });
 * ```
 */
export class ManifestSyntaxError extends SyntaxError {
  /** The manifest's URL. */
  readonly url: string;
  /** 1-based line of the problem. */
  readonly line: number | undefined;
  /** 1-based column of the problem. */
  readonly column: number | undefined;
  /** `yaml_syntax` or `yaml_limit`. */
  readonly code: "yaml_syntax" | "yaml_limit";
  /** What failed, without the manifest URL and position the message starts with. */
  readonly reason: string;

  /**
   * Creates the error; the message is `Cannot load manifest "<url>": line L, column C: <reason>`.
   *
   * @param options The URL, the reason, the position and the kind of failure.
   */
  constructor(options: ManifestSyntaxErrorOptions) {
    const { url, reason, line, column, code = "yaml_syntax", ...rest } = options;
    const at = issueLocation({ ...(line !== undefined ? { line } : {}), column: column ?? 1 });
    super(`Cannot load manifest "${url}": ${at}${reason}`, rest);
    this.name = "ManifestSyntaxError";
    this.url = url;
    this.line = line;
    this.column = line === undefined ? undefined : column ?? 1;
    this.code = code;
    this.reason = reason;
  }
}

/** What a {@link ManifestValidationError} is made of. */
export interface ManifestValidationErrorOptions extends ErrorOptions {
  /** The manifest's URL. */
  url: string;
  /** The problems (at least one), in document order. */
  issues: readonly Issue[];
}

/**
 * A manifest is valid YAML but does not match the manifest schema. Every problem is in
 * {@link ManifestValidationError.issues}, with its field path and YAML position.
 *
 * @example
 * ```ts
 * import { ManifestValidationError } from "@plugmap/plugmap";
 * import { parseManifest } from "@plugmap/plugmap/manifest";
 * import { throws } from "node:assert/strict";
 *
 * throws(() => parseManifest("endpoint:\n  chat:\n    clas: ./chat.ts\n"), (error) => {
 *   return error instanceof ManifestValidationError && error.issues.some((issue) => issue.path === "endpoint.chat.clas" && issue.line === 3);
 * });
 * ```
 */
export class ManifestValidationError extends TypeError {
  /** The manifest's URL. */
  readonly url: string;
  /** Every problem found, in document order. */
  readonly issues: readonly Issue[];
  /** Always `schema_invalid`. */
  readonly code = "schema_invalid" as const;

  /**
   * Creates the error; the message is `Cannot load manifest "<url>": <first issue>`.
   *
   * @param options The URL and the issues.
   */
  constructor(options: ManifestValidationErrorOptions) {
    const { url, issues, ...rest } = options;
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
    super(
      `Cannot load manifest "${url}": ${
        first ? issueLocation(first) + first.message : "invalid"
      }${more}`,
      rest,
    );
    this.name = "ManifestValidationError";
    this.url = url;
    this.issues = issues;
  }
}
