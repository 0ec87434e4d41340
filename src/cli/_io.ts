/** Where the command line writes, and whether it may use colour. */
export interface Io {
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  /** Whether standard output takes colour (a terminal, and `NO_COLOR` unset). */
  colorOut: boolean;
  /** Whether standard error takes colour. */
  colorErr: boolean;
  /** The working directory, for relative paths. */
  cwd: string;
}

function writeAll(file: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = new TextEncoder().encode(text);
  try {
    while (bytes.length > 0) bytes = bytes.subarray(file.writeSync(bytes));
  } catch (error) {
    // The reader went away (`plugins list --json | head`): nobody reads what is left, so stop
    // quietly with exit code 0, as a Unix tool stopped by SIGPIPE stops, without a stack trace.
    if (error instanceof Deno.errors.BrokenPipe) Deno.exit(0);
    throw error;
  }
}

function noColor(): boolean {
  try {
    // https://no-color.org: present and not empty disables colour.
    return (Deno.env.get("NO_COLOR") ?? "") !== "";
  } catch {
    return true;
  }
}

/** The process's own streams. */
export function processIo(): Io {
  const plain = noColor();
  return {
    out: (text) => writeAll(Deno.stdout, text),
    err: (text) => writeAll(Deno.stderr, text),
    colorOut: !plain && Deno.stdout.isTerminal(),
    colorErr: !plain && Deno.stderr.isTerminal(),
    cwd: Deno.cwd(),
  };
}

/** ANSI styles that vanish when colour is off. */
export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
}

/** Styles for one stream. */
export function paint(color: boolean): Paint {
  const style = (open: number, close: number) => (text: string) =>
    color ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return {
    bold: style(1, 22),
    dim: style(2, 22),
    red: style(31, 39),
    yellow: style(33, 39),
    green: style(32, 39),
    cyan: style(36, 39),
  };
}

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** Lays rows out in columns (the last column is not padded). */
export function table(rows: readonly (readonly string[])[], indent = ""): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.replace(ANSI, "").length);
    });
  }
  return rows.map((row) =>
    indent + row.map((cell, i) =>
      i === row.length - 1 ? cell : cell + " ".repeat(widths[i]! - cell.replace(ANSI, "").length)
    ).join("  ").trimEnd() + "\n"
  ).join("");
}
