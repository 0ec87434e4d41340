/**
 * No implementation answers to a name in a category; the message lists the available names and
 * the nearest one.
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
   * Creates the error; the message is built from the arguments.
   *
   * @param category The category.
   * @param requested The name asked for.
   * @param available The names available.
   * @param suggestion The nearest available name.
   * @param known Whether the category itself is known.
   */
  constructor(
    category: string,
    requested: string,
    available: readonly string[],
    suggestion: string | undefined,
    known = true,
  ) {
    const hint = suggestion ? ` (did you mean "${suggestion}"?)` : "";
    super(
      known
        ? `Unknown ${category} "${requested}"${hint}: available: ${available.join(", ") || "none"}`
        : `Unknown category "${category}"${hint}: categories: ${available.join(", ") || "none"}`,
    );
    this.name = "UnknownImplementationError";
    this.category = category;
    this.requested = requested;
    this.available = available;
    this.suggestion = suggestion;
  }
}
