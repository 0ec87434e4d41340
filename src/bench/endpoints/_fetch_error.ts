// Why a `fetch` failed before any response: each kind of failure is listed once below, with the
// words Deno (and the OS under it) uses for it and the words the bench reports it with.

import { oneLine } from "../_one_line.ts";
import type { EndpointResult, ErrorKind } from "../types.ts";

/** A failure's kind and its one-line message (what failed, the URL, the cause). */
export interface FetchFailure {
  readonly kind: ErrorKind;
  readonly message: string;
}

// The kinds in the order they are tried; the last matches everything.
const KINDS: readonly { kind: ErrorKind; pattern: RegExp; what: string; hint?: string }[] = [
  {
    kind: "connection_refused",
    pattern: /connection refused|econnrefused/,
    what: "connection refused",
  },
  {
    kind: "dns",
    pattern:
      /dns error|failed to lookup|name or service not known|no address associated|enotfound|name resolution/,
    what: "host name not found (DNS)",
  },
  {
    kind: "tls",
    pattern: /certificate|tls|ssl|handshake/,
    what: "TLS failure",
    hint: "a private CA is trusted with DENO_CERT=ca.pem, or DENO_TLS_CA_STORE=system",
  },
  { kind: "connection", pattern: /(?:)/, what: "connection failed" },
];

/**
 * Names a failed `fetch` by its cause (Deno words them as "tcp connect error: Connection refused",
 * "dns error", "invalid peer certificate", ...), with the URL; a port `fetch` refuses before
 * connecting is told apart by one TCP probe.
 */
export async function classifyFetchError(error: unknown, url: string): Promise<FetchFailure> {
  if (/requests to port \d+ are blocked/i.test(oneLine(error))) return await blockedPort(url);
  const detail = causeOf(error);
  const t = detail.toLowerCase();
  const { kind, what, hint } = KINDS.find((k) => k.pattern.test(t))!;
  const why = detail.slice(0, 300) + (hint === undefined ? "" : `; ${hint}`);
  return { kind, message: `${what}: ${url} (${why})` };
}

/**
 * The reason of a failed `fetch` from its `cause` chain: Deno throws `TypeError: fetch failed`
 * and keeps the reason (`invalid peer certificate: UnknownIssuer`, `tcp connect error: ...`) in
 * `cause`, inside a wrapper naming the URL, which the message already names.
 */
function causeOf(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const text = oneLine(e)
      .replace(/^error sending request for url \([^)]*\):\s*/i, "")
      .replace(/^client error \([^)]*\):\s*/i, "")
      .trim();
    if (text !== "" && !parts.includes(text)) parts.push(text);
    e = e instanceof Error ? e.cause : undefined;
  }
  // "fetch failed" says nothing once a cause is known.
  if (parts.length > 1 && parts[0] === "fetch failed") parts.shift();
  return parts.join(": ");
}

const probes = new Map<string, Promise<FetchFailure>>();

/**
 * Names a port `fetch` refuses before connecting (the browsers' unsafe ports: 1, 7, 9, 6000,
 * ...): one TCP probe (once per host and port) tells a closed port, reported as connection
 * refused like any other, from a listening one the benchmark cannot use.
 */
function blockedPort(url: string): Promise<FetchFailure> {
  const { hostname, port } = new URL(url);
  const key = `${hostname}:${port}`;
  let probe = probes.get(key);
  if (probe === undefined) {
    probe = probePort(url, hostname.replace(/^\[|\]$/g, ""), Number(port));
    probes.set(key, probe);
  }
  return probe;
}

async function probePort(url: string, hostname: string, port: number): Promise<FetchFailure> {
  const blocked = `fetch refuses port ${port}, one of the ports browsers block as unsafe`;
  let outcome: "refused" | "open" | "unknown" = "unknown";
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const connecting = Deno.connect({ hostname, port });
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), 2000);
    });
    const conn = await Promise.race([connecting, timeout]);
    if (conn === undefined) connecting.then((c) => c.close(), () => {});
    else {
      conn.close();
      outcome = "open";
    }
  } catch (error) {
    if (error instanceof Deno.errors.ConnectionRefused) outcome = "refused";
  } finally {
    clearTimeout(timer);
  }
  if (outcome === "refused") {
    return {
      kind: "connection_refused",
      message: `connection refused: ${url} (nothing listens on port ${port}; ${blocked} ` +
        "anyway: serve on another port)",
    };
  }
  return {
    kind: "connection",
    message: `port blocked: ${url} (${blocked}` +
      (outcome === "open" ? "; a server listens there, but no request" : "; no request") +
      " can reach it: serve on another port)",
  };
}

/** Where a request stood when it threw: what {@linkcode failedRequest} needs to name it. */
export interface ThrownRequest {
  start: number;
  status: number | undefined;
  /** The run cancelled it (its outer signal aborted). */
  cancelled: boolean;
  /** Its own time-out fired. */
  timedOut: boolean;
  timeoutMs: number;
  url: string;
}

/**
 * The result of a request that threw, for every endpoint alike: cancelled by the run, timed out,
 * or a fetch failure named by its cause. The end time is taken before the cause is looked up
 * (that may probe the port).
 */
export async function failedRequest(error: unknown, at: ThrownRequest): Promise<EndpointResult> {
  const end = performance.now();
  const { start } = at;
  const kept = at.status === undefined ? {} : { status: at.status };
  if (at.cancelled) return { start, end, cancelled: true, error: "Cancelled", ...kept };
  if (at.timedOut) {
    const error = `Timed out after ${at.timeoutMs} ms`;
    return { start, end, error, errorKind: "timeout", ...kept };
  }
  const { kind, message } = await classifyFetchError(error, at.url);
  return { start, end, error: message, errorKind: kind, ...kept };
}
