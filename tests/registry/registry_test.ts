import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import * as v from "valibot";
import {
  ConfigError,
  createRegistry,
  DiscoveryError,
  parsePluginMap,
  PluginLoadError,
  type RegistryOptions,
  UnknownImplementationError,
} from "../../mod.ts";
import { importCount, sideEffectModule, tree } from "../_helpers/fixtures.ts";

let seq = 0;
/** A unique key per test, so module side effects never collide across tests. */
function key(name: string): string {
  return `${name}-${Date.now()}-${seq++}`;
}

const categories: RegistryOptions["categories"] = {
  phase_hook: { description: "Phase lifecycle hooks" },
  endpoint: { description: "Endpoints" },
};

function hookModule(k: string): string {
  return sideEffectModule(
    k,
    `export class Hook { constructor(public config: Record<string, unknown>, public context: unknown) {} kind = ${
      JSON.stringify(k)
    }; }
export function makeHook(config: Record<string, unknown>) { return { made: true, config }; }
export default class DefaultHook { kind = "default"; }
export const notCallable = 42;
export class Throws { constructor() { throw new Error("boom in constructor"); } }`,
  );
}

Deno.test("discovery indexes manifests without importing plugin code; get imports once", async () => {
  const k = key("lazy");
  const t = await tree({
    "p/hooks.ts": hookModule(k),
    "p/registry.yaml": `plugin: {name: p, version: 1.0.0}
phase_hook:
  log:
    class: ./hooks.ts#Hook
    description: Logs phases
  short: ./hooks.ts
`,
  });
  const registry = await createRegistry({
    host: { name: "host", version: "1.0.0" },
    categories,
    plugins: parsePluginMap({ p: "./p/registry.yaml" }, { url: t.url("app.json") }),
  });
  deepEqual(registry.diagnostics, []);
  const hooks = registry.factory<{ kind: string }>("phase_hook");
  deepEqual(hooks.list().map((i) => i.qualifiedName), ["p/log", "p/short"]);
  equal(hooks.describe("log").description, "Logs phases");
  equal(hooks.describe("short").exportName, "default");
  registry.factory("phase_hook").explain("log");
  equal(importCount(k), 0, "listing, describing and explaining must not import");
  const instances = await Promise.all(Array.from({ length: 100 }, () => hooks.create("log")));
  equal(importCount(k), 1, "100 concurrent creates import the module once");
  equal(instances.length, 100);
  equal(instances[0]?.kind, k);
  equal((await hooks.create("short")).kind, "default");
  equal(importCount(k), 1);
});

Deno.test("create validates config, passes context, supports factory functions", async () => {
  const k = key("config");
  const t = await tree({
    "hooks.ts": hookModule(k),
    "registry.yaml": `plugin: {name: dd, version: 1.0.0}
phase_hook:
  datadog:
    class: ./hooks.ts#Hook
    config_schema:
      api_key: {type: string, required: true, env_var: DD_API_KEY}
      site: {type: string, default: datadoghq.com}
      tags: {type: list, default: []}
      port: {type: integer, env_var: DD_PORT}
  made:
    class: ./hooks.ts#makeHook
    config_schema:
      url: {type: string, required: true}
`,
  });
  const env: Record<string, string> = { DD_API_KEY: "from-env", DD_PORT: "8126", REGION: "eu" };
  const registry = await createRegistry({
    host: { name: "host", version: "1.0.0" },
    categories,
    plugins: parsePluginMap({ dd: "./registry.yaml" }, { url: t.url("app.json") }),
    env: (name) => env[name],
  });
  const hooks = registry.factory<{ config: Record<string, unknown>; context: unknown }>(
    "phase_hook",
  );
  const hook = await hooks.create("datadog", { site: "datadoghq.${REGION}" }, { phase: "warmup" });
  deepEqual(hook.config, { api_key: "from-env", site: "datadoghq.eu", tags: [], port: 8126 });
  deepEqual(hook.context, { phase: "warmup" });
  const made = await hooks.create("made", { url: "http://x" }) as unknown as { made: boolean };
  equal(made.made, true);

  await rejects(hooks.create("datadog", { api_key: "k", sitee: "x" }), (error: unknown) => {
    ok(error instanceof ConfigError);
    ok(error.message.includes('Unknown config key (did you mean "site"?)'), error.message);
    return true;
  });
  delete env.DD_API_KEY;
  await rejects(hooks.create("datadog", {}), (error: unknown) => {
    ok(error instanceof ConfigError);
    ok(
      error.message.includes('Missing required config key "api_key" (or set $DD_API_KEY)'),
      error.message,
    );
    return true;
  });
  await rejects(
    hooks.create("datadog", { api_key: "k", port: "eighty" }),
    /port.*Expected integer/,
  );
  await rejects(hooks.create("datadog", { api_key: "${UNSET_VAR_X}" }), /UNSET_VAR_X is not set/);
  await rejects(hooks.create("made"), /Missing required config key "url"/);
});

Deno.test("missing modules, missing exports and failing constructors are typed errors", async () => {
  const k = key("errors");
  const t = await tree({
    "hooks.ts": hookModule(k),
    "registry.yaml": `plugin: {name: p, version: 1.0.0}
phase_hook:
  gone: ./nowhere.ts#Hook
  typo: ./hooks.ts#Hok
  number: ./hooks.ts#notCallable
  throws: ./hooks.ts#Throws
  fine: ./hooks.ts#Hook
`,
  });
  const registry = await createRegistry({
    host: { name: "host", version: "1.0.0" },
    categories,
    plugins: parsePluginMap({ p: "./registry.yaml" }, { url: t.url("app.json") }),
  });
  const hooks = registry.factory("phase_hook");
  await rejects(
    hooks.get("gone"),
    (e: unknown) => e instanceof PluginLoadError && e.code === "import_failed",
  );
  await rejects(hooks.get("typo"), (e: unknown) => {
    ok(e instanceof PluginLoadError);
    equal(e.code, "export_missing");
    ok(
      e.message.includes(
        'no export "Hok"; it exports: Hook, Throws, default, makeHook, notCallable',
      ),
      e.message,
    );
    return true;
  });
  await rejects(
    hooks.create("number"),
    (e: unknown) => e instanceof PluginLoadError && e.code === "not_creatable",
  );
  await rejects(hooks.create("throws"), (e: unknown) => {
    ok(e instanceof PluginLoadError);
    equal(e.code, "create_failed");
    ok(e.message.includes("boom in constructor"));
    return true;
  });
  ok(await hooks.create("fine"), "the other implementations keep working");
});

Deno.test("unknown names and categories list what exists and the nearest match", async () => {
  const t = await tree({
    "registry.yaml": "phase_hook:\n  datadog: ./h.ts#A\n  prometheus: ./h.ts#B\n",
  });
  const registry = await createRegistry({
    host: { name: "host", version: "1.0.0" },
    categories,
    plugins: parsePluginMap({ p: "./registry.yaml" }, { url: t.url("app.json") }),
  });
  throws(() => registry.factory("phase_hook").describe("datadgo"), (e: unknown) => {
    ok(e instanceof UnknownImplementationError);
    equal(e.suggestion, "datadog");
    deepEqual(e.available, ["datadog", "prometheus"]);
    equal(
      e.message,
      'Cannot find phase_hook "datadgo" (did you mean "datadog"?): available: datadog, prometheus',
    );
    return true;
  });
  throws(
    () => registry.factory("phase_hooks"),
    /Cannot find category "phase_hooks" \(did you mean "phase_hook"\?\)/,
  );
  equal(registry.factory("phase_hook").has("datadog"), true);
  equal(registry.factory("phase_hook").has("nope"), false);
});

Deno.test("precedence: plugin beats built-in, priority, map order with a warning; losers stay reachable", async () => {
  const k = key("precedence");
  const module = hookModule(k);
  const t = await tree({
    "builtin/hooks.ts": module,
    "builtin/registry.yaml":
      "plugin: {name: host, version: 1.0.0}\nphase_hook:\n  log: ./hooks.ts#Hook\n  only_builtin: ./hooks.ts#Hook\n",
    "a/hooks.ts": module,
    "a/registry.yaml":
      "plugin: {name: a, version: 1.0.0}\nphase_hook:\n  log: ./hooks.ts#Hook\n  ranked: {class: ./hooks.ts#Hook, priority: 1}\n  tie: ./hooks.ts#Hook\n",
    "b/hooks.ts": module,
    "b/registry.yaml":
      "plugin: {name: b, version: 1.0.0}\nphase_hook:\n  ranked: {class: ./hooks.ts#Hook, priority: 5}\n  tie: ./hooks.ts#Hook\n",
  });
  const registry = await createRegistry({
    host: { name: "host", version: "1.0.0" },
    categories,
    builtins: t.url("builtin/registry.yaml"),
    plugins: parsePluginMap({ a: "./a/registry.yaml", b: "./b/registry.yaml" }, {
      url: t.url("app.json"),
    }),
  });
  const hooks = registry.factory("phase_hook");
  equal(hooks.describe("log").qualifiedName, "a/log");
  equal(hooks.describe("only_builtin").qualifiedName, "host/only_builtin");
  equal(hooks.describe("ranked").qualifiedName, "b/ranked");
  equal(hooks.describe("tie").qualifiedName, "a/tie");
  equal(
    hooks.describe("host/log").qualifiedName,
    "host/log",
    "a loser stays reachable by qualified name",
  );
  equal(hooks.describe("a/ranked").qualifiedName, "a/ranked");
  const ties = registry.diagnostics.filter((d) => d.code === "priority_tie");
  equal(ties.length, 1);
  equal(ties[0]?.severity, "warning");
  ok(ties[0]?.message.includes('"a" wins by plugin map order'));

  const log = hooks.explain("log");
  equal(log.selected?.qualifiedName, "a/log");
  deepEqual(log.candidates.map((c) => [c.implementation.qualifiedName, c.status]), [
    ["a/log", "selected"],
    ["host/log", "shadowed"],
  ]);
  equal(
    log.candidates[1]?.reason,
    'Shadowed by "a/log": a plugin beats a built-in of the same name',
  );
  equal(
    hooks.explain("ranked").candidates[1]?.reason,
    'Shadowed by "b/ranked": priority 5 beats 1',
  );
  ok(hooks.explain("tie").candidates[1]?.reason.includes("later in the plugin map"));
  // Like describe, get and create: an unknown name is a typed error with the nearest name.
  throws(
    () => hooks.explain("lgo"),
    (e) =>
      e instanceof UnknownImplementationError && e.suggestion === "log" &&
      e.message.startsWith('Cannot find phase_hook "lgo" (did you mean "log"?)'),
  );
  throws(
    () => hooks.explain("a/lgo"),
    (e) => e instanceof UnknownImplementationError && e.suggestion === "a/log",
  );
  // A qualified name: explained among its short name's candidates; a loser resolves to itself.
  const loser = hooks.explain("host/log");
  equal(loser.selected?.qualifiedName, "host/log");
  deepEqual(loser.candidates.map((c) => c.implementation.qualifiedName), ["a/log", "host/log"]);
  equal(hooks.explain("a/log").selected?.qualifiedName, "a/log");
  equal(importCount(k), 0);
});

Deno.test("requires: unmet host range and missing dependencies skip the plugin with a diagnostic", async () => {
  const t = await tree({
    "new/registry.yaml":
      "plugin:\n  name: new\n  version: 1.0.0\n  requires:\n    - bench>=2.0.0\nphase_hook:\n  fancy: ./h.ts#A\n",
    "dep/registry.yaml":
      "plugin:\n  name: dep\n  version: 1.0.0\n  requires: {base: ^1.2.0}\nphase_hook:\n  dep_hook: ./h.ts#A\n",
    "base/registry.yaml":
      "plugin: {name: base, version: 1.3.0}\nphase_hook:\n  base_hook: ./h.ts#A\n",
    "orphan/registry.yaml":
      "plugin: {name: orphan, version: 1.0.0, requires: [ghost>=1]}\nphase_hook:\n  orphan_hook: ./h.ts#A\n",
    "impl/registry.yaml":
      "plugin: {name: impl, version: 1.0.0}\nphase_hook:\n  ok_hook: ./h.ts#A\n  picky:\n    class: ./h.ts#A\n    requires: [bench>=9]\n",
  });
  const registry = await createRegistry({
    host: { name: "bench", version: "1.5.0" },
    categories,
    plugins: parsePluginMap({
      new: "./new/registry.yaml",
      dep: "./dep/registry.yaml",
      base: "./base/registry.yaml",
      orphan: "./orphan/registry.yaml",
      impl: "./impl/registry.yaml",
    }, { url: t.url("app.json") }),
  });
  const names = registry.factory("phase_hook").list().map((i) => i.name);
  deepEqual(names, ["base_hook", "dep_hook", "ok_hook"]);
  const unmet = registry.diagnostics.find((d) => d.plugin === "new")!;
  equal(unmet.code, "requirement_unmet");
  ok(
    unmet.message.includes("Requires bench >=2.0.0, but the host bench is version 1.5.0"),
    unmet.message,
  );
  equal(unmet.line, 5, "points at the requires list");
  equal(registry.diagnostics.find((d) => d.plugin === "orphan")?.code, "requirement_missing");
  equal(registry.plugin("new")?.status, "incompatible");
  const picky = registry.factory("phase_hook").explain("picky");
  equal(picky.selected, undefined);
  equal(picky.candidates[0]?.status, "incompatible");
  throws(() => registry.factory("phase_hook").describe("picky"), PluginLoadError);
});

Deno.test("enabled: false hides a plugin or an implementation, explain says why", async () => {
  const t = await tree({
    "off/registry.yaml":
      "plugin: {name: off, version: 1.0.0, enabled: false}\nphase_hook:\n  off_hook: ./h.ts#A\n",
    "some/registry.yaml":
      "phase_hook:\n  on: ./h.ts#A\n  legacy: {class: ./h.ts#B, enabled: false}\n",
  });
  const registry = await createRegistry({
    host: { name: "host", version: "1.0.0" },
    categories,
    plugins: parsePluginMap({ off: "./off/registry.yaml", some: "./some/registry.yaml" }, {
      url: t.url("app.json"),
    }),
  });
  deepEqual(registry.factory("phase_hook").list().map((i) => i.name), ["on"]);
  equal(registry.plugin("off")?.status, "disabled");
  equal(
    registry.factory("phase_hook").explain("legacy").candidates[0]?.reason,
    "Disabled by its manifest (enabled: false)",
  );
  ok(
    registry.factory("phase_hook").explain("off_hook").candidates[0]?.reason.includes(
      "plugin.enabled: false",
    ),
  );
  throws(() => registry.factory("phase_hook").describe("some/legacy"), /Disabled by its manifest/);
});

Deno.test("one broken plugin never hides the others; strict mode throws DiscoveryError", async () => {
  const t = await tree({
    "good/registry.yaml": "phase_hook:\n  good: ./h.ts#A\n",
    "syntax/registry.yaml": "phase_hook:\n  bad: [unclosed\n",
    "schema/registry.yaml": "phase_hook:\n  bad:\n    class: ./h.ts#A\n    priorty: 3\n",
    "category/registry.yaml": "telemetry:\n  x: ./h.ts#A\nendpoint:\n  chat: ./h.ts#Chat\n",
  });
  const options: RegistryOptions = {
    host: { name: "host", version: "1.0.0" },
    categories,
    plugins: parsePluginMap({
      good: "./good/registry.yaml",
      missing: "./missing/registry.yaml",
      syntax: "./syntax/registry.yaml",
      schema: "./schema/registry.yaml",
      category: "./category/registry.yaml",
    }, { url: t.url("app.json") }),
  };
  const registry = await createRegistry(options);
  deepEqual(registry.factory("phase_hook").list().map((i) => i.name), ["good"]);
  deepEqual(registry.factory("endpoint").list().map((i) => i.name), ["chat"]);
  const byPlugin = Object.fromEntries(registry.diagnostics.map((d) => [d.plugin, d]));
  equal(byPlugin.missing?.code, "not_found");
  equal(byPlugin.syntax?.code, "yaml_syntax");
  equal(byPlugin.syntax?.url, t.url("syntax/registry.yaml"));
  equal(byPlugin.syntax?.line, 3);
  equal(byPlugin.schema?.code, "schema_invalid");
  equal(byPlugin.schema?.path, "phase_hook.bad.priorty");
  equal(byPlugin.schema?.line, 4);
  equal(byPlugin.schema?.column, 5);
  ok(byPlugin.schema?.message.includes('did you mean "priority"'));
  equal(byPlugin.category?.code, "unknown_category");
  equal(byPlugin.category?.severity, "warning");
  equal(byPlugin.category?.line, 1);
  await rejects(createRegistry({ ...options, strict: true }), (e: unknown) => {
    ok(e instanceof DiscoveryError);
    ok(e.message.includes("3 errors"), e.message);
    return true;
  });
});

Deno.test("category schemas check metadata at discovery and instances at creation", async () => {
  const t = await tree({
    "h.ts": "export class Good { run() {} }\nexport class Bad {}\n",
    "registry.yaml": `runner:
  good: {class: ./h.ts#Good, metadata: {streaming: true}}
  bad: {class: ./h.ts#Bad, metadata: {streaming: true}}
  wrong_meta: {class: ./h.ts#Good, metadata: {streaming: yes please}}
`,
  });
  const registry = await createRegistry({
    host: { name: "host", version: "1.0.0" },
    categories: {
      runner: {
        description: "Runs",
        instance: v.object({ run: v.function() }),
        metadata: v.object({ streaming: v.boolean() }),
      },
    },
    plugins: parsePluginMap({ p: "./registry.yaml" }, { url: t.url("app.json") }),
  });
  const meta = registry.diagnostics.find((d) => d.code === "invalid_metadata");
  equal(meta?.path, "runner.wrong_meta.metadata");
  ok(await registry.factory("runner").create("good"));
  await rejects(
    registry.factory("runner").create("bad"),
    (e: unknown) => e instanceof PluginLoadError && e.code === "instance_invalid",
  );
});

Deno.test("bare specifiers resolve through imports; self-mapping is a diagnostic", async () => {
  const t = await tree({
    "vendor/acme/registry.yaml": "phase_hook:\n  acme: ./h.ts#A\n",
  });
  const map = parsePluginMap({ acme: "acme/registry.yaml", loop: "loop/registry.yaml" }, {
    url: t.url("deno.json"),
    imports: { "acme/": "./vendor/acme/", "loop/": "loop/" },
  });
  const registry = await createRegistry({
    host: { name: "host", version: "1.0.0" },
    categories,
    plugins: map,
  });
  deepEqual(registry.factory("phase_hook").list().map((i) => i.qualifiedName), ["acme/acme"]);
  const loop = registry.diagnostics.find((d) => d.plugin === "loop");
  equal(loop?.code, "invalid_map");
  ok(loop?.message.includes("maps to another bare specifier"));
});

Deno.test("reload re-reads manifests and imports changed code again", async () => {
  const t = await tree({ "registry.yaml": "phase_hook:\n  one: ./h.ts#A\n" });
  const registry = await createRegistry({
    host: { name: "host", version: "1.0.0" },
    categories,
    plugins: parsePluginMap({ p: "./registry.yaml" }, { url: t.url("app.json") }),
  });
  deepEqual(registry.factory("phase_hook").list().map((i) => i.name), ["one"]);
  await Deno.writeTextFile(
    `${t.dir}/registry.yaml`,
    "phase_hook:\n  one: ./h.ts#A\n  two: ./h.ts#B\n",
  );
  await registry.reload();
  deepEqual(registry.factory("phase_hook").list().map((i) => i.name), ["one", "two"]);
});

Deno.test("a plugin map document is read from deno.json with its imports", async () => {
  const t = await tree({
    "plugins/x/registry.yaml": "phase_hook:\n  x: ./h.ts#A\n",
    "deno.json": JSON.stringify({
      imports: { "x/": "./plugins/x/" },
      plugins: { x: "x/registry.yaml" },
    }),
  });
  const registry = await createRegistry({
    host: { name: "host", version: "1.0.0" },
    categories,
    plugins: `${t.dir}/deno.json`,
  });
  deepEqual(registry.factory("phase_hook").list().map((i) => i.qualifiedName), ["x/x"]);
});
