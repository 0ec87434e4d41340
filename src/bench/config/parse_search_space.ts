/** `--search-space` parsed: `request_rate:1:64` or `concurrency:1:256`. */
export interface SearchSpace {
  readonly field: "request_rate" | "concurrency";
  readonly low: number;
  readonly high: number;
}

/**
 * Parses `--search-space FIELD:LOW:HIGH` (`request_rate:1:64`, `concurrency:1:256`).
 *
 * @param text The flag's value.
 * @returns The space.
 * @throws {SyntaxError} When it is not `request_rate` or `concurrency` with two numbers, low
 * above 0 and below high (whole numbers for a concurrency).
 *
 * @example
 * ```ts
 * import { parseSearchSpace } from "./parse_search_space.ts";
 *
 * const space = parseSearchSpace("concurrency:1:64");
 * if (space.field !== "concurrency" || space.high !== 64) throw new Error("wrong");
 * ```
 */
export function parseSearchSpace(text: string): SearchSpace {
  const [field, lowText, highText, ...rest] = text.split(":");
  if (field !== "request_rate" && field !== "concurrency") {
    throw new SyntaxError(
      `expected request_rate:LOW:HIGH or concurrency:LOW:HIGH, got "${text}"`,
    );
  }
  const low = Number(lowText);
  const high = Number(highText);
  if (rest.length > 0 || !(low > 0) || !(high > low) || !Number.isFinite(high)) {
    throw new SyntaxError(`expected ${field}:LOW:HIGH with 0 < LOW < HIGH, got "${text}"`);
  }
  if (field === "concurrency" && (!Number.isInteger(low) || !Number.isInteger(high))) {
    throw new SyntaxError(`expected whole numbers for a concurrency, got "${text}"`);
  }
  return { field, low, high };
}
