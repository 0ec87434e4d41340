/**
 * Discovery speed: 100 and 1,000 generated manifests shaped like the original design's example
 * (three implementations each), beside the floor (reading and YAML-parsing the same files),
 * discovered cold and again with the snapshots warm, and the cost of a first and a cached
 * `create`.
 */
import { CORE_SCHEMA, load } from "js-yaml";
import { createRegistry, parsePluginMap, type Registry } from "../../mod.ts";

const categories = {
  phase_hook: { description: "Phase hooks" },
  endpoint: { description: "Endpoints" },
  dataset_sampler: { description: "Samplers" },
};

function manifest(i: number): string {
  return `# yaml-language-server: $schema=../schema/registry.schema.json
plugin:
  name: plugin-${i}
  version: 1.${i % 10}.0
  description: Generated plugin number ${i}
  author: Bench
  license: MIT
  homepage: https://example.com/plugin-${i}
  requires:
    - bench>=0.1.0
  enabled: true

phase_hook:
  hook_${i}:
    class: ./hooks.ts#Hook
    description: Send phase lifecycle events and metrics
    config_schema:
      api_key:
        type: string
        required: true
        description: API key
        env_var: API_KEY_${i}
      site:
        type: string
        required: false
        default: example.com
        description: Site
      tags:
        type: list
        required: false
        default: []
        description: Additional tags
    enabled: true

endpoint:
  endpoint_${i}:
    class: ./endpoints.ts#Endpoint
    description: An endpoint
    config_schema:
      gateway_url:
        type: string
        required: true

dataset_sampler:
  sampler_${i}:
    class: ./samplers.ts#Sampler
    description: Weighted random sampling
`;
}

async function generate(count: number): Promise<{ dir: string; files: string[] }> {
  const dir = await Deno.makeTempDir({ prefix: `plugmap-bench-${count}-` });
  const files: string[] = [];
  const plugins: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    await Deno.mkdir(`${dir}/p${i}`);
    await Deno.writeTextFile(`${dir}/p${i}/registry.yaml`, manifest(i));
    files.push(`${dir}/p${i}/registry.yaml`);
    plugins[`p${i}`] = `./p${i}/registry.yaml`;
  }
  await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify({ plugins }));
  return { dir, files };
}

const sets = { 100: await generate(100), 1000: await generate(1000) };

for (const count of [100, 1000] as const) {
  const { dir, files } = sets[count];
  const map = parsePluginMap(
    JSON.parse(await Deno.readTextFile(`${dir}/deno.json`)).plugins,
    { url: `file://${dir}/deno.json` },
  );
  Deno.bench({
    name: `floor: read + YAML-parse ${count} manifests`,
    group: `discover ${count}`,
    baseline: true,
    async fn() {
      await Promise.all(
        files.map(async (f) => load(await Deno.readTextFile(f), { schema: CORE_SCHEMA })),
      );
    },
  });
  Deno.bench({
    name: `plugmap: discover ${count} manifests`,
    group: `discover ${count}`,
    async fn() {
      const registry = await createRegistry({
        host: { name: "bench", version: "0.1.0" },
        categories,
        plugins: map,
      });
      if (registry.diagnostics.length) throw new Error(registry.diagnostics[0]!.message);
    },
  });
  // The second run of a host: every manifest read and its text hashed again, the finished
  // index taken from the cache directory.
  const cacheDir = `${dir}/cache`;
  const warm = () =>
    createRegistry({
      host: { name: "bench", version: "0.1.0" },
      categories,
      plugins: map,
      cacheDir,
    });
  await warm();
  Deno.bench({
    name: `plugmap: discover ${count} manifests again (snapshot)`,
    group: `discover ${count}`,
    async fn() {
      const registry = await warm();
      if (registry.plugins().length !== count) throw new Error("plugins missing");
    },
  });
}

// create: a real module on disk; "first" imports a fresh copy each time (a query string
// makes a new module), "cached" reuses the imported export.
const codeDir = await Deno.makeTempDir({ prefix: "plugmap-bench-code-" });
await Deno.writeTextFile(
  `${codeDir}/hook.ts`,
  "export class Hook { constructor(public config: unknown) {} }\n",
);
let generation = 0;
async function registryFor(query: string): Promise<Registry> {
  await Deno.writeTextFile(
    `${codeDir}/registry.yaml`,
    `phase_hook:\n  hook:\n    class: ./hook.ts${query}#Hook\n    config_schema:\n      site: {type: string, default: example.com}\n`,
  );
  return await createRegistry({
    host: { name: "bench", version: "0.1.0" },
    categories,
    plugins: parsePluginMap({ p: "./registry.yaml" }, { url: `file://${codeDir}/app.json` }),
  });
}
const cached = await registryFor("");
await cached.factory("phase_hook").create("hook");
Deno.bench({
  name: "create: first (import + config + construct)",
  group: "create",
  async fn(b) {
    const registry = await registryFor(`?g=${generation++}`);
    b.start();
    await registry.factory("phase_hook").create("hook", { site: "x" });
    b.end();
  },
});
Deno.bench({
  name: "create: cached",
  group: "create",
  baseline: true,
  async fn() {
    await cached.factory("phase_hook").create("hook", { site: "x" });
  },
});
