import { UnknownImplementationError } from "../../mod.ts";

/**
 * ` (did you mean "x"?)` when a candidate is near enough to `word` to be a likely typo, else the
 * empty string. The nearest name is the library's (the rule `plugins` and the registry use), so
 * the benchmark's flags and file keys suggest exactly as plugin names do.
 */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const { suggestion } = new UnknownImplementationError({
    category: "name",
    requested: word,
    available: candidates,
  });
  return suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`;
}
