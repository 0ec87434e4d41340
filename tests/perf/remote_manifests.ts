/**
 * Discovers `--count` remote manifests (`<url>/p<N>/registry.yaml`, N = 0..count-1) in one
 * process, as a host does, and prints how many plugins were read and the diagnostics by code.
 * Paired with `slow_manifest_server.ts`:
 *
 *   deno run --allow-net tests/perf/slow_manifest_server.ts --delay-ms 20 --port 8790 &
 *   deno run -A tests/perf/remote_manifests.ts --url http://127.0.0.1:8790 --count 2000
 */
import { parseArgs } from "node:util";
import { createRegistry, parsePluginMap } from "../../mod.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    url: { type: "string" },
    count: { type: "string", default: "2000" },
    "max-connections": { type: "string" },
    "max-connections-per-host": { type: "string" },
  },
});
const count = Number(values.count);
const map: Record<string, string> = {};
for (let i = 0; i < count; i++) map[`p${i}`] = `${values.url}/p${i}/registry.yaml`;
const limits: Record<string, number> = {};
if (values["max-connections"]) limits.maxConnections = Number(values["max-connections"]);
if (values["max-connections-per-host"]) {
  limits.maxConnectionsPerHost = Number(values["max-connections-per-host"]);
}
const registry = await createRegistry({
  host: { name: "host", version: "1.0.0" },
  categories: "declared",
  plugins: parsePluginMap(map, { url: "file:///perf/deno.json" }),
  limits: { source: limits },
});
const codes: Record<string, number> = {};
for (const d of registry.diagnostics) codes[d.code] = (codes[d.code] ?? 0) + 1;
const ok = registry.plugins().filter((p) => p.status === "ok").length;
console.log(JSON.stringify({ ok, diagnostics: codes }));
