// Timer helpers shared by the embedded server and the timing strategies.

/**
 * Resolves at `target` (a `performance.now()` time), at once if it has passed, or early with
 * `false` when `signal` aborts. Resolves `true` when the time was reached.
 */
export function sleepUntil(target: number, signal?: AbortSignal): Promise<boolean> {
  const delay = target - performance.now();
  if (signal?.aborted) return Promise.resolve(false);
  if (delay <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, delay);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
