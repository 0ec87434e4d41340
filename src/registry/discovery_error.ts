import { type Diagnostic, formatDiagnostic } from "./diagnostic.ts";

/** What a {@link DiscoveryError} is made of. */
export interface DiscoveryErrorOptions extends ErrorOptions {
  /** Every diagnostic of the discovery, warnings included (at least one error among them). */
  diagnostics: readonly Diagnostic[];
}

/**
 * Thrown by a strict registry when discovery found errors; carries every diagnostic.
 *
 * @example
 * ```ts
 * import { DiscoveryError } from "@plugmap/plugmap";
 * import { equal } from "node:assert/strict";
 *
 * const error = new DiscoveryError({
 *   diagnostics: [{ code: "not_found", severity: "error", plugin: "a", url: "file:///a.yaml", message: "No such file" }],
 * });
 * equal(error.message, "Cannot discover plugins: 1 error:\n  file:///a.yaml: error: No such file [not_found]");
 * ```
 */
export class DiscoveryError extends Error {
  /** Every diagnostic of the discovery, warnings included. */
  readonly diagnostics: readonly Diagnostic[];

  /**
   * Creates the error; the message lists the errors, one per line.
   *
   * @param options The diagnostics.
   */
  constructor(options: DiscoveryErrorOptions) {
    const { diagnostics, ...rest } = options;
    const errors = diagnostics.filter((d) => d.severity === "error");
    super(
      `Cannot discover plugins: ${errors.length} ${errors.length === 1 ? "error" : "errors"}:\n` +
        errors.map((d) => `  ${formatDiagnostic(d)}`).join("\n"),
      rest,
    );
    this.name = "DiscoveryError";
    this.diagnostics = diagnostics;
  }
}
