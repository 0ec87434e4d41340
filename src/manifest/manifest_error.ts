/** Where in a manifest a problem is: a YAML position and/or a field path. */
export interface ManifestLocation {
  /** 1-based line, when known. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
  /** Dot path of the field (`phase_hook.datadog.class`), when the problem is a field's. */
  path?: string;
}

/** One problem found in a manifest. */
export interface ManifestIssue extends ManifestLocation {
  /** What is wrong, one line. */
  message: string;
}

/** The kinds of manifest failure. */
export type ManifestErrorCode = "yaml_syntax" | "yaml_limit" | "schema_invalid";

function where(location: ManifestLocation): string {
  const parts: string[] = [];
  if (location.line !== undefined) {
    parts.push(`line ${location.line}, column ${location.column ?? 1}`);
  }
  if (location.path) parts.push(`"${location.path}"`);
  return parts.length ? `${parts.join(": ")}: ` : "";
}

/**
 * A manifest's text could not be parsed as YAML, or broke a YAML limit (depth, aliases, size).
 *
 * @example Catching a syntax error
 * ```ts
 * import { parseManifest, ManifestSyntaxError } from "@plugmap/plugmap";
 * import { equal, ok } from "node:assert/strict";
 * try {
 *   parseManifest("phase_hook:\n  a: [unclosed", { url: "file:///p/registry.yaml" });
 * } catch (error) {
 *   ok(error instanceof ManifestSyntaxError);
 *   equal(error.url, "file:///p/registry.yaml");
 *   equal(typeof error.line, "number");
 * }
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
   * Creates the error; the message is built from the arguments.
   *
   * @param url The manifest's URL.
   * @param reason What failed.
   * @param location Where.
   * @param code The kind of failure.
   */
  constructor(
    url: string,
    reason: string,
    location: ManifestLocation = {},
    code: "yaml_syntax" | "yaml_limit" = "yaml_syntax",
  ) {
    super(`Cannot load manifest "${url}": ${where(location)}${reason}`);
    this.name = "ManifestSyntaxError";
    this.url = url;
    this.line = location.line;
    this.column = location.column;
    this.code = code;
    this.reason = reason;
  }
}

/**
 * A manifest is valid YAML but does not match the manifest schema. Every problem is in
 * {@link ManifestValidationError.issues}, with its field path and YAML position.
 */
export class ManifestValidationError extends TypeError {
  /** The manifest's URL. */
  readonly url: string;
  /** Every problem found, in document order. */
  readonly issues: readonly ManifestIssue[];
  /** Always `schema_invalid`. */
  readonly code = "schema_invalid" as const;

  /**
   * Creates the error; the message is built from the arguments.
   *
   * @param url The manifest's URL.
   * @param issues The problems (at least one).
   */
  constructor(url: string, issues: readonly ManifestIssue[]) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
    super(
      `Cannot load manifest "${url}": ${first ? where(first) + first.message : "invalid"}${more}`,
    );
    this.name = "ManifestValidationError";
    this.url = url;
    this.issues = issues;
  }
}

/** Either manifest error. */
export type ManifestError = ManifestSyntaxError | ManifestValidationError;
