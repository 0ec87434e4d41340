import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { ConfigError, loadPluginMap, parsePluginMap } from "../../mod.ts";
import { validateConfig } from "../../src/manifest/mod.ts";
import { resolvePluginSpecifier } from "../../src/sources/mod.ts";

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
