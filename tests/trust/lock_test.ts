import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { ConfigError, createRegistry, parsePluginMap } from "../../mod.ts";
import { createLock, lockPathFor, readLock, writeLock } from "../../src/trust/mod.ts";
import { tree } from "../_helpers/fixtures.ts";
import { fakeJsr, serve } from "../_helpers/server.ts";

async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
  return `sha256-${Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

const HOOKS = "export class Hook { ok = true; }\n";

Deno.test("createLock pins URLs, exact jsr versions, manifest and network module hashes", async () => {
  const remoteManifest =
    "plugin: {name: remote, version: 1.0.0}\nphase_hook:\n  r: ./hooks.ts#Hook\n";
  const jsrManifest = "plugin: {name: j, version: 1.2.0}\nphase_hook:\n  j: ./hooks.ts#Hook\n";
  const localManifest = "phase_hook:\n  l: ./hooks.ts#Hook\n";
  await using server = serve({ "/p/registry.yaml": remoteManifest, "/p/hooks.ts": HOOKS });
  await fakeJsr(server, "@acme/hooks", {
    "1.1.0": { files: { "registry.yaml": jsrManifest, "hooks.ts": HOOKS } },
    "1.2.0": { files: { "registry.yaml": jsrManifest, "hooks.ts": HOOKS } },
    "2.0.0": { files: { "registry.yaml": jsrManifest, "hooks.ts": HOOKS } },
  });
  const t = await tree({ "local/registry.yaml": localManifest, "local/hooks.ts": HOOKS });
  const mapUrl = t.url("deno.json");
  const registry = await createRegistry({
    host: { name: "host", version: "1.0.0" },
    categories: { phase_hook: { description: "hooks" } },
    jsrUrl: server.url,
    plugins: parsePluginMap({
      local: "./local/registry.yaml",
      remote: `${server.url}/p/registry.yaml`,
      jsr: "jsr:@acme/hooks@^1/registry.yaml",
    }, { url: mapUrl }),
  });
  deepEqual(registry.diagnostics, []);
  const lock = await createLock(registry);
  equal(lock.version, 1);
  deepEqual(lock.plugins.local, {
    specifier: "./local/registry.yaml",
    url: t.url("local/registry.yaml"),
    manifest: await sha256(localManifest),
    modules: {},
  });
  deepEqual(lock.plugins.remote, {
    specifier: `${server.url}/p/registry.yaml`,
    url: `${server.url}/p/registry.yaml`,
    manifest: await sha256(remoteManifest),
    modules: { [`${server.url}/p/hooks.ts`]: await sha256(HOOKS) },
  });
  equal(lock.plugins.jsr?.jsrVersion, "1.2.0");
  equal(lock.plugins.jsr?.url, `${server.url}/@acme/hooks/1.2.0/registry.yaml`);
  deepEqual(lock.plugins.jsr?.modules, {
    [`${server.url}/@acme/hooks/1.2.0/hooks.ts`]: await sha256(HOOKS),
  });

  const path = lockPathFor(mapUrl);
  equal(path.href, t.url("plugins.lock.json"));
  await writeLock(path, lock);
  deepEqual(await readLock(path), lock);
  const text = await Deno.readTextFile(path);
  ok(text.endsWith("}\n"));
  deepEqual(Object.keys(JSON.parse(text).plugins), ["jsr", "local", "remote"]);
});

Deno.test("readLock: a missing file is undefined, an invalid one a ConfigError", async () => {
  const t = await tree({
    "bad.json": JSON.stringify({
      version: 1,
      plugins: { x: { specifier: "./x", url: "u", manifest: "md5-1", modules: {} } },
    }),
    "garbage.json": "{not json",
  });
  equal(await readLock(`${t.dir}/none.json`), undefined);
  await rejects(readLock(`${t.dir}/bad.json`), (error: unknown) => {
    ok(error instanceof ConfigError);
    equal(error.issues[0]?.path, "plugins.x.manifest");
    return true;
  });
  await rejects(readLock(`${t.dir}/garbage.json`), ConfigError);
});

Deno.test("lock file schema: pins need sha256 integrity and a known format version", async () => {
  const { LockSchema } = await import("../../src/trust/_lock_schema.ts");
  const v = await import("valibot");
  const pin = {
    specifier: "./r.yaml",
    url: "file:///r.yaml",
    manifest: `sha256-${"0".repeat(64)}`,
    modules: {},
  };
  equal(v.is(LockSchema, { version: 1, plugins: { a: pin } }), true);
  equal(v.is(LockSchema, { version: 1, plugins: { a: { ...pin, manifest: "md5-0" } } }), false);
  equal(v.is(LockSchema, { version: 2, plugins: {} }), false);
});
