/** Where a bad setting came from. */
export interface BenchConfigErrorOptions {
  /** The benchmark file (as given), when the setting is in a file. */
  readonly file?: string;
  /** The field path in that file (`timing_strategy.config.concurrency`). */
  readonly field?: string;
  /** The command-line flag (`--concurrency`), when the setting is a flag. */
  readonly flag?: string;
  /** 1-based line of the field in the file, when known. */
  readonly line?: number;
  /** 1-based column of the field in the file, when known. */
  readonly column?: number;
  /** Further problems in the same file, one line each, already located. */
  readonly more?: readonly string[];
}

/**
 * A bad command-line flag or benchmark file setting. The message names the file and the field
 * (or the flag) first, then what is wrong.
 *
 * @example
 * ```ts
 * import { BenchConfigError } from "./bench_config_error.ts";
 *
 * const error = new BenchConfigError("expected a positive integer, got 0", {
 *   file: "benchmark.yaml",
 *   field: "phases.profiling.request_count",
 * });
 * if (!error.message.startsWith('Invalid benchmark file "benchmark.yaml"')) throw error;
 * ```
 */
export class BenchConfigError extends TypeError {
  /** The benchmark file, if any. */
  readonly file: string | undefined;
  /** The field path in the file, if any. */
  readonly field: string | undefined;
  /** The flag, if any. */
  readonly flag: string | undefined;
  /** 1-based line of the field in the file, if known. */
  readonly line: number | undefined;
  /** 1-based column of the field in the file, if known. */
  readonly column: number | undefined;

  /**
   * @param detail What is wrong.
   * @param where The file and field, or the flag.
   */
  constructor(detail: string, where: BenchConfigErrorOptions = {}) {
    const position = where.line === undefined
      ? ""
      : `: line ${where.line}, column ${where.column ?? 1}`;
    const at = where.flag !== undefined
      ? `Invalid flag ${where.flag}`
      : where.file !== undefined
      ? `Invalid benchmark file "${where.file}"${position}` +
        (where.field ? `: ${where.field}` : "")
      : "Invalid benchmark settings" + (where.field ? `: ${where.field}` : "");
    const more = (where.more ?? []).map((line) => `\n  ${line}`).join("");
    super(`${at}: ${detail}${more}`);
    this.name = "BenchConfigError";
    this.file = where.file;
    this.field = where.field;
    this.flag = where.flag;
    this.line = where.line;
    this.column = where.column;
  }
}
