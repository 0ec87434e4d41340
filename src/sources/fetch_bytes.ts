import { DEFAULT_SOURCE_LIMITS, type SourceLimits } from "./limits.ts";
import { readBody } from "./_http.ts";
import { integrityOf } from "../_util/integrity.ts";

/** Options for {@link fetchBytes}. */
export interface FetchBytesOptions {
  /** Fetch limits; missing ones take {@link DEFAULT_SOURCE_LIMITS}. */
  limits?: Partial<SourceLimits>;
  /** Aborts the fetch. */
  signal?: AbortSignal;
}

/** Bytes fetched from the network, where they really came from, and their hash. */
export interface FetchedBytes {
  /** The URL after redirects. */
  url: string;
  /** The body. */
  bytes: Uint8Array;
  /** `sha256-<hex>` of the body. */
  integrity: string;
  /** The response's `Content-Type` (empty when it sent none). */
  contentType: string;
}

/**
 * GETs an `https:` (or loopback `http:`) URL under the same rules as manifests: each redirect
 * hop checked, the size capped while streaming, one time-out for the whole exchange. Used to
 * hash plugin modules without importing them.
 *
 * @param url The URL.
 * @param options Limits and an abort signal.
 * @returns The body, the final URL and the body's integrity.
 * @throws {SourceError} Refused, unreachable, too large or too slow.
 *
 * @example
 * ```ts
 * import { fetchBytes } from "@plugmap/plugmap/sources";
 * import { equal, match } from "node:assert/strict";
 *
 * const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, () => new Response("hi"));
 * const fetched = await fetchBytes(new URL(`http://127.0.0.1:${server.addr.port}/mod.ts`));
 * equal(new TextDecoder().decode(fetched.bytes), "hi");
 * match(fetched.integrity, /^sha256-[0-9a-f]{64}$/);
 * await server.shutdown();
 * ```
 */
export async function fetchBytes(url: URL, options: FetchBytesOptions = {}): Promise<FetchedBytes> {
  const limits = { ...DEFAULT_SOURCE_LIMITS, ...options.limits };
  const body = await readBody(url, limits, options.signal);
  return { ...body, integrity: await integrityOf(body.bytes) };
}
