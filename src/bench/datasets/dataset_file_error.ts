/** One problem in a dataset file: where it is and what is wrong. */
export interface DatasetProblem {
  /** 1-based line, when the problem is on a line. */
  readonly line?: number;
  /** The field (`input_length`, `turns[1].text`, `[4].conversations`), when there is one. */
  readonly field?: string;
  /** What is wrong. */
  readonly message: string;
}

/** At most this many problems are spelled out; the rest are counted. */
const SHOWN = 10;

/**
 * A dataset file that cannot be used: its path, then each problem with its line and field.
 * The bench refuses the whole file, so nothing is sent.
 *
 * @example
 * ```ts
 * import { DatasetFileError } from "./dataset_file_error.ts";
 *
 * const error = new DatasetFileError("trace.jsonl", [
 *   { line: 3, field: "input_length", message: "expected a positive integer, got -1" },
 * ]);
 * if (!error.message.includes('"trace.jsonl": line 3: input_length: expected')) throw error;
 * ```
 */
export class DatasetFileError extends SyntaxError {
  /** The file as given. */
  readonly file: string;
  /** Every problem found. */
  readonly problems: readonly DatasetProblem[];

  /**
   * @param file The file.
   * @param problems What is wrong, at least one.
   */
  constructor(file: string, problems: readonly DatasetProblem[]) {
    const describe = (p: DatasetProblem) =>
      (p.line === undefined ? "" : `line ${p.line}: `) +
      (p.field === undefined ? "" : `${p.field}: `) + p.message;
    const [first, ...rest] = problems;
    const more = rest.slice(0, SHOWN - 1).map((p) => `\n  ${describe(p)}`).join("");
    const hidden = rest.length > SHOWN - 1 ? `\n  ... and ${rest.length - SHOWN + 1} more` : "";
    super(
      `Invalid dataset file "${file}": ${first === undefined ? "unusable" : describe(first)}` +
        more + hidden,
    );
    this.name = "DatasetFileError";
    this.file = file;
    this.problems = problems;
  }
}
