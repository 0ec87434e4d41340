import { createRegistry, parsePluginMap } from "../../../mod.ts";
import { deepEqual, equal } from "node:assert/strict";
import { __Class__ } from "./plugin.ts";

// Loads the manifest the way a host does: discovery, then a lazy import on create().
async function load() {
  return await createRegistry({
    host: { name: "test-host", version: "1.0.0" },
    categories: {
      __CATEGORY__: { description: "The category this plugin provides" },
    },
    plugins: parsePluginMap(
      { "__PLUGIN__": "./registry.yaml" },
      { url: import.meta.url },
    ),
  });
}

Deno.test("registry.yaml is valid and declares __NAME__", async () => {
  const registry = await load();
  deepEqual(registry.diagnostics, []);
  equal(registry.factory("__CATEGORY__").list()[0]?.name, "__NAME__");
});

Deno.test("__NAME__ is created through the registry with its config", async () => {
  const registry = await load();
  const plugin = await registry.factory<__Class__>("__CATEGORY__").create("__NAME__", {
    greeting: "Hi",
  });
  equal(plugin.run("world"), "Hi, world");
});

Deno.test("__Class__ uses the default greeting", () => {
  equal(new __Class__({ greeting: "Hello" }).run("you"), "Hello, you");
});
