import { deepEqual, equal, match, ok } from "node:assert/strict";
import { cli, cliProcess, parsed, project } from "./_helpers.ts";

Deno.test("list: every plugin with version, status, counts and source; errors exit 1", async () => {
  const { dir } = await project();
  const run = await cli(["list"], { cwd: dir });
  equal(run.code, 1);
  match(run.stdout, /^PLUGIN\s+VERSION\s+STATUS\s+IMPLEMENTATIONS\s+SOURCE$/m);
  match(
    run.stdout,
    /^alpha\s+1\.2\.0\s+ok\s+endpoint: 2, phase_hook: 1\s+file:\/\/.*alpha\/registry\.yaml$/m,
  );
  match(run.stdout, /^broken\s+-\s+broken\s+-\s+file:/m);
  match(run.stdout, /^old\s+0\.1\.0\s+incompatible/m);
  // Diagnostics go to stderr, url:line:column first.
  match(
    run.stderr,
    /broken\/registry\.yaml:4:5: error: endpoint\.bad\.clas: Unknown key "clas".*\[schema_invalid\]/,
  );
  match(
    run.stderr,
    /old\/registry\.yaml:\d+:\d+: error: plugin\.requires\.bench: Requires bench >=2\.0\.0, but the host bench is version 1\.0\.0.*\[requirement_unmet\]/,
  );
  ok(!run.stdout.includes("\x1b["), "no colour when not a terminal");
});

Deno.test("list --json: the documented shape", async () => {
  const { dir } = await project();
  const run = await cli(["list", "--json"], { cwd: dir });
  equal(run.code, 1);
  equal(run.stderr, "");
  const out = parsed<
    { plugins: Record<string, unknown>[]; diagnostics: Record<string, unknown>[] }
  >(run);
  deepEqual(out.plugins.map((p) => [p.name, p.status]), [
    ["alpha", "ok"],
    ["beta", "ok"],
    ["broken", "broken"],
    ["old", "incompatible"],
  ]);
  const alpha = out.plugins[0]!;
  deepEqual(Object.keys(alpha).sort(), [
    "builtin",
    "description",
    "implementations",
    "integrity",
    "jsrVersion",
    "name",
    "specifier",
    "status",
    "url",
    "version",
  ]);
  deepEqual(alpha.implementations, { endpoint: 2, phase_hook: 1 });
  equal(alpha.version, "1.2.0");
  equal(alpha.jsrVersion, null);
  // Set when discovery hashed the manifest (the registry hashes only when asked).
  ok(alpha.integrity === null || /^sha256-[0-9a-f]{64}$/.test(String(alpha.integrity)));
  ok(out.diagnostics.some((d) => d.code === "schema_invalid" && d.line === 4 && d.column === 5));
});

Deno.test("list CATEGORY: every implementation with plugin, status and description", async () => {
  const { dir } = await project();
  const run = await cli(["list", "endpoint"], { cwd: dir });
  match(run.stdout, /^NAME\s+PLUGIN\s+STATUS\s+DESCRIPTION$/m);
  match(run.stdout, /^chat\s+alpha\s+selected\s+Chat endpoint$/m);
  match(run.stdout, /^chat\s+beta\s+shadowed\s+Another chat$/m);
  match(run.stdout, /^off\s+beta\s+disabled/m);
  match(run.stdout, /^legacy\s+old\s+incompatible/m);
  const json = parsed<
    {
      category: string;
      implementations: { qualifiedName: string; status: string; reason: string }[];
    }
  >(
    await cli(["list", "endpoint", "--json"], { cwd: dir }),
  );
  equal(json.category, "endpoint");
  deepEqual(
    json.implementations.map((i) => [i.qualifiedName, i.status]),
    [["alpha/chat", "selected"], ["beta/chat", "shadowed"], ["alpha/ghost", "selected"], [
      "old/legacy",
      "incompatible",
    ], ["beta/off", "disabled"]],
  );
  match(json.implementations[1]!.reason, /priority 5 beats 1/);
});

Deno.test("list CATEGORY NAME: one implementation in full, config fields included", async () => {
  const { dir } = await project();
  const run = await cli(["list", "endpoint", "chat"], { cwd: dir });
  equal(run.code, 0, run.stderr);
  match(run.stdout, /^endpoint chat \(alpha\/chat\)$/m);
  match(run.stdout, /class:\s+\.\/chat\.ts#Chat/);
  match(run.stdout, /module:\s+file:\/\/.*alpha\/chat\.ts/);
  match(run.stdout, /priority:\s+5/);
  match(run.stdout, /^\s+url\s+string\s+yes\s+-\s+CHAT_URL\s+Where to send$/m);
  match(run.stdout, /^\s+retries\s+integer\s+no\s+3\s+-$/m);
  const json = parsed<{ implementation: Record<string, unknown>; diagnostics: unknown[] }>(
    await cli(["list", "endpoint", "chat", "--json"], { cwd: dir }),
  );
  deepEqual(json.implementation.config, [
    {
      name: "url",
      type: "string",
      required: true,
      envVar: "CHAT_URL",
      description: "Where to send",
    },
    { name: "retries", type: "integer", required: false, default: 3 },
  ]);
  equal(json.implementation.exportName, "Chat");
  deepEqual(json.diagnostics, []);
  // A qualified name reaches the shadowed one.
  const beta = await cli(["list", "endpoint", "beta/chat"], { cwd: dir });
  equal(beta.code, 0);
  match(beta.stdout, /status:\s+shadowed: Shadowed by "alpha\/chat"/);
});

Deno.test("list: unknown category or name exits 1 with suggestions", async () => {
  const { dir } = await project();
  const category = await cli(["list", "endpoints"], { cwd: dir });
  equal(category.code, 1);
  match(category.stderr, /Cannot find category "endpoints" \(did you mean "endpoint"\?\)/);
  const name = await cli(["list", "endpoint", "chta"], { cwd: dir });
  equal(name.code, 1);
  match(name.stderr, /Cannot find endpoint "chta" \(did you mean "chat"\?\)/);
  const json = parsed<{ error: { code: string; message: string } }>(
    await cli(["list", "endpoint", "chta", "--json"], { cwd: dir }),
  );
  equal(json.error.code, "not_found");
});

Deno.test("list: --categories is the host's exact list; other sections are reported", async () => {
  const { dir } = await project();
  const run = await cli(["list", "--categories", "endpoint", "--json"], { cwd: dir });
  const out = parsed<
    {
      plugins: { name: string; implementations: Record<string, number> }[];
      diagnostics: { code: string; path?: string }[];
    }
  >(run);
  deepEqual(out.plugins[0]!.implementations, { endpoint: 2 });
  deepEqual(
    out.diagnostics.filter((d) => d.code === "unknown_category").map((d) => d.path),
    ["phase_hook"],
  );
  const none = await cli(["list", "--categories", ","], { cwd: dir });
  equal(none.code, 2);
});

Deno.test("list: --host overrides the map document's name and version", async () => {
  const { dir } = await project();
  const out = parsed<{ plugins: { name: string; status: string }[] }>(
    await cli(["list", "--host", "bench@2.1.0", "--json"], { cwd: dir }),
  );
  equal(out.plugins.find((p) => p.name === "old")?.status, "ok");
  const bad = await cli(["list", "--host", "bench"], { cwd: dir });
  equal(bad.code, 2);
  match(bad.stderr, /Invalid --host "bench": expected NAME@VERSION/);
});

Deno.test("list: --map names another document (YAML), relative to the working directory", async () => {
  const { dir } = await project({
    "config/app.yaml": "name: app\nversion: 1.0.0\nplugins:\n  alpha: ../alpha/registry.yaml\n",
  });
  const run = await cli(["list", "--map", "config/app.yaml"], { cwd: dir });
  equal(run.code, 0, run.stderr);
  match(run.stdout, /^alpha\s+1\.2\.0\s+ok/m);
  ok(!run.stdout.includes("beta"));
});

Deno.test("list: a missing or invalid map exits 1 with the problem", async () => {
  const empty = await Deno.makeTempDir();
  const missing = await cli(["list"], { cwd: empty });
  equal(missing.code, 1);
  match(missing.stderr, /deno\.json: error: Cannot read.*\[invalid_map\]/);
  const json = parsed<{ error: { code: string }; diagnostics: { code: string }[] }>(
    await cli(["list", "--json"], { cwd: empty }),
  );
  equal(json.error.code, "invalid_map");
  equal(json.diagnostics[0]?.code, "invalid_map");
  await Deno.writeTextFile(`${empty}/deno.json`, `{"plugins": {"a": 3}}`);
  const invalid = await cli(["list"], { cwd: empty });
  equal(invalid.code, 1);
  match(invalid.stderr, /deno\.json:1:19: error: plugins\.a: Expected a manifest specifier string/);
  await Deno.writeTextFile(`${empty}/deno.json`, `{"plugins": `);
  const unparsable = await cli(["list"], { cwd: empty });
  equal(unparsable.code, 1);
  match(unparsable.stderr, /Cannot parse/);
});

Deno.test("list: a map without plugins lists nothing and exits 0", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/deno.jsonc`, `{\n  // no plugins yet\n  "name": "x",\n}\n`);
  const run = await cli(["list"], { cwd: dir });
  equal(run.code, 0, run.stderr);
  match(run.stdout, /^No plugins in file:\/\/.*deno\.jsonc$/m);
});

Deno.test("list: an unmet requirement names the host checked against and suggests --host", async () => {
  const { dir } = await project();
  const documented = await cli(["list"], { cwd: dir });
  match(
    documented.stderr,
    /note: "requires" were checked against the host bench@1\.0\.0 \(from file:\/\/.*\/deno\.json\); for another application, pass --host NAME@VERSION/,
  );
  const given = await cli(["list", "--host", "bench@1.5.0"], { cwd: dir });
  match(given.stderr, /checked against the host bench@1\.5\.0 \(from --host\)/);
  const fine = await cli(["list", "--host", "bench@2.0.0"], { cwd: dir });
  ok(!fine.stderr.includes("note:"), "no requirement failed: no note");
  // A map document without a host: plugmap's own, said so.
  const map = JSON.parse(await Deno.readTextFile(`${dir}/deno.json`));
  await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify({ plugins: map.plugins }));
  match(
    (await cli(["list"], { cwd: dir })).stderr,
    /host plugmap@[^ ]+ \(plugmap's own: .* names no host\)/,
  );
});

Deno.test('list: the host from "plugins"."host", with no "name" for Deno to warn about', async () => {
  const { dir } = await project();
  const map = JSON.parse(await Deno.readTextFile(`${dir}/deno.json`));
  await Deno.writeTextFile(
    `${dir}/deno.json`,
    JSON.stringify({ plugins: { host: "bench@2.0.0", map: map.plugins } }),
  );
  const run = await cliProcess(["list", "--json"], { cwd: dir });
  equal(run.stderr, "", "Deno printed no warning");
  const out = parsed<{ plugins: { name: string; status: string }[] }>(run);
  equal(out.plugins.find((p) => p.name === "old")?.status, "ok", "checked against bench@2.0.0");
  await Deno.writeTextFile(
    `${dir}/deno.json`,
    JSON.stringify({ plugins: { host: "bench", map: map.plugins } }),
  );
  const bad = await cli(["list"], { cwd: dir });
  equal(bad.code, 1);
  match(bad.stderr, /plugins\.host.*Expected "NAME@VERSION"/);
});
