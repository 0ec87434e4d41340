import { deepEqual, equal, match, ok } from "node:assert/strict";
import { readLock } from "../../src/trust/mod.ts";
import { tree } from "../_helpers/fixtures.ts";
import { fakeJsr, serve, type TestServer } from "../_helpers/server.ts";
import { cli, parsed, project } from "./_helpers.ts";

const HOOK = "export class Hook {}\n";
const manifest = (name: string, version = "1.0.0") =>
  `plugin: {name: ${name}, version: ${version}}\nphase_hook:\n  ${name}: ./hook.ts#Hook\n`;

// A project whose map has a local, a loopback http and a jsr: plugin, and its own cache.
async function lockable(server: TestServer, extra: Record<string, string> = {}) {
  server.routes.set("/r/registry.yaml", manifest("remote"));
  server.routes.set("/r/hook.ts", HOOK);
  await fakeJsr(server, "@acme/hooks", {
    "1.1.0": { files: { "registry.yaml": manifest("j", "1.1.0"), "hook.ts": HOOK } },
  });
  const t = await tree({
    "deno.json": JSON.stringify({
      name: "app",
      version: "1.0.0",
      plugins: {
        local: "./local/registry.yaml",
        remote: `${server.url}/r/registry.yaml`,
        j: "jsr:@acme/hooks@^1/registry.yaml",
        ...extra,
      },
    }),
    "local/registry.yaml": manifest("local"),
    "local/hook.ts": HOOK,
    "cache/.keep": "",
  });
  const env = { JSR_URL: server.url, PLUGMAP_CACHE: `${t.dir}/cache` };
  return { ...t, env };
}

Deno.test("lock: writes plugins.lock.json beside the map; --json shape", async () => {
  await using server = serve();
  const t = await lockable(server);
  const run = await cli(["lock"], { cwd: t.dir, env: t.env });
  equal(run.code, 0, run.stderr);
  match(run.stdout, new RegExp(`^Wrote ${t.url("plugins.lock.json")}$`, "m"));
  match(run.stdout, /^j\s+1\.1\.0\s+1\s+http:/m);
  const lock = await readLock(`${t.dir}/plugins.lock.json`);
  deepEqual(Object.keys(lock!.plugins).sort(), ["j", "local", "remote"]);
  equal(lock!.plugins.j?.jsrVersion, "1.1.0");
  deepEqual(Object.keys(lock!.plugins.remote!.modules), [`${server.url}/r/hook.ts`]);

  const json = parsed<{ lock: string; plugins: Record<string, unknown>; diagnostics: unknown[] }>(
    await cli(["lock", "--json"], { cwd: t.dir, env: t.env }),
  );
  equal(json.lock, t.url("plugins.lock.json"));
  deepEqual(json.plugins, lock!.plugins);
  deepEqual(json.diagnostics, []);
});

Deno.test("lock: the lock beside the map is verified by default; --frozen refuses unlisted plugins", async () => {
  await using server = serve();
  const t = await lockable(server);
  equal((await cli(["lock"], { cwd: t.dir, env: t.env })).code, 0);
  equal((await cli(["list", "--frozen"], { cwd: t.dir, env: t.env })).code, 0);

  // A newer jsr version is not taken: the lock pins 1.1.0.
  await fakeJsr(server, "@acme/hooks", {
    "1.1.0": { files: { "registry.yaml": manifest("j", "1.1.0"), "hook.ts": HOOK } },
    "1.9.0": { files: { "registry.yaml": manifest("j", "1.9.0"), "hook.ts": HOOK } },
  });
  const shown = parsed<{ plugin: { jsrVersion: string } }>(
    await cli(["show", "j", "--json"], { cwd: t.dir, env: t.env }),
  );
  equal(shown.plugin.jsrVersion, "1.1.0");

  server.routes.set("/r/registry.yaml", manifest("remote", "6.6.6"));
  equal(
    (await cli(["list"], { cwd: t.dir, env: t.env })).code,
    0,
    "the cache holds the verified manifest",
  );
  const uncached = { ...t.env, PLUGMAP_CACHE: `${t.dir}/other-cache` };
  const changed = await cli(["list"], { cwd: t.dir, env: uncached });
  equal(changed.code, 1);
  match(
    changed.stderr,
    /error: The manifest changed since it was locked: expected sha256-[0-9a-f]{64}, got sha256-[0-9a-f]{64} \[lock_mismatch\]/,
  );

  server.routes.set("/r/registry.yaml", manifest("remote"));
  const config = JSON.parse(await Deno.readTextFile(`${t.dir}/deno.json`));
  config.plugins.extra = "./local/registry.yaml";
  await Deno.writeTextFile(`${t.dir}/deno.json`, JSON.stringify(config));
  equal((await cli(["list"], { cwd: t.dir, env: t.env })).code, 0, "not frozen: read as usual");
  const frozen = await cli(["list", "--frozen", "--json"], { cwd: t.dir, env: t.env });
  equal(frozen.code, 1);
  deepEqual(
    parsed<{ diagnostics: { plugin: string; code: string }[] }>(frozen).diagnostics.map((d) => [
      d.plugin,
      d.code,
    ]),
    [["extra", "not_locked"]],
  );
  for (const command of [["show", "extra"], ["validate"]]) {
    const run = await cli([...command, "--frozen"], { cwd: t.dir, env: t.env });
    equal(run.code, 1, command.join(" "));
    match(run.stdout + run.stderr, /not_locked|not in the lock file/, command.join(" "));
  }
});

Deno.test("lock: a locked map is listed offline from the cache", async () => {
  const server = serve();
  const t = await lockable(server);
  equal((await cli(["lock"], { cwd: t.dir, env: t.env })).code, 0);
  const requests = server.requests.length;
  await server.close();
  const run = await cli(["list", "--frozen", "--json"], { cwd: t.dir, env: t.env });
  equal(run.code, 0, run.stderr);
  const out = parsed<{ plugins: { name: string; status: string }[]; diagnostics: unknown[] }>(run);
  deepEqual(out.diagnostics, []);
  deepEqual(out.plugins.map((p) => [p.name, p.status]), [
    ["local", "ok"],
    ["remote", "ok"],
    ["j", "ok"],
  ]);
  equal(server.requests.length, requests);
});

Deno.test("lock: an unreadable plugin writes nothing and exits 1", async () => {
  const { dir } = await project();
  const run = await cli(["lock"], { cwd: dir });
  equal(run.code, 1);
  match(run.stderr, /error: Not locked: "broken" cannot be read/);
  match(run.stderr, /\[schema_invalid\]/);
  ok(!(await exists(`${dir}/plugins.lock.json`)));
  const json = parsed<{ error: { code: string } }>(await cli(["lock", "--json"], { cwd: dir }));
  equal(json.error.code, "not_locked");
});

Deno.test("lock: --help, usage errors, an invalid lock file, --frozen with no lock", async () => {
  const help = await cli(["lock", "--help"]);
  equal(help.code, 0);
  match(help.stdout, /^Usage: plugins lock/);
  equal((await cli(["lock", "extra"])).code, 2);
  equal((await cli(["lock", "--frozen"])).code, 2);
  const t = await tree({
    "deno.json": JSON.stringify({ plugins: { a: "./a/registry.yaml" } }),
    "a/registry.yaml": manifest("a"),
    "a/hook.ts": HOOK,
  });
  const none = await cli(["list", "--frozen", "--json"], { cwd: t.dir });
  equal(none.code, 1);
  deepEqual(parsed<{ diagnostics: { code: string }[] }>(none).diagnostics.map((d) => d.code), [
    "not_locked",
  ]);
  equal((await cli(["validate", "a/registry.yaml", "--frozen"], { cwd: t.dir })).code, 2);
  await Deno.writeTextFile(`${t.dir}/plugins.lock.json`, '{"version": 2, "plugins": {}}');
  const bad = await cli(["list"], { cwd: t.dir });
  equal(bad.code, 1);
  match(bad.stderr, /plugins\.lock\.json: error: version: .* \[invalid_map\]/);
});

Deno.test("list CATEGORY NAME and show PLUGIN display declared permissions", async () => {
  const t = await tree({
    "deno.json": JSON.stringify({ plugins: { dd: "./dd/registry.yaml" } }),
    "dd/registry.yaml": `phase_hook:
  export:
    class: ./hook.ts#Hook
    permissions: {net: [api.datadoghq.com], env: [DD_API_KEY], run: true}
  plain: ./hook.ts#Hook
`,
    "dd/hook.ts": HOOK,
  });
  const one = await cli(["list", "phase_hook", "export"], { cwd: t.dir });
  equal(one.code, 0, one.stderr);
  match(
    one.stdout,
    /permissions:\s+--allow-net=api\.datadoghq\.com --allow-env=DD_API_KEY --allow-run$/m,
  );
  match((await cli(["list", "phase_hook", "plain"], { cwd: t.dir })).stdout, /permissions:\s+-$/m);
  const json = parsed<{ implementation: { permissions: unknown } }>(
    await cli(["list", "phase_hook", "export", "--json"], { cwd: t.dir }),
  );
  deepEqual(json.implementation.permissions, {
    net: ["api.datadoghq.com"],
    env: ["DD_API_KEY"],
    run: true,
  });
  const show = await cli(["show", "dd"], { cwd: t.dir });
  match(show.stdout, /^\s+phase_hook\s+export\s+selected\s+--allow-net=api\.datadoghq\.com/m);
  match(show.stdout, /^\s+phase_hook\s+plain\s+selected\s+-$/m);
  const shown = parsed<{ plugin: { implementations: { permissions: unknown }[] } }>(
    await cli(["show", "dd", "--json"], { cwd: t.dir }),
  );
  deepEqual(shown.plugin.implementations.map((i) => i.permissions), [
    { net: ["api.datadoghq.com"], env: ["DD_API_KEY"], run: true },
    {},
  ]);
});

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
