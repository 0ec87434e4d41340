// The errors of `node:util` `parseArgs`, reworded for the benchmark's two command lines
// (`deno task bench` and `deno task serve`), which report them in their own ways.
import { didYouMean } from "./_did_you_mean.ts";

/** A command-line error: the flag it is about and what is wrong with it. */
export interface FlagError {
  /** The flag as typed (`--port`, `-h`), or `(command line)` when the error names none. */
  readonly flag: string;
  /** What is wrong, in lower case, without the flag. */
  readonly detail: string;
}

/**
 * Works out which flag a `parseArgs` error is about and says what is wrong in plain words; any
 * other error ("does not take an argument", "Unexpected argument") keeps its first sentence.
 * An unknown flag gets the nearest of `known` (long names without dashes), if one is near.
 */
export function flagError(error: unknown, known: readonly string[] = []): FlagError {
  const message = (error as Error).message;
  // "Option '-m, --model <value>' ...": name the long form.
  const flag = /'(?:-\w, )?(-[^' ,]+)/.exec(message)?.[1] ?? "(command line)";
  const detail = /argument missing/.test(message)
    ? "expected a value"
    : /argument is ambiguous/.test(message)
    ? `a value starting with "-" must be written ${flag}=<value>`
    : /^Unknown option/.test(message)
    ? `unknown flag${didYouMean(flag, known.map((name) => `--${name}`))}; see --help`
    // Anything else ("does not take an argument", "Unexpected argument"): its first sentence.
    : message.replace(/\. To specify .*$/s, "").split("\n")[0]!;
  return { flag, detail };
}
