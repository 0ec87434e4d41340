/**
 * Hostile input, through the public API: every attack ends in a typed error or diagnostic,
 * quickly, and the registry keeps serving the other plugins.
 */
import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import {
  ConfigError,
  createRegistry,
  type Diagnostic,
  ManifestSyntaxError,
  ManifestValidationError,
  parsePluginMap,
  type Registry,
  type RegistryOptions,
  SourceError,
} from "../../mod.ts";
import { parseManifest, validateConfig } from "../../src/manifest/mod.ts";
import { loadSource, resolvePluginSpecifier } from "../../src/sources/mod.ts";
import { tree } from "../_helpers/fixtures.ts";
import { serve, type TestServer } from "../_helpers/server.ts";

const categories: RegistryOptions["categories"] = {
  phase_hook: { description: "Phase lifecycle hooks" },
};

const GOOD_MANIFEST = "plugin: {name: good, version: 1.0.0}\nphase_hook:\n  ok: ./ok.ts#Ok\n";
const GOOD_MODULE = "export class Ok { ok = true; }\n";

const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

/** Object.prototype has no new keys and `{}` sees nothing planted on it. */
function assertNoPollution(): void {
  deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), PROTO_KEYS);
  const probe = {} as Record<string, unknown>;
  equal(probe.polluted, undefined);
  equal(probe.isAdmin, undefined);
}

/**
 * Discovers a map holding a good plugin and the hostile `bad` one, proves the good one still
 * creates, and returns the diagnostics of `bad`.
 */
async function discoverBeside(
  bad: string,
  files: Record<string, string> = {},
  limits: RegistryOptions["limits"] = {},
): Promise<{ registry: Registry; diagnostics: Diagnostic[]; dir: string }> {
  const t = await tree({
    "good/ok.ts": GOOD_MODULE,
    "good/registry.yaml": GOOD_MANIFEST,
    ...files,
  });
  const registry = await createRegistry({
    host: { name: "host", version: "1.0.0" },
    categories,
    plugins: parsePluginMap({ good: "./good/registry.yaml", bad }, { url: t.url("app.json") }),
    limits,
  });
  const instance = await registry.factory<{ ok: boolean }>("phase_hook").create("ok");
  equal(instance.ok, true, "the good plugin is still served");
  equal(registry.plugin("good")?.status, "ok");
  equal(registry.plugin("bad")?.status, "broken");
  return {
    registry,
    diagnostics: registry.diagnostics.filter((d) => d.plugin === "bad"),
    dir: t.dir,
  };
}

function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}

function sourceError(code: string) {
  return (error: unknown) => {
    ok(error instanceof SourceError, `expected a SourceError, got ${error}`);
    equal(error.code, code, error.message);
    return true;
  };
}

// --- YAML bombs --------------------------------------------------------------------------

const BILLION_LAUGHS = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`;

Deno.test("alias bomb (billion laughs) is refused quickly as yaml_limit", async () => {
  const started = performance.now();
  throws(() => parseManifest(BILLION_LAUGHS, { url: "file:///bomb.yaml" }), (error: unknown) => {
    ok(error instanceof ManifestSyntaxError);
    equal(error.code, "yaml_limit");
    return true;
  });
  // Many aliases trip the alias count before any expansion.
  const many = `x: &x [1]\ny: [${Array.from({ length: 500 }, () => "*x").join(",")}]\n`;
  throws(() => parseManifest(many), (error: unknown) => {
    ok(error instanceof ManifestSyntaxError);
    equal(error.code, "yaml_limit");
    return true;
  });
  ok(performance.now() - started < 1_000, "refused in well under a second");

  const { diagnostics } = await discoverBeside("./bad/registry.yaml", {
    "bad/registry.yaml": BILLION_LAUGHS,
  });
  deepEqual(codes(diagnostics), ["yaml_limit"]);
});

Deno.test("deep nesting is refused as yaml_limit, in flow and block style", async () => {
  const flow = `phase_hook: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`;
  let block = "";
  for (let i = 0; i < 500; i++) block += `${" ".repeat(i)}k${i}:\n`;
  for (const text of [flow, block]) {
    throws(() => parseManifest(text), (error: unknown) => {
      ok(error instanceof ManifestSyntaxError, String(error));
      equal(error.code, "yaml_limit");
      return true;
    });
  }
  const { diagnostics } = await discoverBeside("./bad/registry.yaml", {
    "bad/registry.yaml": flow,
  });
  deepEqual(codes(diagnostics), ["yaml_limit"]);
});

// --- Size, bytes, encoding ---------------------------------------------------------------

Deno.test("a 50 MiB manifest file is refused as too_large; so is an endless one", async () => {
  const t = await tree({});
  const path = `${t.dir}/huge.yaml`;
  const file = await Deno.open(path, { create: true, write: true });
  await file.truncate(50 * 1024 * 1024);
  file.close();
  await rejects(loadSource(new URL(`file://${path}`)), sourceError("too_large"));
  // /dev/zero never ends: refusing it proves the reader stops at the limit.
  await rejects(loadSource(new URL("file:///dev/zero")), sourceError("too_large"));
  const { diagnostics } = await discoverBeside(`file://${path}`);
  deepEqual(codes(diagnostics), ["too_large"]);
});

Deno.test("a 50 MiB manifest over HTTP is refused without being read whole", async () => {
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  const total = 50 * 1024 * 1024;
  let sent = 0;
  const streamed = () => {
    let offset = 0;
    return new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (offset >= total) return controller.close();
          offset += chunk.length;
          sent += chunk.length;
          controller.enqueue(chunk);
        },
      }),
    );
  };
  await using server = serve({
    // No content-length: the reader must count.
    "/streamed.yaml": streamed,
    // A declared length over the limit is refused before the body.
    "/declared.yaml": () =>
      new Response(new Uint8Array(2 * 1024 * 1024), {
        headers: { "content-length": String(2 * 1024 * 1024) },
      }),
  });
  await rejects(loadSource(new URL(`${server.url}/streamed.yaml`)), sourceError("too_large"));
  ok(sent < 8 * 1024 * 1024, `read ${sent} bytes of 50 MiB`);
  await rejects(loadSource(new URL(`${server.url}/declared.yaml`)), sourceError("too_large"));
  const { diagnostics } = await discoverBeside(`${server.url}/streamed.yaml`);
  deepEqual(codes(diagnostics), ["too_large"]);
});

Deno.test("binary garbage is refused as not_text, from a file and over HTTP", async () => {
  const garbage = new Uint8Array(4096);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 0x80) & 0xff;
  garbage[0] = 0xff;
  garbage[1] = 0xfe;
  garbage[2] = 0xc3;
  const t = await tree({});
  await Deno.writeFile(`${t.dir}/garbage.yaml`, garbage);
  await rejects(loadSource(new URL(`file://${t.dir}/garbage.yaml`)), sourceError("not_text"));
  await using server = serve({ "/garbage.yaml": garbage });
  await rejects(loadSource(new URL(`${server.url}/garbage.yaml`)), sourceError("not_text"));
  const { diagnostics } = await discoverBeside(`${server.url}/garbage.yaml`);
  deepEqual(codes(diagnostics), ["not_text"]);
});

Deno.test("a byte-order mark is accepted, from a file and over HTTP", async () => {
  const text = "\uFEFFplugin: {name: bom, version: 1.0.0}\nphase_hook:\n  bom: ./ok.ts#Ok\n";
  equal(parseManifest(text).plugin.name, "bom");
  const t = await tree({ "bom/registry.yaml": text, "bom/ok.ts": GOOD_MODULE });
  const local = await loadSource(new URL(t.url("bom/registry.yaml")));
  ok(local.text.startsWith("plugin:"));
  await using server = serve({ "/registry.yaml": text });
  const remote = await loadSource(new URL(`${server.url}/registry.yaml`));
  ok(remote.text.startsWith("plugin:"));
  const registry = await createRegistry({
    host: { name: "host", version: "1.0.0" },
    categories,
    plugins: parsePluginMap({ bom: "./bom/registry.yaml" }, { url: t.url("app.json") }),
  });
  deepEqual(registry.diagnostics, []);
  equal((await registry.factory<{ ok: boolean }>("phase_hook").create("bom")).ok, true);
});

Deno.test("duplicate keys are yaml_syntax with a line", async () => {
  const text = "phase_hook:\n  a: ./a.ts\n  a: ./b.ts\n";
  throws(() => parseManifest(text), (error: unknown) => {
    ok(error instanceof ManifestSyntaxError);
    equal(error.code, "yaml_syntax");
    equal(error.line, 3);
    return true;
  });
  const { diagnostics } = await discoverBeside("./bad/registry.yaml", {
    "bad/registry.yaml": text,
  });
  deepEqual(codes(diagnostics), ["yaml_syntax"]);
  equal(diagnostics[0]?.line, 3);
});

// --- Prototype keys ----------------------------------------------------------------------

Deno.test("__proto__ and constructor keys in manifests are refused and pollute nothing", async () => {
  const manifests = [
    "__proto__: {polluted: yes}\nphase_hook:\n  a: ./a.ts\n",
    "constructor: {a: ./a.ts}\n",
    "prototype: {a: ./a.ts}\n",
    "phase_hook:\n  __proto__: ./a.ts\n",
    "phase_hook:\n  constructor: {class: ./a.ts}\n",
    "phase_hook:\n  a: {class: ./a.ts, __proto__: {isAdmin: true}}\n",
    "phase_hook:\n  a: {class: ./a.ts, config_schema: {__proto__: {type: string}}}\n",
    "phase_hook:\n  a: {class: ./a.ts, config_schema: {constructor: {type: string}}}\n",
    "plugin: {name: x, __proto__: {polluted: 1}}\n",
    "plugin: {name: x, requires: {__proto__: '>=1'}}\n",
    '{"__proto__": {"polluted": true}, "phase_hook": {"a": "./a.ts"}}\n',
  ];
  manifests.push(
    "phase_hook:\n  a: {class: ./a.ts, metadata: {__proto__: {polluted: yes}, constructor: 1}}\n",
  );
  for (const text of manifests) {
    throws(() => parseManifest(text), (error: unknown) => {
      ok(error instanceof ManifestValidationError, `${JSON.stringify(text)}: ${error}`);
      ok(/Reserved|reserved/.test(error.message), error.message);
      return true;
    }, text);
    assertNoPollution();
  }

  for (const [i, text] of manifests.entries()) {
    const t = await tree({ "good/ok.ts": GOOD_MODULE, "good/registry.yaml": GOOD_MANIFEST });
    await Deno.writeTextFile(`${t.dir}/bad.yaml`, text);
    const registry = await createRegistry({
      host: { name: "host", version: "1.0.0" },
      categories,
      plugins: parsePluginMap({ good: "./good/registry.yaml", bad: "./bad.yaml" }, {
        url: t.url("app.json"),
      }),
    });
    equal((await registry.factory<{ ok: boolean }>("phase_hook").create("ok")).ok, true);
    for (const name of ["__proto__", "constructor", "prototype"]) {
      equal(registry.factory("phase_hook").has(name), false, `${i}: ${name}`);
    }
    const diagnostics = registry.diagnostics.filter((d) => d.plugin === "bad");
    ok(diagnostics.length > 0 && diagnostics.every((d) => d.code === "schema_invalid"), text);
    assertNoPollution();
  }
});

Deno.test("__proto__ and constructor keys in configs are refused or harmless", () => {
  const fields = {
    name: { type: "string", required: false },
    options: { type: "object", required: false },
  } as const;
  const hostile = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"isAdmin": 1}}');
  throws(() => validateConfig(fields, hostile, { env: () => undefined }), (error: unknown) => {
    ok(error instanceof ConfigError);
    deepEqual(error.issues.map((i) => i.path).sort(), ["__proto__", "constructor"]);
    return true;
  });
  assertNoPollution();
  // Nested in an object field it is carried as data, never as a prototype.
  const config = validateConfig(
    fields,
    JSON.parse('{"options": {"__proto__": {"polluted": "${X}"}, "constructor": 1}}'),
    { env: (name) => (name === "X" ? "yes" : undefined) },
  );
  const options = config.options as Record<string, unknown>;
  equal(Object.getPrototypeOf(options), Object.prototype);
  equal(Object.hasOwn(options, "__proto__"), true);
  deepEqual(Object.getOwnPropertyDescriptor(options, "__proto__")?.value, { polluted: "yes" });
  assertNoPollution();
  // The plugin map: a reserved plugin name is refused; a reserved "imports" key is inert.
  for (const value of [JSON.parse('{"__proto__": "./x.yaml"}'), { constructor: "./x.yaml" }]) {
    throws(() => parsePluginMap(value, { url: "file:///app.json" }), ConfigError);
    assertNoPollution();
  }
  const map = parsePluginMap({ x: "selfy/registry.yaml" }, {
    url: "file:///app.json",
    imports: JSON.parse('{"__proto__": {"polluted": "x"}, "constructor": "./evil/"}'),
  });
  equal(Object.getPrototypeOf(map.imports), Object.prototype);
  throws(() => resolvePluginSpecifier("constructor/registry.yaml", map), ConfigError);
  assertNoPollution();
});

// --- Servers that misbehave --------------------------------------------------------------

Deno.test("redirect loops end in a redirect error", async () => {
  await using server = serve({
    "/loop.yaml": () => new Response(null, { status: 302, headers: { location: "/loop.yaml" } }),
    "/ping.yaml": () => new Response(null, { status: 301, headers: { location: "/pong.yaml" } }),
    "/pong.yaml": () => new Response(null, { status: 307, headers: { location: "/ping.yaml" } }),
  });
  await rejects(loadSource(new URL(`${server.url}/loop.yaml`)), sourceError("redirect"));
  await rejects(loadSource(new URL(`${server.url}/ping.yaml`)), sourceError("redirect"));
  const before = server.requests.length;
  const { diagnostics } = await discoverBeside(`${server.url}/ping.yaml`);
  deepEqual(codes(diagnostics), ["redirect"]);
  ok(server.requests.length - before <= 6, "at most maxRedirects + 1 requests");
});

/** A server whose `/slow.yaml` sends one byte every 50 ms, forever (until cancelled). */
function slowServer(): TestServer {
  return serve({
    "/slow.yaml": () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      return new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            return new Promise((resolve) => {
              timer = setTimeout(() => {
                controller.enqueue(new TextEncoder().encode("#"));
                resolve();
              }, 50);
            });
          },
          cancel() {
            clearTimeout(timer);
          },
        }),
        { headers: { "content-type": "text/yaml" } },
      );
    },
  });
}

Deno.test("a server that sends slowly forever times out", async () => {
  await using server = slowServer();
  const started = performance.now();
  await rejects(
    loadSource(new URL(`${server.url}/slow.yaml`), { limits: { timeoutMs: 300 } }),
    sourceError("timeout"),
  );
  ok(performance.now() - started < 2_000, "the time-out covers the whole body");
  const { diagnostics } = await discoverBeside(`${server.url}/slow.yaml`, {}, {
    source: { timeoutMs: 300 },
  });
  deepEqual(codes(diagnostics), ["timeout"]);
});

Deno.test("a server that closes mid-body is a network error", async () => {
  await using server = serve({
    "/cut.yaml": () => {
      let sent = false;
      return new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent) return controller.error(new Error("connection cut"));
            sent = true;
            controller.enqueue(new TextEncoder().encode("phase_hook:\n  a: ./a"));
          },
        }),
        { headers: { "content-length": "10000" } },
      );
    },
  });
  await rejects(loadSource(new URL(`${server.url}/cut.yaml`)), sourceError("network"));
  const { diagnostics } = await discoverBeside(`${server.url}/cut.yaml`);
  deepEqual(codes(diagnostics), ["network"]);
});

Deno.test("404 is not_found and 500 is http_error", async () => {
  await using server = serve({
    "/boom.yaml": () => new Response("internal", { status: 500 }),
  });
  await rejects(loadSource(new URL(`${server.url}/missing.yaml`)), sourceError("not_found"));
  await rejects(loadSource(new URL(`${server.url}/boom.yaml`)), sourceError("http_error"));
  const missing = await discoverBeside(`${server.url}/missing.yaml`);
  deepEqual(codes(missing.diagnostics), ["not_found"]);
  const boom = await discoverBeside(`${server.url}/boom.yaml`);
  deepEqual(codes(boom.diagnostics), ["http_error"]);
  ok(boom.diagnostics[0]?.message.includes("500"));
});

Deno.test("a redirect to file: is refused", async () => {
  const t = await tree({ "secret.yaml": "phase_hook:\n  leak: ./leak.ts\n" });
  await using server = serve({
    "/registry.yaml": () =>
      new Response(null, { status: 302, headers: { location: t.url("secret.yaml") } }),
  });
  await rejects(loadSource(new URL(`${server.url}/registry.yaml`)), sourceError("redirect"));
  const { registry, diagnostics } = await discoverBeside(`${server.url}/registry.yaml`);
  deepEqual(codes(diagnostics), ["redirect"]);
  equal(registry.factory("phase_hook").has("leak"), false);
});

Deno.test("plain http to a non-loopback host is refused before any connection", async () => {
  const realFetch = globalThis.fetch;
  const calls: string[] = [];
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    calls.push(String(input instanceof Request ? input.url : input));
    return realFetch(input, init);
  }) as typeof fetch;
  try {
    for (const url of ["http://example.com/registry.yaml", "http://10.0.0.1/registry.yaml"]) {
      await rejects(loadSource(new URL(url)), sourceError("insecure_url"));
    }
    const { diagnostics } = await discoverBeside("http://example.com/registry.yaml");
    deepEqual(codes(diagnostics), ["insecure_url"]);
    deepEqual(calls, [], "fetch was never called");
  } finally {
    globalThis.fetch = realFetch;
  }
});

Deno.test("a remote manifest whose class points at file: is insecure_class", async () => {
  const t = await tree({ "local.ts": GOOD_MODULE });
  await using server = serve({
    "/registry.yaml": `plugin: {name: remote, version: 1.0.0}
phase_hook:
  steal: ${t.url("local.ts")}#Ok
  abs: /etc/passwd.ts
  fine: ./fine.ts#Fine
`,
    "/fine.ts": "export class Fine { fine = true; }\n",
  });
  const t2 = await tree({ "good/ok.ts": GOOD_MODULE, "good/registry.yaml": GOOD_MANIFEST });
  const registry = await createRegistry({
    host: { name: "host", version: "1.0.0" },
    categories,
    plugins: parsePluginMap(
      { good: "./good/registry.yaml", remote: `${server.url}/registry.yaml` },
      { url: t2.url("app.json") },
    ),
  });
  const diagnostics = registry.diagnostics.filter((d) => d.plugin === "remote");
  deepEqual(codes(diagnostics), ["insecure_class"]);
  equal(diagnostics[0]?.path, "phase_hook.steal.class");
  equal(diagnostics[0]?.line, 3);
  const hooks = registry.factory<{ ok?: boolean; fine?: boolean }>("phase_hook");
  equal(hooks.has("steal"), false);
  await rejects(hooks.create("steal"));
  equal((await hooks.create("ok")).ok, true);
  // The same manifest's other, safe implementation is still served (loopback http import).
  equal(hooks.describe("fine").module, `${server.url}/fine.ts`);
  // A rooted path stays on the manifest's own server.
  equal(hooks.describe("abs").module, `${server.origin}/etc/passwd.ts`);
});

Deno.test("a plugin map that maps a name to itself through imports is invalid_map", async () => {
  const t = await tree({ "good/ok.ts": GOOD_MODULE, "good/registry.yaml": GOOD_MANIFEST });
  for (
    const imports of [{ selfy: "selfy" }, { "selfy/": "selfy/" }, {
      selfy: "other",
      other: "selfy",
    }]
  ) {
    const registry = await createRegistry({
      host: { name: "host", version: "1.0.0" },
      categories,
      plugins: parsePluginMap(
        { good: "./good/registry.yaml", bad: "selfy/registry.yaml", bad2: "selfy" },
        { url: t.url("app.json"), imports },
      ),
    });
    const bad = registry.diagnostics.filter((d) => d.plugin.startsWith("bad"));
    ok(bad.length >= 1, JSON.stringify(imports));
    ok(bad.every((d) => d.code === "invalid_map"), JSON.stringify(bad));
    equal((await registry.factory<{ ok: boolean }>("phase_hook").create("ok")).ok, true);
  }
});
