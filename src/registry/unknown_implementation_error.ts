import { nearest } from "../_util/did_you_mean.ts";

/** What an {@link UnknownImplementationError} is made of. */
export interface UnknownImplementationErrorOptions {
  /** The category asked (`"category"` itself when the category is unknown, `"plugin"` for a plugin). */
  category: string;
  /** The name asked for. */
  requested: string;
  /** The names that would have resolved. */
  available: readonly string[];
  /** The nearest name; default: the available name nearest to the one asked, if near. */
  suggestion?: string | undefined;
}

/**
 * No implementation answers to a name in a category (or no such category, or plugin); the
 * message lists the available names and the nearest one.
 *
 * @example
 * ```ts
 * import { UnknownImplementationError } from "@plugmap/plugmap";
 * import { equal } from "node:assert/strict";
 *
 * const error = new UnknownImplementationError({
 *   category: "endpoint", requested: "chta", available: ["chat", "completions"],
 * });
 * equal(error.message, 'Cannot find endpoint "chta" (did you mean "chat"?): available: chat, completions');
 * ```
 */
export class UnknownImplementationError extends RangeError {
  /** The category asked. */
  readonly category: string;
  /** The name asked. */
  readonly requested: string;
  /** The names that would have resolved. */
  readonly available: readonly string[];
  /** The available name nearest to the one asked, if any is near. */
  readonly suggestion: string | undefined;

  /**
   * Creates the error; the message is `Cannot find <category> "<name>": available: ...`.
   *
   * @param options The category, the name, the available names and the suggestion.
   */
  constructor(options: UnknownImplementationErrorOptions) {
    const { category, requested, available } = options;
    const suggestion = "suggestion" in options ? options.suggestion : nearest(requested, available);
    const hint = suggestion ? ` (did you mean "${suggestion}"?)` : "";
    super(
      `Cannot find ${category} "${requested}"${hint}: available: ${available.join(", ") || "none"}`,
    );
    this.name = "UnknownImplementationError";
    this.category = category;
    this.requested = requested;
    this.available = available;
    this.suggestion = suggestion;
  }
}
