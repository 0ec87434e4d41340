/** The kinds of failure while fetching a manifest or module. */
export type SourceErrorCode =
  | "not_found"
  | "http_error"
  | "network"
  | "timeout"
  | "too_large"
  | "not_text"
  | "insecure_url"
  | "unsupported_specifier"
  | "redirect"
  | "jsr_version"
  | "checksum_mismatch"
  | "lock_mismatch";

/**
 * A manifest could not be fetched: the URL, and what went wrong.
 *
 * @example Reading the code
 * ```ts
 * import { loadSource, SourceError } from "@plugmap/plugmap";
 * import { equal, ok } from "node:assert/strict";
 *
 * try {
 *   await loadSource(new URL("http://example.com/registry.yaml"));
 * } catch (error) {
 *   ok(error instanceof SourceError);
 *   equal(error.code, "insecure_url");
 * }
 * ```
 */
export class SourceError extends Error {
  /** What kind of failure. */
  readonly code: SourceErrorCode;
  /** The URL (or specifier) that failed. */
  readonly url: string;
  /** What failed, without the URL the message starts with. */
  readonly reason: string;

  /**
   * Creates the error; the message is built from the arguments.
   *
   * @param code The kind of failure.
   * @param url The URL or specifier.
   * @param reason What failed, one line.
   * @param options The underlying cause, if any.
   */
  constructor(code: SourceErrorCode, url: string, reason: string, options?: ErrorOptions) {
    super(`Cannot fetch "${url}": ${reason}`, options);
    this.name = "SourceError";
    this.code = code;
    this.url = url;
    this.reason = reason;
  }
}
