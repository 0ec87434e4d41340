import { deepEqual, equal, match, ok, rejects, throws } from "node:assert/strict";
import {
  ConfigError,
  createRegistry,
  formatDiagnostic,
  loadPluginMap,
  parsePluginMap,
  type RegistryOptions,
} from "../../mod.ts";
import { validateConfig } from "../../src/manifest/mod.ts";
import { resolvePluginSpecifier } from "../../src/sources/mod.ts";
import { serve } from "../_helpers/server.ts";

Deno.test("plugin maps: validation errors name the key", () => {
  throws(
    () => parsePluginMap({ good: "./a.yaml", bad: 5 }, { url: "file:///app/deno.json" }),
    (e: unknown) => {
      ok(e instanceof ConfigError);
      equal(e.issues[0]?.path, "plugins.bad");
      ok(e.message.startsWith('Cannot use config "file:///app/deno.json": "plugins.bad": '));
      return true;
    },
  );
  throws(() => parsePluginMap(["a"], { url: "file:///x.json" }), ConfigError);
  throws(
    () => parsePluginMap(JSON.parse('{"__proto__": "./x.yaml"}'), { url: "file:///x.json" }),
    ConfigError,
  );
});

Deno.test("plugin maps: specifiers resolve relative, absolute, and through imports", () => {
  const map = parsePluginMap({}, {
    url: "file:///app/config/deno.json",
    imports: {
      "@acme/hooks": "jsr:@acme/hooks@^1",
      "local/": "./vendor/",
      "https-pkg/": "https://example.com/pkgs/",
    },
  });
  equal(resolvePluginSpecifier("../p/registry.yaml", map).href, "file:///app/p/registry.yaml");
  equal(
    resolvePluginSpecifier("@acme/hooks/registry.yaml", map).href,
    "jsr:@acme/hooks@^1/registry.yaml",
  );
  equal(
    resolvePluginSpecifier("local/x/registry.yaml", map).href,
    "file:///app/config/vendor/x/registry.yaml",
  );
  equal(resolvePluginSpecifier("https-pkg/a.yaml", map).href, "https://example.com/pkgs/a.yaml");
  throws(() => resolvePluginSpecifier("unmapped/registry.yaml", map), /not mapped by "imports"/);
});

Deno.test("plugin maps: bare specifiers by import-map rules, scopes included", async () => {
  const url = "file:///app/config/deno.json";
  const map = parsePluginMap({}, {
    url,
    imports: {
      "hooks/": "./vendor/hooks/",
      "hooks/special/": "./special/",
      "@acme/pkg": "jsr:@acme/pkg@^1",
      "@acme/pkg/": "./acme-local/",
      "plain": "./plain.yaml",
      "noslash/": "./no-slash-target",
    },
    scopes: {
      "./": { "scoped/": "./from-scope/" },
      "/elsewhere/": { "hooks/": "./never/" },
    },
  });
  const resolve = (s: string) => resolvePluginSpecifier(s, map).href;
  equal(resolve("hooks/a/registry.yaml"), "file:///app/config/vendor/hooks/a/registry.yaml");
  equal(resolve("hooks/special/registry.yaml"), "file:///app/config/special/registry.yaml");
  equal(resolve("@acme/pkg"), "jsr:@acme/pkg@^1");
  // A "pkg/" key beats the package key it ties with; the package key alone maps subpaths.
  equal(resolve("@acme/pkg/registry.yaml"), "file:///app/config/acme-local/registry.yaml");
  equal(resolve("plain"), "file:///app/config/plain.yaml");
  equal(resolve("scoped/registry.yaml"), "file:///app/config/from-scope/registry.yaml");
  // Import-map rules: a key without "/" maps only itself (unless it names a jsr:/npm: package);
  // a "/" key whose target has no "/" maps nothing; a scope that does not cover the document is
  // not used.
  throws(() => resolve("plain/registry.yaml"), /not mapped by "imports"/);
  throws(() => resolve("noslash/registry.yaml"), /not mapped by "imports"/);
  const jsrOnly = parsePluginMap({}, { url, imports: { "@acme/pkg": "jsr:@acme/pkg@^1" } });
  equal(
    resolvePluginSpecifier("@acme/pkg/registry.yaml", jsrOnly).href,
    "jsr:@acme/pkg@^1/registry.yaml",
  );
  // Read from a document: "scopes" beside "imports".
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/deno.json`,
    JSON.stringify({
      imports: { "p/": "./top/" },
      scopes: { "./": { "p/": "./scoped/" } },
      plugins: { a: "p/registry.yaml" },
    }),
  );
  const loaded = await loadPluginMap(`${dir}/deno.json`);
  equal(
    resolvePluginSpecifier("p/registry.yaml", loaded).href,
    new URL(`file://${dir}/scoped/registry.yaml`).href,
  );
  throws(
    () => parsePluginMap({}, { url, scopes: { "./": { a: 1 } } }),
    (e: unknown) => e instanceof ConfigError && e.issues[0]?.path === "scopes../.a",
  );
});

Deno.test("plugin maps: an entry that cannot be resolved is a diagnostic at the map's entry", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/ok`);
  await Deno.writeTextFile(`${dir}/ok/m.ts`, "export default class M {}\n");
  await Deno.writeTextFile(
    `${dir}/ok/registry.yaml`,
    "plugin: {name: ok, version: 1.0.0}\nphase_hook:\n  fine: ./m.ts\n",
  );
  await Deno.writeTextFile(
    `${dir}/deno.json`,
    JSON.stringify({ plugins: { bare: "x/registry.yaml", ok: "./ok/registry.yaml" } }),
  );
  const registry = await createRegistry({
    host: { name: "app", version: "1.0.0" },
    categories: { phase_hook: { description: "Hooks" } },
    plugins: `${dir}/deno.json`,
  });
  equal(registry.factory("phase_hook").has("fine"), true);
  deepEqual(
    registry.diagnostics.map((d) => [d.code, d.plugin, d.url, d.path]),
    [["invalid_map", "bare", new URL(`file://${dir}/deno.json`).href, "plugins.bare"]],
  );
});

Deno.test("plugin map documents: YAML, JSONC, missing file, broken syntax", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/app.yaml`, "plugins:\n  a: ./a/registry.yaml\nother: 1\n");
  await Deno.writeTextFile(
    `${dir}/deno.jsonc`,
    '{\n  // comment\n  "plugins": { "b": "./b.yaml", },\n}\n',
  );
  await Deno.writeTextFile(`${dir}/broken.json`, "{ nope");
  deepEqual((await loadPluginMap(`${dir}/app.yaml`)).plugins, [{
    name: "a",
    specifier: "./a/registry.yaml",
  }]);
  deepEqual((await loadPluginMap(`${dir}/deno.jsonc`)).plugins, [{
    name: "b",
    specifier: "./b.yaml",
  }]);
  await rejects(
    loadPluginMap(`${dir}/none.json`),
    (e: unknown) => e instanceof ConfigError && e.message.includes("Cannot read"),
  );
  await rejects(
    loadPluginMap(`${dir}/broken.json`),
    (e: unknown) => e instanceof ConfigError && e.message.includes("Cannot parse"),
  );
});

Deno.test("configs: env fallbacks are typed, $${ escapes, lists from env, objects refused when wrong", () => {
  const env = (name: string) =>
    ({ TAGS: "a, b", ON: "yes", N: "x1" } as Record<string, string>)[name];
  const fields = {
    tags: { type: "list", required: false, env_var: "TAGS" },
    on: { type: "boolean", required: false, env_var: "ON" },
    literal: { type: "string", required: false },
    n: { type: "number", required: false, env_var: "N" },
  } as const;
  deepEqual(
    validateConfig({ tags: fields.tags, on: fields.on, literal: fields.literal }, {
      literal: "$${HOME}",
    }, { env }),
    {
      tags: ["a", "b"],
      on: true,
      literal: "${HOME}",
    },
  );
  throws(
    () => validateConfig(fields, {}, { env }),
    /"n": Expected number but received "x1" \(from \$N\)/,
  );
  throws(() => validateConfig(fields, [1], { env }), /Expected a mapping/);
});

Deno.test("plugin map documents: a nested plugins.map section, and the document's name and version", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/bench.yaml`,
    "plugins:\n  map:\n    slo: ./slo/registry.yaml\n  phase_hooks:\n    - name: slo_gate\n",
  );
  await Deno.writeTextFile(
    `${dir}/deno.json`,
    JSON.stringify({ name: "@me/app", version: "2.1.0", plugins: { map: "./map/registry.yaml" } }),
  );
  deepEqual((await loadPluginMap(`${dir}/bench.yaml`)).plugins, [{
    name: "slo",
    specifier: "./slo/registry.yaml",
  }]);
  const app = await loadPluginMap(`${dir}/deno.json`);
  deepEqual(
    app.plugins,
    [{ name: "map", specifier: "./map/registry.yaml" }],
    "a plugin named map is still a plugin",
  );
  equal(app.name, "@me/app");
  equal(app.version, "2.1.0");
});

Deno.test("plugin map documents: paths with '#', '%' and spaces are paths, not URL syntax", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap # 100% " });
  await Deno.writeTextFile(
    `${dir}/app.json`,
    JSON.stringify({ plugins: { a: "./a/registry.yaml" } }),
  );
  const map = await loadPluginMap(`${dir}/app.json`);
  equal(decodeURIComponent(new URL(map.url).pathname), `${dir}/app.json`);
  deepEqual(map.plugins, [{ name: "a", specifier: "./a/registry.yaml" }]);
});

Deno.test("plugin maps: a deno.json with comments and trailing commas, strings untouched", async () => {
  const dir = await Deno.makeTempDir();
  const text = `{
  // The project's tasks and imports, as Deno reads them.
  "name": "@acme/app", /* a block comment */
  "imports": { "@acme/hooks": "jsr:@acme/hooks@^1", },
  "plugins": {
    "slashes": "https://example.com//two//slashes,}/registry.yaml",
    "star": "./a /* not a comment */ b.yaml",
    "comma": "./x,].yaml", // a trailing comma next:
  },
}
`;
  for (const name of ["deno.json", "deno.jsonc", "app.json"]) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
    const map = await loadPluginMap(`${dir}/${name}`);
    deepEqual(map.plugins.map((p) => p.specifier), [
      "https://example.com//two//slashes,}/registry.yaml",
      "./a /* not a comment */ b.yaml",
      "./x,].yaml",
    ]);
    equal(map.imports["@acme/hooks"], "jsr:@acme/hooks@^1");
    equal(map.name, "@acme/app");
  }
});

Deno.test("plugin maps: JSONC errors have a line and column; prototype keys stay keys", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/deno.json`, `{\n  // ok so far\n  "plugins": { "a": },\n}\n`);
  await rejects(loadPluginMap(`${dir}/deno.json`), (e: unknown) => {
    ok(e instanceof ConfigError);
    equal(e.issues[0]?.line, 3);
    equal(e.issues[0]?.column, 21);
    match(e.message, /line 3, column 21: Cannot parse: value expected/);
    return true;
  });
  await Deno.writeTextFile(
    `${dir}/deno.json`,
    `{ "plugins": { "__proto__": { "polluted": 1 }, }, }`,
  );
  await rejects(
    loadPluginMap(`${dir}/deno.json`),
    (e: unknown) => e instanceof ConfigError && e.issues[0]?.path === "plugins.__proto__",
  );
  equal(({} as Record<string, unknown>).polluted, undefined);
});

Deno.test("plugin maps: a YAML map is parsed under the manifest YAML limits", async () => {
  const dir = await Deno.makeTempDir();
  const bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 8; i++) {
    bomb.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
  }
  await Deno.writeTextFile(`${dir}/app.yaml`, bomb.join("\n") + "\nplugins: {}\n");
  await rejects(
    loadPluginMap(`${dir}/app.yaml`),
    (e: unknown) => e instanceof ConfigError && /Cannot parse: .*(node|alias)/i.test(e.message),
  );
});

Deno.test("plugin maps: a remote map goes through the manifest source rules", async () => {
  await using server = serve({
    "/app.json": JSON.stringify({ plugins: { a: "./a/registry.yaml" } }),
    "/moved.json": () =>
      new Response(null, { status: 302, headers: { location: "file:///etc/passwd" } }),
    "/big.json": `{"plugins": {}, "pad": "${"x".repeat(2048)}"}`,
  });
  const map = await loadPluginMap(`${server.url}/app.json`);
  equal(map.url, `${server.url}/app.json`);
  equal(
    resolvePluginSpecifier("./a/registry.yaml", map).href,
    `${server.url}/a/registry.yaml`,
  );
  const refused = async (url: string, pattern: RegExp, limits = {}) =>
    await rejects(loadPluginMap(url, { limits: { source: limits } }), (e: unknown) => {
      ok(e instanceof ConfigError, String(e));
      match(e.message, pattern);
      return true;
    });
  await refused(`${server.url}/missing.json`, /Cannot read: .*404/);
  await refused(`${server.url}/moved.json`, /Cannot read: .*redirect/i);
  await refused(`${server.url}/big.json`, /Cannot read: .*over the limit/, { maxBytes: 1024 });
  await refused("http://example.com/app.json", /Cannot read: .*loopback/);
});

Deno.test("createRegistry: options are checked at run time, for JavaScript hosts", async () => {
  const call = (options: unknown) => createRegistry(options as RegistryOptions);
  await rejects(call({ host: { name: "app", version: "1.0.0" } }), (e: unknown) => {
    ok(e instanceof TypeError);
    match(e.message, /^Cannot create registry: "categories" must be an object .* or "declared"/);
    return true;
  });
  await rejects(call(undefined), /Cannot create registry: expected an options object/);
  // What was received, said once and for any JavaScript value (a bigint cannot be JSON).
  await rejects(call({ categories: "declared" }), (e: unknown) => {
    ok(e instanceof TypeError);
    match(e.message, /"host" must be an object \{ name, version \} but received undefined$/);
    return true;
  });
  await rejects(
    call({ host: { name: 1n, version: Symbol("v") }, categories: "declared", builtins: () => 0 }),
    (e: unknown) => {
      ok(e instanceof TypeError);
      match(e.message, /"host.name" must be a non-empty string but received bigint 1n/);
      match(e.message, /"host.version" must be a semver string but received symbol/);
      match(e.message, /"builtins" must be a path or URL but received a function/);
      return true;
    },
  );
  await rejects(
    call({ host: "app", categories: { a: { description: "A", instance: {} } }, stict: true }),
    (e: unknown) => {
      ok(e instanceof TypeError);
      match(e.message, /"host" must be an object/);
      match(e.message, /"categories.a.instance" must be a Standard Schema/);
      match(e.message, /unknown option "stict"/);
      return true;
    },
  );
});

Deno.test("plugin map documents: problems at an entry point at its line and column (YAML, JSON, JSONC)", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/ok`);
  await Deno.writeTextFile(`${dir}/ok/registry.yaml`, "phase_hook:\n  fine: ./m.ts\n");
  await Deno.writeTextFile(`${dir}/builtins.yaml`, "phase_hook:\n  own: ./own.ts\n");
  const documents = {
    // The unresolvable bare specifier of "bare" and the host's own name "app" as a plugin.
    "map.yaml": "# plugins\nplugins:\n  ok: ./ok/registry.yaml\n  bare:   x/registry.yaml\n" +
      "  app: ./ok/registry.yaml\n",
    "bench.yml": "plugins:\n  map:\n    ok: ./ok/registry.yaml\n    bare: x/registry.yaml\n" +
      "    app: ./ok/registry.yaml\n  phase_hooks: []\n",
    "deno.json":
      '{\n  "plugins": {\n    "ok": "./ok/registry.yaml",\n    "bare": "x/registry.yaml",\n' +
      '    "app": "./ok/registry.yaml"\n  }\n}\n',
    "deno.jsonc":
      '{\n  // a comment\n  "plugins": { "ok": "./ok/registry.yaml", "bare": "x/registry.yaml",\n' +
      '    "app": "./ok/registry.yaml", },\n}\n',
  };
  const expected: Record<string, [number, number, number, number]> = {
    "map.yaml": [4, 11, 5, 8],
    "bench.yml": [4, 11, 5, 10],
    "deno.json": [4, 13, 5, 12],
    "deno.jsonc": [3, 52, 4, 12],
  };
  for (const [file, text] of Object.entries(documents)) {
    await Deno.writeTextFile(`${dir}/${file}`, text);
    const registry = await createRegistry({
      host: { name: "app", version: "1.0.0" },
      categories: { phase_hook: { description: "Hooks" } },
      builtins: `${dir}/builtins.yaml`,
      plugins: `${dir}/${file}`,
      snapshot: false,
    });
    equal(registry.factory("phase_hook").has("fine"), true, file);
    const url = new URL(`file://${dir}/${file}`).href;
    const [bareLine, bareColumn, appLine, appColumn] = expected[file]!;
    deepEqual(
      registry.diagnostics.map((d) => [d.code, d.path, d.line, d.column]),
      [
        ["invalid_map", "plugins.bare", bareLine, bareColumn],
        ["duplicate_plugin", "plugins.app", appLine, appColumn],
      ],
      file,
    );
    match(
      formatDiagnostic(registry.diagnostics[0]!),
      new RegExp(`^${url}:${bareLine}:${bareColumn}: error: plugins\\.bare: .* \\[invalid_map\\]$`),
    );
  }
});

Deno.test("plugin map documents: an invalid entry is a ConfigError at its line and column", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/map.yaml`, "plugins:\n  good: ./a.yaml\n  bad: 5\n");
  await Deno.writeTextFile(
    `${dir}/deno.json`,
    '{\n  "imports": {"x/": 1},\n  "plugins": {\n    "good": "./a.yaml",\n    "bad": 5\n  }\n}\n',
  );
  await Deno.writeTextFile(
    `${dir}/scoped.jsonc`,
    '{"scopes": {"https://a.example/": {"y.z": 2}},\n "plugins": {"c": "./c.yaml"},}\n',
  );
  await Deno.writeTextFile(`${dir}/reserved.yaml`, "plugins:\n  constructor: ./c.yaml\n");
  const issues = async (file: string) => {
    const error = await loadPluginMap(`${dir}/${file}`).then(() => undefined, (e) => e);
    ok(error instanceof ConfigError, file);
    return error.issues.map((i) => [i.path, i.line, i.column]);
  };
  deepEqual(await issues("map.yaml"), [["plugins.bad", 3, 8]]);
  deepEqual(await issues("deno.json"), [["plugins.bad", 5, 12], ["imports.x/", 2, 21]]);
  deepEqual(await issues("scoped.jsonc"), [["scopes.https://a.example/.y.z", 1, 43]]);
  deepEqual(await issues("reserved.yaml"), [["plugins.constructor", 2, 16]]);
});
