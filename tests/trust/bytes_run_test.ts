/**
 * The bytes checked are the bytes run: a locked network module is imported from the bytes that
 * matched the lock, so a hostile server that swaps the file after the check gets nothing run; a
 * locked module that imports other files (which the lock cannot pin) is refused; and a `jsr:`
 * manifest's `class` cannot leave its package version.
 */
import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import {
  createRegistry,
  parsePluginMap,
  PluginLoadError,
  type RegistryOptions,
} from "../../mod.ts";
import { createLock } from "../../src/trust/mod.ts";
import { fakeJsr, serve } from "../_helpers/server.ts";

const categories = { phase_hook: { description: "Hooks" } };
const host = { name: "host", version: "1.0.0" };

// Each module bumps a global counter per evaluation, so a test can prove what ran.
const hookModule = (tag: string, extra = "") =>
  `${extra}const g = globalThis as unknown as Record<string, number>;
g[${JSON.stringify(tag)}] = (g[${JSON.stringify(tag)}] ?? 0) + 1;
export class Hook { tag: string = ${JSON.stringify(tag)}; }\n`;
const evaluations = (tag: string) => (globalThis as unknown as Record<string, number>)[tag] ?? 0;

function options(map: Record<string, string>, extra: Partial<RegistryOptions> = {}) {
  return {
    host,
    categories,
    plugins: parsePluginMap(map, { url: "file:///app/deno.json" }),
    ...extra,
  } satisfies RegistryOptions;
}

Deno.test("a server that swaps a locked module after the check gets nothing run", async () => {
  const good = `good-${crypto.randomUUID()}`;
  const evil = `evil-${crypto.randomUUID()}`;
  // Serves the locked bytes to `honest` more requests, then the swapped file to every later one.
  let honest = Infinity;
  await using server = serve({
    "/p/registry.yaml": "phase_hook:\n  h: ./hook.ts#Hook\n",
    "/p/hook.ts": () =>
      new Response(honest-- > 0 ? hookModule(good) : hookModule(evil), {
        headers: { "content-type": "application/typescript" },
      }),
  });
  const map = { p: `${server.url}/p/registry.yaml` };
  const lock = await createLock(await createRegistry(options(map)));
  const registry = await createRegistry(options(map, { lock }));
  server.requests.length = 0;
  honest = 1; // The check's request gets the locked bytes; any later one, the swapped file.
  const hook = await registry.factory<{ tag: string }>("phase_hook").create("h");
  equal(hook.tag, good, "the instance comes from the bytes that were checked");
  equal(evaluations(good), 1);
  equal(evaluations(evil), 0, "the swapped file was never run");
  deepEqual(server.requests, ["/p/hook.ts"], "fetched once, to check; never again to import");
});

Deno.test("a locked module that imports other files is refused, naming the import", async () => {
  const util = `util-${crypto.randomUUID()}`;
  await using server = serve({
    "/p/registry.yaml":
      "phase_hook:\n  rel: ./rel.ts#Hook\n  abs: ./abs.ts#Hook\n  dyn: ./dyn.ts#Hook\n  one: ./one.ts#Hook\n",
    "/p/util.ts": hookModule(util).replace("export class Hook", "export class Util"),
    "/p/rel.ts": hookModule("rel", 'import { Util } from "./util.ts";\nnew Util();\n'),
    "/p/abs.ts": hookModule("abs", 'export * from "http://127.0.0.1:9/util.ts";\n'),
    "/p/dyn.ts": hookModule("dyn", 'await import("../p/util.ts");\n'),
    // Only jsr:/npm:/node: imports: self-contained as far as the lock is concerned.
    "/p/one.ts": hookModule(`one-${util}`, 'import { join } from "node:path";\njoin("a");\n'),
  });
  const map = { p: `${server.url}/p/registry.yaml` };
  const lock = await createLock(await createRegistry(options(map)));
  const registry = await createRegistry(options(map, { lock }));
  const hooks = registry.factory<{ tag: string }>("phase_hook");
  for (
    const [name, specifier] of [
      ["rel", "./util.ts"],
      ["abs", "http://127.0.0.1:9/util.ts"],
      ["dyn", "../p/util.ts"],
    ]
  ) {
    await rejects(hooks.create(name!), (error: unknown) => {
      ok(error instanceof PluginLoadError, String(error));
      equal(error.code, "refused");
      equal(error.module, `${server.url}/p/${name}.ts`);
      match(error.message, /must be self-contained/);
      ok(error.message.includes(`imports "${specifier}"`), error.message);
      return true;
    });
    equal(evaluations(name!), 0);
  }
  equal(evaluations(util), 0, "no file the lock does not pin was run");
  ok(!server.requests.includes("/p/util.ts"));
  equal((await hooks.create("one")).tag, `one-${util}`);
});

Deno.test("an unlocked network module is still imported from its URL", async () => {
  const tag = `plain-${crypto.randomUUID()}`;
  await using server = serve({
    "/p/registry.yaml": "phase_hook:\n  h: ./hook.ts#Hook\n",
    "/p/hook.ts": hookModule(tag, 'import "./side.ts";\n'),
    "/p/side.ts": "export {};\n",
  });
  const registry = await createRegistry(options({ p: `${server.url}/p/registry.yaml` }));
  equal((await registry.factory<{ tag: string }>("phase_hook").create("h")).tag, tag);
  ok(server.requests.includes("/p/side.ts"), "its relative import was followed");
});

Deno.test("jsr: a manifest's class cannot leave its package version", async () => {
  await using server = serve();
  await fakeJsr(server, "@acme/hooks", {
    "1.0.0": {
      files: {
        "registry.yaml": `plugin: {name: hooks, version: 1.0.0}
phase_hook:
  inside: ./lib/../hook.ts#Hook
  up: ../../../@evil/pkg/1.0.0/evil.ts#Hook
  version: ../0.9.0/hook.ts#Hook
  encoded: ./%2e%2e/0.9.0/hook.ts#Hook
  rooted: /@evil/pkg/1.0.0/evil.ts#Hook
`,
        "hook.ts": hookModule("jsr-inside"),
      },
    },
  });
  const registry = await createRegistry(
    options({ j: "jsr:@acme/hooks@^1/registry.yaml" }, { jsrUrl: server.url }),
  );
  const outside = registry.diagnostics.filter((d) => d.code === "class_outside_package");
  deepEqual(
    outside.map((d) => [d.path, d.line, d.severity]),
    [
      ["phase_hook.up.class", 4, "error"],
      ["phase_hook.version.class", 5, "error"],
      ["phase_hook.encoded.class", 6, "error"],
      ["phase_hook.rooted.class", 7, "error"],
    ],
  );
  match(
    outside[0]!.message,
    new RegExp(
      `leaves the package the manifest was published in \\("${server.url}/@acme/hooks/1\\.0\\.0/"\\)`,
    ),
  );
  const hooks = registry.factory<{ tag: string }>("phase_hook");
  equal(hooks.describe("inside").module, `${server.url}/@acme/hooks/1.0.0/hook.ts`);
  equal((await hooks.create("inside")).tag, "jsr-inside");
  ok(!hooks.has("up"));
});
