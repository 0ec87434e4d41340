/** The time limit for getting or creating an implementation when none is given, in ms. */
export const DEFAULT_LOAD_TIMEOUT_MS = 30_000;

/**
 * Settles as `work` does, or rejects with `late(waitedMs)` once `ms` have passed (the work goes
 * on: an import cannot be cancelled). The timer is cleared either way, so it never holds the
 * process open; `Infinity` waits forever.
 */
export function withinTime<T>(
  work: Promise<T>,
  ms: number,
  late: (waitedMs: number) => Error,
): Promise<T> {
  if (ms === Infinity) return work;
  const start = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late(Math.round(performance.now() - start))), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
