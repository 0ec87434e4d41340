import type { SourceLimits } from "./limits.ts";
import { SourceError } from "./source_error.ts";
import { concatBytes } from "./_text.ts";
import { isLoopback } from "./is_loopback.ts";
import { acquireSlot, shrinkSlots } from "./_limiter.ts";

function redirectAllowed(from: URL, to: URL): boolean {
  if (to.protocol === "https:") return from.protocol === "https:" || isLoopback(from);
  // Loopback to loopback stays on this machine, which is what local servers and tests need.
  return to.protocol === "http:" && isLoopback(from) && isLoopback(to);
}

/**
 * GETs a URL within the limits: only https (or loopback http), redirects followed by hand so
 * each hop is checked, size capped while streaming, one time-out for the whole exchange.
 */
export async function readBody(
  start: URL,
  limits: SourceLimits,
  signal?: AbortSignal,
): Promise<{ url: string; bytes: Uint8Array; contentType: string }> {
  checkNetworkUrl(start);
  for (let attempt = 1;; attempt++) {
    // Wait for a turn first, so the time-out measures the fetch, not the queue.
    const release = await acquireSlot(start, limits, signal);
    try {
      return await readWithin(start, limits, signal);
    } catch (error) {
      // Out of file descriptors: fewer fetches at once, then this one again (a few times).
      if (!(outOfFiles(error) && attempt < 5 && shrinkSlots())) throw error;
    } finally {
      release();
    }
  }
}

// Deno reports running out of file descriptors as an OS error (os error 24, EMFILE), as the
// error or somewhere in its causes ("fetch failed").
function outOfFiles(error: unknown): boolean {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (/os error 24|Too many open files/i.test(String((e as Error).message ?? e))) return true;
    e = (e as Error).cause;
  }
  return false;
}

async function readWithin(
  start: URL,
  limits: SourceLimits,
  signal: AbortSignal | undefined,
): Promise<{ url: string; bytes: Uint8Array; contentType: string }> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let url = start;
  try {
    for (let hop = 0;; hop++) {
      const response = await fetch(url, { redirect: "manual", signal: combined });
      if (response.status >= 300 && response.status < 400 && response.headers.has("location")) {
        await response.body?.cancel();
        const next = new URL(response.headers.get("location")!, url);
        if (hop >= limits.maxRedirects) {
          throw new SourceError({
            code: "redirect",
            url: start.href,
            reason: `More than ${limits.maxRedirects} redirects (last to "${next.href}")`,
          });
        }
        if (!redirectAllowed(url, next)) {
          throw new SourceError({
            code: "redirect",
            url: start.href,
            reason:
              `Refused redirect from "${url.href}" to "${next.href}": only https to https is followed`,
          });
        }
        url = next;
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new SourceError({
          code: response.status === 404 || response.status === 410 ? "not_found" : "http_error",
          url: url.href,
          reason: `HTTP ${response.status} ${response.statusText}`.trim(),
        });
      }
      const declared = Number(response.headers.get("content-length") ?? NaN);
      if (declared > limits.maxBytes) {
        await response.body?.cancel();
        throw new SourceError({
          code: "too_large",
          url: url.href,
          reason: `The response is ${declared} bytes, over the limit of ${limits.maxBytes}`,
        });
      }
      return {
        url: url.href,
        bytes: await readCapped(response, url.href, limits.maxBytes),
        contentType: response.headers.get("content-type") ?? "",
      };
    }
  } catch (error) {
    if (error instanceof SourceError) throw error;
    if (timeout.aborted) {
      throw new SourceError({
        code: "timeout",
        url: url.href,
        reason: `No complete answer within ${limits.timeoutMs} ms`,
        cause: error,
      });
    }
    throw new SourceError({
      code: "network",
      url: url.href,
      reason: outOfFiles(error)
        ? `The process ran out of file descriptors (Too many open files): lower ` +
          `limits.source.maxConnections (now ${limits.maxConnections}) or raise "ulimit -n"`
        : (error as Error).message ?? String(error),
      cause: error,
    });
  }
}

async function readCapped(response: Response, url: string, maxBytes: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    if (size > maxBytes) {
      // Leaving the loop cancels the stream.
      throw new SourceError({
        code: "too_large",
        url,
        reason: `The response exceeds the limit of ${maxBytes} bytes`,
      });
    }
    chunks.push(chunk);
  }
  return concatBytes(chunks, size);
}

/** Whether `url` may be fetched at all: `https:`, or `http:` to a loopback host. */
export function checkNetworkUrl(url: URL): void {
  if (url.protocol === "https:") return;
  if (url.protocol === "http:" && isLoopback(url)) return;
  if (url.protocol === "http:") {
    throw new SourceError({
      code: "insecure_url",
      url: url.href,
      reason:
        "Plain http is allowed only for loopback hosts (127.0.0.1, localhost, [::1]); use https",
    });
  }
  throw new SourceError({
    code: "insecure_url",
    url: url.href,
    reason: `A network source cannot lead to "${url.protocol}"`,
  });
}
