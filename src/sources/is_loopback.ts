/**
 * Whether a URL's host is this machine (127.0.0.0/8, `localhost`, `[::1]`): the only hosts plain
 * `http:` may reach.
 *
 * @param url The URL to check.
 * @returns `true` for a loopback host.
 *
 * @example
 * ```ts
 * import { isLoopback } from "@plugmap/plugmap/sources";
 * import { equal } from "node:assert/strict";
 *
 * equal(isLoopback(new URL("http://127.0.0.1:8080/x")), true);
 * equal(isLoopback(new URL("http://example.com/x")), false);
 * ```
 */
export function isLoopback(url: URL): boolean {
  const host = url.hostname;
  return host === "localhost" || host === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(host);
}
