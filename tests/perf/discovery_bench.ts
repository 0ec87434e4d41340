/**
 * Discovery speed: 100 and 1,000 generated manifests shaped like the original design's example
 * (three implementations each), beside the floor (reading and YAML-parsing the same files),
 * discovered cold and again with the snapshots warm, and the cost of a first and a cached
 * `create`.
 */
import { CORE_SCHEMA, load } from "js-yaml";
import { createRegistry, parsePluginMap, type Registry } from "../../mod.ts";
import { writeCorpus } from "./_corpus.ts";

const categories = {
  phase_hook: { description: "Phase hooks" },
  endpoint: { description: "Endpoints" },
  dataset_sampler: { description: "Samplers" },
};

async function generate(count: number): Promise<{ dir: string; files: string[] }> {
  const dir = await Deno.makeTempDir({ prefix: `plugmap-bench-${count}-` });
  return { dir, files: await writeCorpus(dir, count) };
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
