// The benchmark tests' assertions: node:assert/strict under the names these tests use, plus
// what it lacks (a range, rejects/throws that hand back the error, figures as exported).

import { AssertionError } from "node:assert/strict";

export { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";

/** Asserts `actual` lies in `[low, high]`. */
export function assertBetween(actual: number, low: number, high: number, what: string): void {
  if (!(actual >= low && actual <= high)) {
    throw new AssertionError({ message: `${what}: ${actual} not in [${low}, ${high}]` });
  }
}

/** Asserts that `fn` rejects (or throws); returns the error. */
export async function assertRejects(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    return error as Error;
  }
  throw new AssertionError({ message: "Expected a rejection" });
}

/** Asserts that `fn` throws; returns the error. */
export function assertThrows(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new AssertionError({ message: "Expected an error" });
}

/**
 * `value` as it is exported: -0 and 0 are one value in JSON (both written as 0), and which of the
 * two a min or a percentile holds depends only on the order equal values came in.
 */
export function exported<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}
