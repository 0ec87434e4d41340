/**
 * Remote fetches are bounded: a map of many remote manifests never holds more connections open
 * than `maxConnectionsPerHost` to one host, nor `maxConnections` in all, as counted by a raw
 * loopback server; and a process under a low open-file limit (`ulimit -n`) discovers them all
 * instead of panicking (Deno panics when it runs out of descriptors).
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { createRegistry, parsePluginMap } from "../../mod.ts";
import { countingServer } from "../_helpers/counting_server.ts";

const ROOT = new URL("../../", import.meta.url);

function mapOf(urls: string[], count: number): Record<string, string> {
  const map: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const url = urls[i % urls.length]!;
    map[`p${i}`] = `${url}/p${i}/registry.yaml`;
  }
  return map;
}

async function discover(map: Record<string, string>, source: Record<string, number> = {}) {
  const registry = await createRegistry({
    host: { name: "host", version: "1.0.0" },
    categories: "declared",
    plugins: parsePluginMap(map, { url: "file:///app/deno.json" }),
    limits: { source },
  });
  deepEqual(registry.diagnostics, []);
  return registry;
}

Deno.test("remote manifests: at most maxConnectionsPerHost connections to one host at once", async () => {
  await using server = countingServer({ delayMs: 20 });
  await discover(mapOf([server.url], 200), { maxConnectionsPerHost: 8 });
  equal(server.served, 200);
  ok(server.maxOpen <= 8, `${server.maxOpen} connections were open at once`);
  ok(server.maxOpen >= 2, "still concurrent");
});

Deno.test("remote manifests: the default bound holds 300 manifests to 64 connections", async () => {
  await using server = countingServer({ delayMs: 20 });
  await discover(mapOf([server.url], 300));
  equal(server.served, 300);
  ok(server.maxOpen <= 64, `${server.maxOpen} connections were open at once`);
});

Deno.test("remote manifests: at most maxConnections in all, over several hosts", async () => {
  await using a = countingServer({ delayMs: 20 });
  await using b = countingServer({ delayMs: 20 });
  await using c = countingServer({ delayMs: 20 });
  // Sampled every millisecond: the three servers' open connections together.
  let most = 0;
  const sampler = setInterval(() => most = Math.max(most, a.open + b.open + c.open), 1);
  try {
    await discover(mapOf([a.url, b.url, c.url], 240), {
      maxConnections: 10,
      maxConnectionsPerHost: 8,
    });
  } finally {
    clearInterval(sampler);
  }
  equal(a.served + b.served + c.served, 240);
  ok(most <= 10, `${most} connections were open at once`);
  ok(a.maxOpen <= 8 && b.maxOpen <= 8 && c.maxOpen <= 8);
});

Deno.test("remote manifests: 2,000 under ulimit -n 128 are all read, with no panic", async () => {
  await using server = countingServer({ delayMs: 1 });
  const script = new URL("tests/perf/remote_manifests.ts", ROOT).pathname;
  const output = await new Deno.Command("sh", {
    args: [
      "-c",
      `ulimit -n 128 && exec "$0" run -A --config="$1" "$2" --url "$3" --count 2000`,
      Deno.execPath(),
      new URL("deno.json", ROOT).pathname,
      script,
      server.url,
    ],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  ok(!/panicked/.test(stderr), stderr);
  equal(output.code, 0, stderr);
  deepEqual(JSON.parse(new TextDecoder().decode(output.stdout)), { ok: 2000, diagnostics: {} });
});
