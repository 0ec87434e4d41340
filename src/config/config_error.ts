import { type Issue, issueLocation } from "../_util/issue.ts";

/** What a {@link ConfigError} is made of. */
export interface ConfigErrorOptions extends ErrorOptions {
  /** The document URL, or `category/name` of the implementation whose config it is. */
  source: string;
  /** The problems (at least one). */
  issues: readonly Issue[];
}

/**
 * A plugin map document, a lock file or an implementation's config is invalid: what, where
 * (document URL and field path) and why.
 *
 * @example
 * ```ts
 * import { ConfigError, parsePluginMap } from "@plugmap/plugmap";
 * import { throws } from "node:assert/strict";
 *
 * throws(() => parsePluginMap(["./registry.yaml"], { url: "file:///app/deno.json" }), (error) => {
 *   return error instanceof ConfigError && error.issues[0]?.path === "plugins";
 * });
 * ```
 */
export class ConfigError extends TypeError {
  /** The document or implementation the problem is in. */
  readonly source: string;
  /** Every problem found. */
  readonly issues: readonly Issue[];

  /**
   * Creates the error; the message is `Cannot use config "<source>": <issues>`.
   *
   * @param options The source and the issues.
   */
  constructor(options: ConfigErrorOptions) {
    const { source, issues, ...rest } = options;
    const text = issues.map((i) => issueLocation(i) + i.message);
    super(`Cannot use config "${source}": ${text.join("; ")}`, rest);
    this.name = "ConfigError";
    this.source = source;
    this.issues = issues;
  }
}
