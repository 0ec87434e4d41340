import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import {
  ConfigError,
  createRegistry,
  type Lock,
  parsePluginMap,
  PluginLoadError,
  type RegistryOptions,
} from "../../mod.ts";
import { createLock, lockPathFor, writeLock } from "../../src/trust/mod.ts";
import { tree } from "../_helpers/fixtures.ts";
import { fakeJsr, serve } from "../_helpers/server.ts";

async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
  return `sha256-${Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

const categories = { phase_hook: { description: "Hooks" } };
const host = { name: "host", version: "1.0.0" };
const manifest = (name: string) =>
  `plugin: {name: ${name}, version: 1.0.0}\nphase_hook:\n  ${name}: ./hook.ts#Hook\n`;
// Each module bumps a global counter per evaluation, so a test can prove it was never imported.
const hookModule = (tag: string) =>
  `const g = globalThis as unknown as Record<string, number>;
g[${JSON.stringify(tag)}] = (g[${JSON.stringify(tag)}] ?? 0) + 1;
export class Hook { tag = ${JSON.stringify(tag)}; }\n`;
const evaluations = (tag: string) => (globalThis as unknown as Record<string, number>)[tag] ?? 0;

function options(map: Record<string, string>, extra: Partial<RegistryOptions> = {}) {
  return {
    host,
    categories,
    plugins: parsePluginMap(map, { url: "file:///app/deno.json" }),
    ...extra,
  } satisfies RegistryOptions;
}

async function lockOf(opts: RegistryOptions): Promise<Lock> {
  const registry = await createRegistry(opts);
  deepEqual(registry.diagnostics, []);
  return await createLock(registry);
}

Deno.test("lock: a changed remote manifest is refused, naming the expected and actual hash", async () => {
  await using server = serve({
    "/a/registry.yaml": manifest("a"),
    "/a/hook.ts": hookModule("a"),
    "/b/registry.yaml": manifest("b"),
    "/b/hook.ts": hookModule("b"),
  });
  const map = { a: `${server.url}/a/registry.yaml`, b: `${server.url}/b/registry.yaml` };
  const lock = await lockOf(options(map));
  const changed = manifest("a").replace("1.0.0", "1.0.1");
  server.routes.set("/a/registry.yaml", changed);
  const registry = await createRegistry(options(map, { lock }));
  equal(registry.diagnostics.length, 1);
  const [d] = registry.diagnostics;
  equal(d?.code, "lock_mismatch");
  equal(d?.severity, "error");
  equal(d?.plugin, "a");
  equal(
    d?.message,
    `The manifest changed since it was locked: expected ${lock.plugins.a?.manifest}, got ${await sha256(
      changed,
    )}`,
  );
  equal(registry.plugin("a")?.status, "broken");
  equal(registry.plugin("b")?.status, "ok");
  ok(registry.factory("phase_hook").has("b"));
  ok(!registry.factory("phase_hook").has("a"));
});

Deno.test("lock: a changed local manifest is refused; an unchanged one is verified", async () => {
  const t = await tree({
    "one/registry.yaml": manifest("one"),
    "two/registry.yaml": manifest("two"),
  });
  const map = parsePluginMap({ one: "./one/registry.yaml", two: "./two/registry.yaml" }, {
    url: t.url("deno.json"),
  });
  const opts = { host, categories, plugins: map };
  await writeLock(lockPathFor(map.url), await lockOf(opts));
  await Deno.writeTextFile(`${t.dir}/one/registry.yaml`, manifest("one") + "# edited\n");
  const registry = await createRegistry({ ...opts, lock: lockPathFor(map.url) });
  deepEqual(registry.diagnostics.map((d) => [d.plugin, d.code]), [["one", "lock_mismatch"]]);
  equal(registry.plugin("two")?.integrity, await sha256(manifest("two")));
});

Deno.test("lock: a jsr: range resolves to the locked version without asking the registry", async () => {
  await using server = serve();
  const files = (v: string) => ({
    files: { "registry.yaml": manifest("j").replace("1.0.0", v), "hook.ts": hookModule("j") },
  });
  await fakeJsr(server, "@acme/hooks", { "1.2.0": files("1.2.0") });
  const map = { j: "jsr:@acme/hooks@^1/registry.yaml" };
  const lock = await lockOf(options(map, { jsrUrl: server.url }));
  equal(lock.plugins.j?.jsrVersion, "1.2.0");
  await fakeJsr(server, "@acme/hooks", { "1.2.0": files("1.2.0"), "1.3.0": files("1.3.0") });
  const unlocked = await createRegistry(options(map, { jsrUrl: server.url }));
  equal(unlocked.plugin("j")?.jsrVersion, "1.3.0");
  server.requests.length = 0;
  const registry = await createRegistry(options(map, { jsrUrl: server.url, lock }));
  deepEqual(registry.diagnostics, []);
  equal(registry.plugin("j")?.jsrVersion, "1.2.0");
  equal(registry.plugin("j")?.metadata.version, "1.2.0");
  deepEqual(server.requests, ["/@acme/hooks/1.2.0/registry.yaml"], "no meta.json asked");
});

Deno.test("lock: a changed network module is refused before it is imported", async () => {
  const tag = `verify-${crypto.randomUUID()}`;
  const good = `good-${crypto.randomUUID()}`;
  await using server = serve({
    "/p/registry.yaml":
      "phase_hook:\n  bad: ./bad.ts#Hook\n  good: ./good.ts#Hook\n  pinless: ./pinless.ts#Hook\n",
    "/p/bad.ts": hookModule(tag),
    "/p/good.ts": hookModule(good),
    "/p/pinless.ts": hookModule(`pinless-${tag}`),
  });
  const map = { p: `${server.url}/p/registry.yaml` };
  const lock = await lockOf(options(map));
  deepEqual(Object.keys(lock.plugins.p!.modules), [
    `${server.url}/p/bad.ts`,
    `${server.url}/p/good.ts`,
    `${server.url}/p/pinless.ts`,
  ]);
  delete lock.plugins.p!.modules[`${server.url}/p/pinless.ts`];
  const evil = hookModule(tag).replace("tag =", "evil = true; tag =");
  server.routes.set("/p/bad.ts", evil);
  const registry = await createRegistry(options(map, { lock }));
  deepEqual(registry.diagnostics, []);
  const evilHash = await sha256(evil);
  await rejects(registry.factory("phase_hook").get("bad"), (error: unknown) => {
    ok(error instanceof PluginLoadError);
    equal(error.code, "refused");
    equal(
      error.message,
      `Cannot load "p/bad" from "${server.url}/p/bad.ts": The module changed since it was locked: expected ${
        lock.plugins.p!.modules[`${server.url}/p/bad.ts`]
      }, got ${evilHash}; it was not imported`,
    );
    return true;
  });
  equal(evaluations(tag), 0, "the changed module was never evaluated");
  await rejects(registry.factory("phase_hook").get("pinless"), (error: unknown) => {
    ok(error instanceof PluginLoadError);
    equal(error.code, "refused");
    match(error.message, /The lock pins no hash for this module/);
    return true;
  });
  equal((await registry.factory<{ tag: string }>("phase_hook").create("good")).tag, good);
  equal(evaluations(good), 1);
});

Deno.test("lock: a module that cannot be fetched for checking is an import failure", async () => {
  const server = serve({
    "/p/registry.yaml": "phase_hook:\n  h: ./h.ts#Hook\n",
    "/p/h.ts": hookModule(`gone-${crypto.randomUUID()}`),
  });
  const map = { p: `${server.url}/p/registry.yaml` };
  const lock = await lockOf(options(map));
  const registry = await createRegistry(options(map, { lock }));
  await server.close();
  await rejects(registry.factory("phase_hook").get("h"), (error: unknown) => {
    ok(error instanceof PluginLoadError);
    equal(error.code, "import_failed");
    match(error.message, /Cannot fetch it to check its locked hash/);
    return true;
  });
});

Deno.test("frozen: a plugin the lock does not list is refused", async () => {
  const t = await tree({ "a/registry.yaml": manifest("a"), "b/registry.yaml": manifest("b") });
  const url = t.url("deno.json");
  const lockPath = lockPathFor(url);
  const only = { host, categories, plugins: parsePluginMap({ a: "./a/registry.yaml" }, { url }) };
  await writeLock(lockPath, await lockOf(only));
  const both = {
    host,
    categories,
    plugins: parsePluginMap({ a: "./a/registry.yaml", b: "./b/registry.yaml" }, { url }),
  };
  const loose = await createRegistry({ ...both, lock: lockPath });
  deepEqual(loose.diagnostics, [], "without frozen, unlisted plugins are read as usual");
  const frozen = await createRegistry({ ...both, lock: lockPath, frozen: true });
  deepEqual(frozen.diagnostics.map((d) => [d.plugin, d.code, d.severity]), [
    ["b", "not_locked", "error"],
  ]);
  match(frozen.diagnostics[0]!.message, /"b" is not in the lock file/);
  equal(frozen.plugin("b")?.status, "broken");
  ok(frozen.factory("phase_hook").has("a"));
});

Deno.test("frozen: a missing lock file refuses every plugin; frozen without a lock is a TypeError", async () => {
  const t = await tree({ "a/registry.yaml": manifest("a") });
  const url = t.url("deno.json");
  const opts = { host, categories, plugins: parsePluginMap({ a: "./a/registry.yaml" }, { url }) };
  const unlocked = await createRegistry({ ...opts, lock: lockPathFor(url) });
  deepEqual(unlocked.diagnostics, [], "a lock file not written yet means no lock");
  const frozen = await createRegistry({ ...opts, lock: lockPathFor(url), frozen: true });
  deepEqual(frozen.diagnostics.map((d) => d.code), ["not_locked"]);
  await rejects(createRegistry({ ...opts, frozen: true }), TypeError);
});

Deno.test("lock: a map entry whose specifier differs from the lock is refused", async () => {
  const t = await tree({ "a/registry.yaml": manifest("a"), "a/other.yaml": manifest("a") });
  const url = t.url("deno.json");
  const lock = await lockOf({
    host,
    categories,
    plugins: parsePluginMap({ a: "./a/registry.yaml" }, { url }),
  });
  const registry = await createRegistry({
    host,
    categories,
    plugins: parsePluginMap({ a: "./a/other.yaml" }, { url }),
    lock,
  });
  deepEqual(registry.diagnostics.map((d) => d.code), ["lock_mismatch"]);
  match(registry.diagnostics[0]!.message, /the lock pins "\.\/a\/registry\.yaml"/);
});

Deno.test("lock: an invalid lock file makes discovery throw a ConfigError", async () => {
  const t = await tree({ "plugins.lock.json": '{"version": 1, "plugins": {"a": {}}}' });
  await rejects(
    createRegistry(options({}, { lock: `${t.dir}/plugins.lock.json` })),
    (error: unknown) => error instanceof ConfigError && error.issues.length > 0,
  );
});

Deno.test("cache: a locked map is discovered with no network at all", async () => {
  const cacheDir = await Deno.makeTempDir({ prefix: "plugmap-cache-" });
  const server = serve({
    "/a/registry.yaml": manifest("a"),
    "/a/hook.ts": hookModule("offline-a"),
  });
  await fakeJsr(server, "@acme/hooks", {
    "1.0.0": { files: { "registry.yaml": manifest("j"), "hook.ts": hookModule("offline-j") } },
  });
  const map = { a: `${server.url}/a/registry.yaml`, j: "jsr:@acme/hooks@^1/registry.yaml" };
  const lock = await lockOf(options(map, { jsrUrl: server.url, cacheDir }));
  const cached = [...Deno.readDirSync(cacheDir)].map((e) => e.name).filter((n) => n !== "snapshots")
    .sort();
  deepEqual(cached, [lock.plugins.a!.manifest, lock.plugins.j!.manifest].sort());
  const requests = server.requests.length;
  await server.close();

  const registry = await createRegistry(
    options(map, { jsrUrl: server.url, lock, cacheDir, frozen: true }),
  );
  deepEqual(registry.diagnostics, []);
  equal(server.requests.length, requests, "no request reached the (closed) server");
  equal(registry.plugin("j")?.jsrVersion, "1.0.0");
  equal(registry.plugin("a")?.integrity, lock.plugins.a!.manifest);
  ok(registry.factory("phase_hook").has("a") && registry.factory("phase_hook").has("j"));

  // Without the cache the same discovery needs the network, which is gone.
  const uncached = await createRegistry(options(map, { jsrUrl: server.url, lock }));
  deepEqual(uncached.diagnostics.map((d) => d.code).sort(), ["network", "network"]);
});

Deno.test("cache: a corrupt entry is ignored and replaced; no temporary file is left", async () => {
  const cacheDir = await Deno.makeTempDir({ prefix: "plugmap-cache-" });
  await using server = serve({ "/a/registry.yaml": manifest("a"), "/a/hook.ts": hookModule("c") });
  const map = { a: `${server.url}/a/registry.yaml` };
  const lock = await lockOf(options(map, { cacheDir }));
  const entry = `${cacheDir}/${lock.plugins.a!.manifest}`;
  await Deno.writeTextFile(entry, "phase_hook:\n  evil: ./evil.ts\n");
  server.requests.length = 0;
  const registry = await createRegistry(options(map, { lock, cacheDir }));
  deepEqual(registry.diagnostics, []);
  ok(registry.factory("phase_hook").has("a"));
  deepEqual(server.requests, ["/a/registry.yaml"], "the corrupt entry sent it to the network");
  equal(await Deno.readTextFile(entry), manifest("a"));
  deepEqual(
    [...Deno.readDirSync(cacheDir)].map((e) => e.name).filter((n) => n !== "snapshots"),
    [lock.plugins.a!.manifest],
  );
});

Deno.test("cache: a cache directory that cannot be written is skipped, not an error", async () => {
  const t = await tree({ "file": "not a directory\n" });
  await using server = serve({ "/a/registry.yaml": manifest("a") });
  const map = { a: `${server.url}/a/registry.yaml` };
  const registry = await createRegistry(options(map, { cacheDir: `${t.dir}/file/cache` }));
  deepEqual(registry.diagnostics, []);
  ok(registry.factory("phase_hook").has("a"));
});

Deno.test("integrity: local manifests are hashed when asked", async () => {
  const t = await tree({ "a/registry.yaml": manifest("a") });
  const plugins = parsePluginMap({ a: "./a/registry.yaml" }, { url: t.url("deno.json") });
  const plain = await createRegistry({ host, categories, plugins });
  equal(plain.plugin("a")?.integrity, undefined);
  const hashed = await createRegistry({ host, categories, plugins, integrity: true });
  equal(hashed.plugin("a")?.integrity, await sha256(manifest("a")));
});
