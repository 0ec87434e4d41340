import { deepEqual, equal, ok } from "node:assert/strict";
import { createRegistry, parsePluginMap } from "../../mod.ts";
import { fakeJsr, serve } from "../_helpers/server.ts";

const categories = { phase_hook: { description: "Hooks" } };
const hookModule = (tag: string) =>
  `(globalThis as any).__remoteImports = ((globalThis as any).__remoteImports ?? 0) + 1;
export class Hook { tag = ${JSON.stringify(tag)}; constructor(public config: unknown) {} }\n`;

Deno.test("manifests and modules over loopback http: discovered without import, imported on create", async () => {
  const tag = `remote-${crypto.randomUUID()}`;
  await using server = serve({
    "/p/registry.yaml":
      "plugin: {name: remote, version: 1.0.0}\nphase_hook:\n  remote: ./hook.ts#Hook\n",
    "/p/hook.ts": hookModule(tag),
  });
  const registry = await createRegistry({
    host: { name: "host", version: "1.0.0" },
    categories,
    plugins: parsePluginMap({ remote: `${server.url}/p/registry.yaml` }, {
      url: "file:///app/deno.json",
    }),
  });
  deepEqual(registry.diagnostics, []);
  equal(registry.factory("phase_hook").describe("remote").module, `${server.url}/p/hook.ts`);
  deepEqual(server.requests, ["/p/registry.yaml"], "discovery fetched the manifest only");
  const hook = await registry.factory<{ tag: string }>("phase_hook").create("remote");
  equal(hook.tag, tag);
  deepEqual(server.requests, ["/p/registry.yaml", "/p/hook.ts"]);
});

Deno.test("a jsr: plugin map entry loads its manifest and its module from the same package version", async () => {
  const tag = `jsr-${crypto.randomUUID()}`;
  await using server = serve();
  await fakeJsr(server, "@acme/hooks", {
    "1.4.0": {
      files: {
        "registry.yaml":
          "plugin: {name: acme-hooks, version: 1.4.0}\nphase_hook:\n  acme: ./src/hook.ts#Hook\n",
        "src/hook.ts": hookModule(tag),
      },
    },
  });
  const registry = await createRegistry({
    host: { name: "host", version: "1.0.0" },
    categories,
    jsrUrl: server.url,
    plugins: parsePluginMap({ acme: "@acme/hooks/registry.yaml" }, {
      url: "file:///app/deno.json",
      imports: { "@acme/hooks": "jsr:@acme/hooks@^1.2" },
    }),
  });
  deepEqual(registry.diagnostics, []);
  equal(registry.plugin("acme")?.jsrVersion, "1.4.0");
  equal(
    registry.factory("phase_hook").describe("acme").module,
    `${server.url}/@acme/hooks/1.4.0/src/hook.ts`,
  );
  equal((await registry.factory<{ tag: string }>("phase_hook").create("acme")).tag, tag);
});

Deno.test("an unreachable manifest is a diagnostic; the other plugins still load", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  await using server = serve({ "/ok.yaml": "phase_hook:\n  fine: ./h.ts#A\n" });
  const registry = await createRegistry({
    host: { name: "host", version: "1.0.0" },
    categories,
    plugins: parsePluginMap({
      down: `http://127.0.0.1:${port}/registry.yaml`,
      up: `${server.url}/ok.yaml`,
    }, { url: "file:///app/deno.json" }),
  });
  equal(registry.diagnostics.length, 1);
  equal(registry.diagnostics[0]?.code, "network");
  equal(registry.diagnostics[0]?.plugin, "down");
  ok(registry.factory("phase_hook").has("fine"));
});
