/** The kinds of failure when getting or creating an implementation. */
export type PluginLoadErrorCode =
  | "disabled"
  | "import_failed"
  | "export_missing"
  | "not_creatable"
  | "create_failed"
  | "instance_invalid"
  | "refused";

/**
 * An implementation could not be imported or created: which one, from which module, and why.
 */
export class PluginLoadError extends Error {
  /** What kind of failure. */
  readonly code: PluginLoadErrorCode;
  /** `<plugin>/<name>` of the implementation. */
  readonly implementation: string;
  /** The module URL. */
  readonly module: string;

  /**
   * Creates the error; the message is built from the arguments.
   *
   * @param code The kind of failure.
   * @param implementation The qualified implementation name.
   * @param module The module URL.
   * @param reason What failed.
   * @param options The underlying error.
   */
  constructor(
    code: PluginLoadErrorCode,
    implementation: string,
    module: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`Cannot load "${implementation}" from "${module}": ${reason}`, options);
    this.name = "PluginLoadError";
    this.code = code;
    this.implementation = implementation;
    this.module = module;
  }
}
