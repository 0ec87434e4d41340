// Minimal assertions (the @std/assert package lives on JSR, which these machines cannot reach).

import { AssertionError, deepStrictEqual } from "node:assert/strict";

/** Asserts `condition`. */
export function assert(condition: unknown, message = "Assertion failed"): asserts condition {
  if (!condition) throw new AssertionError({ message });
}

/** Asserts deep equality. */
export function assertEquals<T>(actual: unknown, expected: T, message?: string): void {
  deepStrictEqual(actual, expected, message);
}

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
