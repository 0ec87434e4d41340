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

/** What a {@link SourceError} is made of. */
export interface SourceErrorOptions extends ErrorOptions {
  /** What kind of failure. */
  code: SourceErrorCode;
  /** The URL or specifier that failed. */
  url: string;
  /** What failed, one line. */
  reason: string;
}

/**
 * A manifest could not be fetched: the URL, and what went wrong.
 *
 * @example Reading the code
 * ```ts
 * import { SourceError } from "@plugmap/plugmap";
 * import { loadSource } from "@plugmap/plugmap/sources";
 * import { rejects } from "node:assert/strict";
 *
 * await rejects(loadSource(new URL("http://example.com/registry.yaml")), (error) => {
 *   return error instanceof SourceError && error.code === "insecure_url";
 * });
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
   * Creates the error; the message is `Cannot fetch "<url>": <reason>`.
   *
   * @param options The code, the URL, the reason and the underlying cause, if any.
   */
  constructor(options: SourceErrorOptions) {
    const { code, url, reason, ...rest } = options;
    super(`Cannot fetch "${url}": ${reason}`, rest);
    this.name = "SourceError";
    this.code = code;
    this.url = url;
    this.reason = reason;
  }
}
