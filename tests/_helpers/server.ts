/** Test HTTP servers on 127.0.0.1: static files, custom routes and a fake JSR. */

/** A route: fixed content, or a handler. */
export type Route = string | Uint8Array | ((request: Request) => Response | Promise<Response>);

const TYPES: Record<string, string> = {
  ".ts": "application/typescript",
  ".js": "application/javascript",
  ".yaml": "text/yaml",
  ".yml": "text/yaml",
  ".json": "application/json",
};

function contentType(path: string): string {
  const dot = path.lastIndexOf(".");
  return TYPES[path.slice(dot)] ?? "text/plain";
}

/** A running test server. */
export interface TestServer {
  /**
   * `http://127.0.0.1:<port>/<unique prefix>`: routes are served under the prefix (and without it),
   * so no two servers ever serve the same URL, even when a port comes back.
   */
  url: string;
  /** `http://127.0.0.1:<port>`, for rooted paths (`/x`), which are served without the prefix. */
  origin: string;
  /** Every path requested, in order, without the server's prefix. */
  requests: string[];
  /** Adds or replaces routes. */
  routes: Map<string, Route>;
  /** Stops the server. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

// Deno keys imported modules by URL for the life of a process and caches them on disk across
// processes (DENO_DIR), and `deno test --parallel` runs
// several test files in one process (each with its own module state): a server must never get a
// port an earlier server of the same process had, in any test file, or its modules would be the
// earlier ones. A port is claimed by creating a directory named after it in one directory per
// process: mkdir is atomic, and every test file of the process sees the same directory.
const claims = `${Deno.env.get("TMPDIR") ?? "/tmp"}/plugmap-test-ports-${Deno.pid}`;
Deno.mkdirSync(claims, { recursive: true });

function claim(port: number): boolean {
  try {
    Deno.mkdirSync(`${claims}/${port}`);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  }
}

function listenOnFreshPort(handler: Deno.ServeHandler): Deno.HttpServer<Deno.NetAddr> {
  for (let attempt = 0;; attempt++) {
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
    if (claim(server.addr.port) || attempt > 50) return server;
    server.shutdown();
  }
}

/**
 * Starts a server on 127.0.0.1 with a free port, serving `routes` (path -> content); a path with
 * no route goes to `fallback`, else 404.
 */
export function serve(
  routes: Record<string, Route> = {},
  fallback?: (request: Request) => Response | Promise<Response>,
): TestServer {
  const table = new Map(Object.entries(routes));
  const requests: string[] = [];
  // Every server's URLs are its own, whatever port it got: a module imported from an earlier
  // server on the same port, in this process or an earlier one, can never stand in for this one's.
  const prefix = `/s-${crypto.randomUUID().slice(0, 8)}`;
  const server = listenOnFreshPort(async (request) => {
    const full = new URL(request.url).pathname;
    const path = full.startsWith(`${prefix}/`) ? full.slice(prefix.length) : full;
    if (path !== full) {
      const url = new URL(request.url);
      url.pathname = path;
      request = new Request(url, request);
    }
    requests.push(path);
    const route = table.get(path);
    if (route === undefined) {
      return fallback ? await fallback(request) : new Response("not found", { status: 404 });
    }
    if (typeof route === "function") return await route(request);
    return new Response(route as BodyInit, { headers: { "content-type": contentType(path) } });
  });
  const close = async () => {
    await server.shutdown();
  };
  return {
    url: `http://127.0.0.1:${server.addr.port}${prefix}`,
    origin: `http://127.0.0.1:${server.addr.port}`,
    requests,
    routes: table,
    close,
    [Symbol.asyncDispose]: close,
  };
}

async function sha256(text: string | Uint8Array): Promise<string> {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  return `sha256-${Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** A package version for {@link fakeJsr}: its files and whether it is yanked. */
export interface FakeVersion {
  files: Record<string, string | Uint8Array>;
  yanked?: boolean;
  /** The version's `exports` (default `{".": "./mod.ts"}`). */
  exports?: Record<string, string>;
}

/**
 * Adds a fake JSR package to a server's routes, shaped like JSR's public API:
 * `/@scope/name/meta.json`, `/@scope/name/<v>_meta.json` (with checksums), and the files.
 */
export async function fakeJsr(
  server: TestServer,
  name: string,
  versions: Record<string, FakeVersion>,
): Promise<void> {
  const meta: Record<string, { yanked?: boolean }> = {};
  for (const [version, { files, yanked, exports }] of Object.entries(versions)) {
    meta[version] = yanked ? { yanked: true } : {};
    const manifest: Record<string, { size: number; checksum: string }> = {};
    for (const [path, text] of Object.entries(files)) {
      manifest[`/${path}`] = {
        size: typeof text === "string" ? new TextEncoder().encode(text).length : text.length,
        checksum: await sha256(text),
      };
      server.routes.set(`/${name}/${version}/${path}`, text);
    }
    server.routes.set(
      `/${name}/${version}_meta.json`,
      JSON.stringify({ manifest, exports: exports ?? { ".": "./mod.ts" } }),
    );
  }
  server.routes.set(
    `/${name}/meta.json`,
    JSON.stringify({
      scope: name.split("/")[0]!.slice(1),
      name: name.split("/")[1],
      versions: meta,
    }),
  );
}
