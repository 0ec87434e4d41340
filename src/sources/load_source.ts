import { DEFAULT_SOURCE_LIMITS, type SourceLimits } from "./limits.ts";
import { SourceError } from "./source_error.ts";
import { resolveJsr } from "./resolve_jsr.ts";
import { checkNetworkUrl, readBody } from "./_http.ts";
import { decodeText } from "./_text.ts";
import { readLocalSource } from "./read_local_source.ts";
import { integrityOf } from "../_util/integrity.ts";
import { readCached, writeCached } from "./_cache.ts";

/** Options for {@link loadSource}. */
export interface LoadSourceOptions {
  /** Fetch limits; missing ones take {@link DEFAULT_SOURCE_LIMITS}. */
  limits?: Partial<SourceLimits>;
  /** Base URL of the JSR registry. Default: `JSR_URL` from the environment, else `https://jsr.io`. */
  jsrUrl?: string;
  /** Aborts the fetch. */
  signal?: AbortSignal;
  /** Also hash local files (network sources are always hashed). Default `false`. */
  integrity?: boolean;
  /**
   * The `sha256-<hex>` the bytes must have, from a lock file: other bytes throw a
   * {@link SourceError} with code `lock_mismatch` naming both hashes. Implies `integrity`.
   */
  expect?: string;
  /**
   * A directory caching network sources by hash. Every network fetch that passed its checks
   * (and `expect`, when given) is stored, atomically; with `expect`, a cached copy is read
   * instead of the network. Nothing is cached when read and write permission on it are not
   * granted. Default: no cache.
   */
  cacheDir?: string | URL;
}

/** A fetched manifest text and where it really came from. */
export interface Source {
  /** The specifier as asked for. */
  specifier: string;
  /** The URL the text was read from, after redirects and `jsr:` resolution. */
  url: string;
  /** The text (UTF-8, byte-order mark removed). */
  text: string;
  /** `sha256-<hex>` of the bytes: always for network sources, for files when asked. */
  integrity?: string;
  /** For `jsr:` specifiers: the package and the version chosen. */
  jsr?: { name: string; version: string; path: string };
}

/** Reads `JSR_URL` when the environment may be read, else the public registry. */
function defaultJsrUrl(): string {
  try {
    if (Deno.permissions.querySync({ name: "env", variable: "JSR_URL" }).state === "granted") {
      return Deno.env.get("JSR_URL") ?? "https://jsr.io";
    }
  } catch {
    // Not Deno, or no permission API: the default.
  }
  return "https://jsr.io";
}

/**
 * Fetches a manifest's text from a `file:`, `https:`, loopback `http:` or `jsr:` URL, within
 * the limits. Nothing is imported or executed.
 *
 * @param url The manifest URL (already resolved against its plugin map).
 * @param options Limits, JSR base URL, abort signal.
 * @returns The text, its final URL and its integrity hash.
 * @throws {SourceError} Unreachable, too large, too slow, insecure, not text, or a JSR
 * checksum mismatch.
 *
 * @example Reading a local manifest
 * ```ts
 * import { loadSource } from "@plugmap/plugmap/sources";
 * import { ok } from "node:assert/strict";
 *
 * const path = await Deno.makeTempFile({ suffix: ".yaml" });
 * await Deno.writeTextFile(path, "endpoint:\n  chat: ./chat.ts\n");
 * const source = await loadSource(new URL(`file://${path}`), { integrity: true });
 * ok(source.text.startsWith("endpoint:"));
 * ok(source.integrity?.startsWith("sha256-"));
 * ```
 */
export async function loadSource(url: URL, options: LoadSourceOptions = {}): Promise<Source> {
  const limits = { ...DEFAULT_SOURCE_LIMITS, ...options.limits };
  const specifier = url.href;
  const { expect, cacheDir } = options;
  switch (url.protocol) {
    case "file:": {
      const bytes = readLocalSource(url, { limits });
      const hashed = options.integrity || expect !== undefined;
      const integrity = hashed ? await integrityOf(bytes) : undefined;
      checkExpected(specifier, expect, integrity);
      return {
        specifier,
        url: specifier,
        text: decodeText(bytes, specifier),
        ...(integrity !== undefined ? { integrity } : {}),
      };
    }
    case "https:":
    case "http:": {
      if (expect !== undefined && cacheDir !== undefined) {
        // A pinned source whose bytes are on disk needs no network at all.
        const cached = await readCached(cacheDir, expect, limits.maxBytes);
        if (cached !== undefined) {
          checkNetworkUrl(url);
          return {
            specifier,
            url: specifier,
            text: decodeText(cached, specifier),
            integrity: expect,
          };
        }
      }
      const { url: finalUrl, bytes } = await readBody(url, limits, options.signal);
      const integrity = await integrityOf(bytes);
      checkExpected(specifier, expect, integrity);
      const text = decodeText(bytes, finalUrl);
      if (cacheDir !== undefined) await writeCached(cacheDir, integrity, bytes);
      return { specifier, url: finalUrl, text, integrity };
    }
    case "jsr:": {
      const resolved = await resolveJsr(specifier, {
        jsrUrl: options.jsrUrl ?? defaultJsrUrl(),
        limits,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const { bytes } = await readBody(new URL(resolved.url), limits, options.signal);
      const integrity = await integrityOf(bytes);
      if (resolved.checksum !== undefined && resolved.checksum !== integrity) {
        throw new SourceError({
          code: "checksum_mismatch",
          url: specifier,
          reason:
            `The file does not match JSR's checksum: expected ${resolved.checksum}, got ${integrity}`,
        });
      }
      checkExpected(specifier, expect, integrity);
      const text = decodeText(bytes, resolved.url);
      if (cacheDir !== undefined) await writeCached(cacheDir, integrity, bytes);
      return {
        specifier,
        url: resolved.url,
        text,
        integrity,
        jsr: { name: resolved.name, version: resolved.version, path: resolved.path },
      };
    }
    default:
      throw new SourceError({
        code: "unsupported_specifier",
        url: specifier,
        reason:
          `Unsupported scheme "${url.protocol}": use a relative path, file:, https:, http: (loopback only) or jsr:`,
      });
  }
}

function checkExpected(specifier: string, expect: string | undefined, actual: string | undefined) {
  if (expect !== undefined && actual !== expect) {
    throw new SourceError({
      code: "lock_mismatch",
      url: specifier,
      reason: `The manifest changed since it was locked: expected ${expect}, got ${actual}`,
    });
  }
}
