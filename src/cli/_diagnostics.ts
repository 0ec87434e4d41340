import { type Diagnostic, type DiagnosticCode, formatDiagnostic } from "../../mod.ts";

/** A diagnostic of discovery, or of the command line's own checks (`validate --imports`). */
export type CliDiagnostic = Omit<Diagnostic, "code"> & {
  code: DiagnosticCode | "import_failed" | "export_missing";
};
import { paint } from "./_io.ts";

/** Diagnostics, one per line (`url:line:column: severity: path: message [code]`). */
export function renderDiagnostics(diagnostics: readonly CliDiagnostic[], color: boolean): string {
  const p = paint(color);
  return diagnostics.map((d) =>
    formatDiagnostic(d)
      .replace(/: (error|warning): /, (_, s: string) =>
        `: ${s === "error" ? p.red(p.bold(s)) : p.yellow(p.bold(s))}: `) + "\n"
  ).join("");
}

/** A one-line count: `2 errors, 1 warning`. */
export function countProblems(diagnostics: readonly CliDiagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `${plural(errors, "error")}, ${plural(warnings, "warning")}`;
}
