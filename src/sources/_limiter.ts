import type { SourceLimits } from "./limits.ts";

// Fetches in flight, process-wide: open sockets are a process's resource (`ulimit -n`), so
// every registry, lock check and map read of the process shares one count.
const perHost = new Map<string, number>();
let total = 0;
const waiting: { host: string; limits: SourceLimits; start: () => void }[] = [];
// What this process can afford whatever the option says: a quarter of its open-file limit
// (Linux's /proc/self/limits, when it may be read), lowered further each time it runs out.
let ceiling = Infinity;
let probed = false;

function openFileLimit(): number {
  try {
    const path = "/proc/self/limits";
    if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") return Infinity;
    const line = /^Max open files\s+(\d+)/m.exec(Deno.readTextFileSync(path));
    return line === null ? Infinity : Number(line[1]);
  } catch {
    return Infinity;
  }
}

function fits(host: string, limits: SourceLimits): boolean {
  if (!probed) {
    probed = true;
    ceiling = Math.max(4, Math.floor(openFileLimit() / 4));
  }
  return total < Math.min(limits.maxConnections, ceiling) &&
    (perHost.get(host) ?? 0) < limits.maxConnectionsPerHost;
}

/**
 * The process ran out of file descriptors: fetch with fewer at once from now on. Returns whether
 * a retry can help (other fetches hold descriptors that will be freed).
 */
export function shrinkSlots(): boolean {
  if (total <= 1) return false;
  ceiling = Math.max(1, Math.min(ceiling, total - 1));
  return true;
}

function take(host: string): () => void {
  total++;
  perHost.set(host, (perHost.get(host) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    total--;
    const left = perHost.get(host)! - 1;
    if (left === 0) perHost.delete(host);
    else perHost.set(host, left);
    // First come, first served, skipping those whose host is still full.
    for (let i = 0; i < waiting.length; i++) {
      const next = waiting[i]!;
      if (fits(next.host, next.limits)) {
        waiting.splice(i, 1);
        next.start();
        i--;
        if (total >= next.limits.maxConnections) break;
      }
    }
  };
}

/**
 * Waits for a slot to fetch from `url`'s host within `maxConnections` in total and
 * `maxConnectionsPerHost` per host; resolves to the function that frees it. Rejects with the
 * signal's reason when it aborts while waiting.
 */
export function acquireSlot(
  url: URL,
  limits: SourceLimits,
  signal?: AbortSignal,
): Promise<() => void> {
  const host = url.host;
  if (fits(host, limits)) return Promise.resolve(take(host));
  return new Promise((resolve, reject) => {
    const entry = {
      host,
      limits,
      start: () => {
        signal?.removeEventListener("abort", onAbort);
        resolve(take(host));
      },
    };
    const onAbort = () => {
      const at = waiting.indexOf(entry);
      if (at >= 0) waiting.splice(at, 1);
      reject(signal!.reason);
    };
    if (signal?.aborted) return reject(signal.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    waiting.push(entry);
  });
}
