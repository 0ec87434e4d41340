/**
 * A plugin map document, a plugin map entry or an implementation's config is invalid: what,
 * where (document URL and key path) and why.
 */
export class ConfigError extends TypeError {
  /** The document or implementation the problem is in. */
  readonly source: string;
  /** Every problem found, each `{ path, message }`. */
  readonly issues: readonly { path: string; message: string }[];

  /**
   * Creates the error; the message is built from the arguments.
   *
   * @param source The document URL or `category/name` of the implementation.
   * @param issues The problems (at least one).
   */
  constructor(source: string, issues: readonly { path: string; message: string }[]) {
    const text = issues.map((i) => (i.path ? `"${i.path}": ${i.message}` : i.message));
    super(`Invalid config for "${source}": ${text.join("; ")}`);
    this.name = "ConfigError";
    this.source = source;
    this.issues = issues;
  }
}
