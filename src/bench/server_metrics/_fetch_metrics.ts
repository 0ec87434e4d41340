// One scrape: GET the page with a time limit and a size cap, so a slow or huge endpoint costs a
// gap, never the run's memory or time.

/** A page, or why there is none. */
export type FetchOutcome =
  | { readonly ok: true; readonly text: string; readonly bytes: number }
  | {
    readonly ok: false;
    /** Why, in a few words: `connection refused`, `HTTP 404`, `timed out after 2000 ms`. */
    readonly reason: string;
    /** Not Prometheus at all (404, JSON, HTML): an auto-derived endpoint is then dropped. */
    readonly notMetrics: boolean;
  };

const ACCEPT = "text/plain;version=0.0.4;q=0.9,application/openmetrics-text;version=1.0.0;q=0.8," +
  "*/*;q=0.1";

/** Fetches `url` within `timeoutMs`, reading at most `maxBytes` of its body. */
export async function fetchMetrics(
  url: string,
  timeoutMs: number,
  maxBytes: number,
  stop: AbortSignal,
): Promise<FetchOutcome> {
  const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), stop]);
  try {
    const response = await fetch(url, { headers: { accept: ACCEPT }, signal });
    if (!response.ok) {
      await response.body?.cancel();
      return {
        ok: false,
        reason: `HTTP ${response.status}`,
        notMetrics: response.status === 404 || response.status === 405,
      };
    }
    const type = response.headers.get("content-type") ?? "";
    if (/json|html/i.test(type)) {
      await response.body?.cancel();
      return { ok: false, reason: `not Prometheus text (${type})`, notMetrics: true };
    }
    const declared = Number(response.headers.get("content-length") ?? NaN);
    if (declared > maxBytes) {
      await response.body?.cancel();
      return { ok: false, reason: tooLarge(maxBytes), notMetrics: false };
    }
    const parts: Uint8Array[] = [];
    let bytes = 0;
    for await (const part of response.body ?? []) {
      bytes += part.byteLength;
      if (bytes > maxBytes) {
        // Leaving the loop cancels the body.
        return { ok: false, reason: tooLarge(maxBytes), notMetrics: false };
      }
      parts.push(part);
    }
    const whole = new Uint8Array(bytes);
    let at = 0;
    for (const part of parts) {
      whole.set(part, at);
      at += part.byteLength;
    }
    return { ok: true, text: new TextDecoder().decode(whole), bytes };
  } catch (error) {
    const reason = stop.aborted
      ? "stopped"
      : signal.aborted
      ? `timed out after ${timeoutMs} ms`
      : error instanceof TypeError && /refused/i.test(String(error.message))
      ? "connection refused"
      : String((error as Error)?.message ?? error).split("\n")[0]!;
    return { ok: false, reason, notMetrics: false };
  }
}

function tooLarge(maxBytes: number): string {
  return `larger than the ${Math.round(maxBytes / 1024)} KiB cap per scrape`;
}
