import { Registry } from "./registry.ts";
import type { RegistryOptions } from "./types.ts";

/**
 * Creates a registry and discovers every manifest of its plugin map (and the host's
 * built-ins) concurrently, without importing any plugin code. Broken plugins become
 * {@link Registry.diagnostics}; with `strict: true` they throw.
 *
 * @param options The host, its categories, its built-ins and the plugin map.
 * @returns The registry, ready to list, explain, get and create.
 * @throws {TypeError} An option is missing or of the wrong type (checked at run time too, for
 * JavaScript hosts).
 * @throws {DiscoveryError} In strict mode, when discovery finds errors.
 *
 * @example A host with one category and one plugin
 * ```ts
 * import { createRegistry, parsePluginMap } from "@plugmap/plugmap";
 * import { equal } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/greet.ts`, "export function hello(config: { name: string }) { return `hi ${config.name}`; }\n");
 * await Deno.writeTextFile(`${dir}/registry.yaml`, `plugin: {name: greetings, version: 1.0.0}
 * greeter:
 *   hello:
 *     class: ./greet.ts#hello
 *     description: Says hello
 *     config_schema:
 *       name: {type: string, default: world}
 * `);
 * const registry = await createRegistry({
 *   host: { name: "demo", version: "1.0.0" },
 *   categories: { greeter: { description: "Greets" } },
 *   plugins: parsePluginMap({ greetings: "./registry.yaml" }, { url: `file://${dir}/app.json` }),
 * });
 * const greeters = registry.factory<string>("greeter");
 * equal(greeters.list()[0]?.qualifiedName, "greetings/hello");
 * equal(await greeters.create("hello"), "hi world");
 * ```
 */
export async function createRegistry(options: RegistryOptions): Promise<Registry> {
  const registry = new Registry(options);
  await registry.reload();
  return registry;
}
