/**
 * One problem found in a document (a manifest, a plugin map, a lock file, an implementation's
 * config): what is wrong, and where when known. Every error with `issues` and every
 * {@link Diagnostic} has this shape.
 */
export interface Issue {
  /** What is wrong, one line. */
  message: string;
  /** Dot path of the field (`phase_hook.datadog.class`), when the problem is a field's. */
  path?: string;
  /** 1-based line, when known. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
}

/** `line 4, column 3: "a.b": ` for an issue's location, or the empty string. */
export function issueLocation(issue: Omit<Issue, "message">): string {
  const parts: string[] = [];
  if (issue.line !== undefined) parts.push(`line ${issue.line}, column ${issue.column ?? 1}`);
  if (issue.path) parts.push(`"${issue.path}"`);
  return parts.length ? `${parts.join(": ")}: ` : "";
}
