/** The kinds of failure when getting or creating an implementation. */
export type PluginLoadErrorCode =
  | "disabled"
  | "import_failed"
  | "export_missing"
  | "not_creatable"
  | "create_failed"
  | "instance_invalid"
  | "refused"
  | "timeout";

/** What a {@link PluginLoadError} is made of. */
export interface PluginLoadErrorOptions extends ErrorOptions {
  /** What kind of failure. */
  code: PluginLoadErrorCode;
  /** `<plugin>/<name>` of the implementation. */
  implementation: string;
  /** The module URL. */
  module: string;
  /** What failed, one line. */
  reason: string;
  /** For `timeout`: how long loading was waited for, in milliseconds. */
  waitedMs?: number;
}

/**
 * An implementation could not be imported or created: which one, from which module, and why.
 *
 * @example
 * ```ts
 * import { PluginLoadError } from "@plugmap/plugmap";
 * import { equal } from "node:assert/strict";
 *
 * const error = new PluginLoadError({
 *   code: "export_missing", implementation: "acme/chat", module: "file:///chat.ts", reason: "No export",
 * });
 * equal(error.message, 'Cannot load "acme/chat" from "file:///chat.ts": No export');
 * ```
 */
export class PluginLoadError extends Error {
  /** What kind of failure. */
  readonly code: PluginLoadErrorCode;
  /** `<plugin>/<name>` of the implementation. */
  readonly implementation: string;
  /** The module URL. */
  readonly module: string;
  /** What failed, without what the message starts with. */
  readonly reason: string;
  /** For `timeout`: how long loading was waited for, in milliseconds. */
  readonly waitedMs: number | undefined;

  /**
   * Creates the error; the message is `Cannot load "<implementation>" from "<module>": <reason>`.
   *
   * @param options The code, the implementation, the module, the reason and the cause.
   */
  constructor(options: PluginLoadErrorOptions) {
    const { code, implementation, module, reason, waitedMs, ...rest } = options;
    super(`Cannot load "${implementation}" from "${module}": ${reason}`, rest);
    this.name = "PluginLoadError";
    this.code = code;
    this.implementation = implementation;
    this.module = module;
    this.reason = reason;
    this.waitedMs = waitedMs;
  }
}
