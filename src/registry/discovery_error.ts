import { type Diagnostic, formatDiagnostic } from "./diagnostic.ts";

/**
 * Thrown by a strict registry when discovery found errors; carries every diagnostic.
 */
export class DiscoveryError extends Error {
  /** Every diagnostic of the discovery, warnings included. */
  readonly diagnostics: readonly Diagnostic[];

  /**
   * Creates the error; the message is built from the arguments.
   *
   * @param diagnostics The diagnostics (at least one error among them).
   */
  constructor(diagnostics: readonly Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    super(
      `Plugin discovery failed with ${errors.length} ${
        errors.length === 1 ? "error" : "errors"
      }:\n` +
        errors.map((d) => `  ${formatDiagnostic(d)}`).join("\n"),
    );
    this.name = "DiscoveryError";
    this.diagnostics = diagnostics;
  }
}
