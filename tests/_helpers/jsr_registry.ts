/**
 * A JSR-like registry on 127.0.0.1 that takes a real `deno publish --token <any>` (with `JSR_URL`
 * pointing at it) and then serves what was published the way JSR's public API does, so that
 * `deno add jsr:…`, `import "jsr:…"` and `deno run jsr:…` work against it.
 *
 * The publish side, as Deno's CLI (2.x) drives it:
 * - `GET /api/scopes/S/packages/P/versions/V`: 404 means "not published yet";
 * - `GET /api/scopes/S/packages/P`: 200 means the package exists (else Deno asks you to create it);
 * - `POST /api/scopes/S/packages/P/versions/V?config=/deno.json` with the package as a gzipped tar
 *   and `Authorization: Bearer <token>`; answers a publishing task `{id, status}`;
 * - `GET /api/publish_status/ID`: the task, polled until `status` is `success` or `failure`.
 * Provenance (Sigstore attestations) is only sent from GitHub Actions with OIDC; a `--token`
 * publish elsewhere sends none, so none is faked here.
 */
import { fakeJsr, type FakeVersion, serve, type TestServer } from "./server.ts";

/** A running fake JSR. */
export interface JsrRegistry extends TestServer {
  /** Published files per `@scope/name@version`, paths without the leading slash. */
  published: Map<string, Record<string, Uint8Array>>;
  /** The bearer tokens publishes were made with. */
  tokens: string[];
}

/** Reads a (ustar or pax) tar archive into path -> bytes; directories are skipped. */
export function readTar(tar: Uint8Array): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const text = (from: number, length: number) =>
    new TextDecoder().decode(tar.subarray(from, from + length)).replace(/\0.*$/s, "");
  let paxPath: string | undefined;
  for (let at = 0; at + 512 <= tar.length;) {
    const name = text(at, 100);
    if (name === "") break;
    const size = parseInt(text(at + 124, 12).trim() || "0", 8);
    const type = text(at + 156, 1);
    const prefix = text(at + 257, 6) === "ustar" ? text(at + 345, 155) : "";
    const body = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === "x") {
      paxPath = /\d+ path=([^\n]*)\n/.exec(new TextDecoder().decode(body))?.[1];
      continue;
    }
    const path = paxPath ?? (prefix ? `${prefix}/${name}` : name);
    paxPath = undefined;
    if (type === "0" || type === "" || type === "\0") {
      files[path.replace(/^\/+/, "")] = body.slice();
    }
  }
  return files;
}

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** Starts a fake JSR on 127.0.0.1 that accepts `deno publish` for any `@scope/name`. */
export function jsrRegistry(): JsrRegistry {
  const server: TestServer = serve({}, (request) => handler(request));
  const published = new Map<string, Record<string, Uint8Array>>();
  const tokens: string[] = [];
  const versions = new Map<string, Record<string, FakeVersion>>();
  const tasks = new Map<string, { id: string; status: string }>();
  const api = /^\/api\/scopes\/([^/]+)\/packages\/([^/]+)(?:\/versions\/([^/]+))?$/;
  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const status = /^\/api\/publish_status\/([^/]+)$/.exec(url.pathname);
    if (status) {
      const task = tasks.get(status[1]!);
      return task ? json(task) : json({ code: "publishingTaskNotFound", message: "no task" }, 404);
    }
    const match = api.exec(url.pathname);
    if (!match) return json({ code: "notFound", message: "not found" }, 404);
    const [, scope, name, version] = match;
    const pkg = `@${scope}/${name}`;
    if (version === undefined) {
      return json({ scope, name, description: "", githubRepository: null, runtimeCompat: {} });
    }
    if (request.method === "GET") {
      return versions.get(pkg)?.[version]
        ? json({ scope, package: name, version })
        : json({ code: "packageVersionNotFound", message: "not found" }, 404);
    }
    if (request.method !== "POST") return json({ code: "methodNotAllowed", message: "" }, 405);
    const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
    if (!token) return json({ code: "missingAuthentication", message: "no token" }, 401);
    tokens.push(token);
    const files = readTar(await gunzip(new Uint8Array(await request.arrayBuffer())));
    published.set(`${pkg}@${version}`, files);
    const all = versions.get(pkg) ?? {};
    // The exports, as JSR takes them: from the config file the CLI names (`?config=/deno.json`).
    const configPath = (url.searchParams.get("config") ?? "/deno.json").replace(/^\/+/, "");
    const config = files[configPath] ? JSON.parse(new TextDecoder().decode(files[configPath])) : {};
    const exports = typeof config.exports === "string"
      ? { ".": config.exports }
      : (config.exports ?? {});
    all[version] = { files, exports };
    versions.set(pkg, all);
    await fakeJsr(server, pkg, all);
    const id = crypto.randomUUID();
    const task = {
      id,
      status: "success",
      packageScope: scope,
      packageName: name,
      packageVersion: version,
    };
    tasks.set(id, task);
    return json({ ...task, status: "pending" });
  };
  return { ...server, published, tokens };
}
