/**
 * The corpus the speed figures are measured on: manifests shaped like the original design's
 * example (three implementations each, about 1.3 KB), one folder per plugin, and a deno.json
 * whose "plugins" map lists them. `deno run -A tests/perf/_corpus.ts DIR 1000` writes one for
 * whole-process timings.
 */

/** The text of generated manifest number `i`. */
export function manifest(i: number): string {
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

/** Writes `count` manifests under `dir` (`p<i>/registry.yaml`) and `dir/deno.json` mapping them. */
export async function writeCorpus(dir: string, count: number): Promise<string[]> {
  const files: string[] = [];
  const plugins: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    await Deno.mkdir(`${dir}/p${i}`, { recursive: true });
    await Deno.writeTextFile(`${dir}/p${i}/registry.yaml`, manifest(i));
    files.push(`${dir}/p${i}/registry.yaml`);
    plugins[`p${i}`] = `./p${i}/registry.yaml`;
  }
  await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify({ plugins }, null, 2) + "\n");
  return files;
}

if (import.meta.main) {
  const [dir, count = "1000"] = Deno.args;
  if (dir === undefined) {
    console.error("Usage: deno run -A tests/perf/_corpus.ts DIR [COUNT]");
    Deno.exit(2);
  }
  await writeCorpus(dir, Number(count));
}
