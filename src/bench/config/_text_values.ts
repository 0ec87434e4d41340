// Values written as text in AIPerf's syntax (a URL without a scheme, `Name: value` headers,
// `key:value` extra inputs, percentile lists); each throws an Error saying what is wrong.

/** AIPerf takes "localhost:8000" without a scheme: http is meant. */
export function httpUrl(given: string): string {
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? given : `http://${given}`;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new TypeError();
  } catch {
    throw new TypeError(`expected an http(s) URL, got "${given}"`);
  }
  return url;
}

/** `50,90,99` to sorted, distinct numbers from 0 to 100. */
export function percentiles(text: string): readonly number[] {
  const list = text.split(",").map((p) => p.trim());
  const numbers = list.map(Number);
  if (list.some((p, i) => p === "" || !(numbers[i]! >= 0 && numbers[i]! <= 100))) {
    throw new RangeError(
      `expected comma-separated percentiles from 0 to 100, got "${text}"`,
    );
  }
  return [...new Set(numbers)].sort((a, b) => a - b);
}

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `Name: value` headers (or JSON objects), merged in order. */
export function headerPairs(items: readonly string[]): Readonly<Record<string, string>> {
  return pairs(items, true) as Record<string, string>;
}

/**
 * `key:value` extra inputs (values read as JSON when they parse: `true`, `5`, `"x"`), or JSON
 * objects, merged in order.
 */
export function extraInputPairs(items: readonly string[]): Readonly<Record<string, unknown>> {
  return pairs(items, false);
}

function pairs(items: readonly string[], headers: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of items) {
    const trimmed = item.trim();
    if (trimmed.startsWith("{")) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(trimmed);
      } catch (error) {
        throw new SyntaxError(`not valid JSON: ${(error as Error).message}`);
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new TypeError("expected a JSON object");
      }
      for (const [key, value] of Object.entries(parsed)) {
        if (headers && !HEADER_NAME.test(key)) throw new TypeError(`"${key}" is not a header name`);
        out[key] = headers ? String(value) : value;
      }
      continue;
    }
    const colon = trimmed.indexOf(":");
    const key = colon === -1 ? "" : trimmed.slice(0, colon).trim();
    if (key === "" || (headers && !HEADER_NAME.test(key))) {
      throw new TypeError(
        headers
          ? `expected "Name: value", got "${item}"`
          : `expected KEY:VALUE or a JSON object, got "${item}"`,
      );
    }
    const value = trimmed.slice(colon + 1).trim();
    if (headers) {
      out[key] = value;
      continue;
    }
    try {
      out[key] = JSON.parse(value);
    } catch {
      out[key] = value;
    }
  }
  return out;
}

/** AIPerf's `--profile-export-prefix`: a file name stem (the files go in the artifact dir). */
export function exportPrefix(text: string): string {
  if (/[\\/]/.test(text)) {
    throw new TypeError(
      `expected a file name stem, got "${text}": the files go in --output-artifact-dir`,
    );
  }
  return text;
}

/** AIPerf's `--export-level`: `summary` or `records`; `raw` is refused with the reason. */
export function exportLevel(text: string): "summary" | "records" {
  if (text === "summary" || text === "records") return text;
  if (text === "raw") {
    throw new TypeError(
      'raw is not supported: the bench keeps no request or response bodies (use "records", ' +
        "whose records.jsonl also has every chunk's arrival time)",
    );
  }
  throw new TypeError(`expected "summary" or "records", got "${text}"`);
}

/** AIPerf's `--audio-sample-rates`: kHz values above 0 (words or commas). */
export function sampleRates(texts: readonly string[]): number[] {
  return numbers(texts, (n) => n > 0, "sample rates in kHz above 0");
}

/** AIPerf's `--audio-depths`: bits per sample, each 8, 16, 24 or 32. */
export function audioDepths(texts: readonly string[]): number[] {
  return numbers(texts, (n) => [8, 16, 24, 32].includes(n), "bit depths from 8, 16, 24, 32");
}

function numbers(
  texts: readonly string[],
  ok: (n: number) => boolean,
  what: string,
): number[] {
  const words = texts.flatMap((t) => t.split(/[\s,]+/)).filter((t) => t !== "");
  const values = words.map(Number);
  if (values.length === 0 || !values.every((n) => Number.isFinite(n) && ok(n))) {
    throw new TypeError(`expected ${what}, got "${texts.join(" ")}"`);
  }
  return values;
}

/** AIPerf's `--audio-format`: `wav`; `mp3` is refused with the reason. */
export function audioFormat(text: string): "wav" {
  if (text === "wav") return text;
  if (text === "mp3") {
    throw new TypeError(
      "mp3 is not supported: the bench generates WAV clips only (no MP3 encoder); use wav",
    );
  }
  throw new TypeError(`expected "wav", got "${text}"`);
}
