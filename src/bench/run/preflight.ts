import type { DatasetEntry, Endpoint, EndpointResult } from "../types.ts";

/** The endpoint failed its pre-flight request in a way no benchmark can get past. */
export class PreflightError extends Error {
  /** The endpoint's URL. */
  readonly url: string;
  /** The failed request's result. */
  readonly result: EndpointResult;

  /**
   * @param url The endpoint's URL.
   * @param result The failed request.
   * @param hint What to check, if anything specific.
   */
  constructor(url: string, result: EndpointResult, hint?: string) {
    super(`Pre-flight request to ${url} failed: ${result.error}${hint ? ` (${hint})` : ""}`);
    this.name = "PreflightError";
    this.url = url;
    this.result = result;
  }
}

const HINTS: Readonly<Record<number, string>> = {
  401: "unauthorized: check --api-key",
  403: "forbidden: check --api-key",
  404: "not found: check --url, --endpoint-type and --model",
  405: "method not allowed: check --url and --endpoint-type",
};

/**
 * Sends one short request (the first prompt, one output token) before any phase, so a wrong
 * URL, a closed port, an unknown host, a TLS failure, a missing key or a wrong route is named
 * at once instead of becoming a table of errors. Other failures (a 500, a slow server: no
 * answer within `timeoutMs`) are returned for a warning; the run goes on.
 *
 * @param endpoint The endpoint.
 * @param entry The prompt to send.
 * @param signal Aborted on Ctrl-C.
 * @param timeoutMs How long to wait for the answer.
 * @returns A warning, or `undefined` when the request succeeded.
 * @throws {PreflightError} On connection refused, DNS, TLS, connection failures and HTTP 401,
 * 403, 404, 405.
 *
 * @example
 * ```ts
 * import { preflight, PreflightError } from "./preflight.ts";
 *
 * const endpoint = {
 *   url: "http://127.0.0.1:9/v1/chat/completions",
 *   streaming: true,
 *   send: () => Promise.resolve({ start: 0, end: 1, error: "connection refused: ...",
 *     errorKind: "connection_refused" as const }),
 * };
 * const failed = await preflight(endpoint, { prompt: "hi" }, new AbortController().signal)
 *   .catch((e) => e);
 * if (!(failed instanceof PreflightError)) throw new Error("wrong");
 * ```
 */
export async function preflight(
  endpoint: Endpoint,
  entry: DatasetEntry,
  signal: AbortSignal,
  timeoutMs = 30_000,
): Promise<string | undefined> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const result = await endpoint.send({
    prompt: entry.prompt,
    maxTokens: 1,
    signal: AbortSignal.any([signal, timeout]),
  });
  if (result.cancelled) {
    return signal.aborted ? undefined : `the pre-flight request to ${endpoint.url} had no ` +
      `answer within ${timeoutMs / 1000} s; going on`;
  }
  if (result.error === undefined) return undefined;
  const kind = result.errorKind;
  if (kind === "connection_refused" || kind === "dns" || kind === "tls" || kind === "connection") {
    throw new PreflightError(endpoint.url, result);
  }
  const hint = result.status === undefined ? undefined : HINTS[result.status];
  if (hint !== undefined) throw new PreflightError(endpoint.url, result, hint);
  return `the pre-flight request to ${endpoint.url} failed: ${result.error}; going on`;
}
