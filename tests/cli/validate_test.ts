import { deepEqual, equal, match, ok } from "node:assert/strict";
import { tree } from "../_helpers/fixtures.ts";
import { fakeJsr, serve } from "../_helpers/server.ts";
import { cli, parsed, project } from "./_helpers.ts";

Deno.test("validate: every manifest of the map, problems as url:line:column, exit 1", async () => {
  const { dir } = await project();
  const run = await cli(["validate"], { cwd: dir });
  equal(run.code, 1);
  match(
    run.stdout,
    /^file:\/\/.*broken\/registry\.yaml:4:5: error: endpoint\.bad\.clas: Unknown key "clas" in an implementation entry \(did you mean "class"\?\) \[schema_invalid\]$/m,
  );
  match(
    run.stdout,
    /^file:\/\/.*old\/registry\.yaml:\d+:\d+: error: plugin\.requires\.bench: .*\[requirement_unmet\]$/m,
  );
  match(run.stdout, /^failed: checked 4 manifests, 6 implementations: \d+ errors, 0 warnings$/m);
  ok(!run.stdout.includes("export_missing"), "exports are checked only with --imports");
});

Deno.test("validate MANIFEST: a valid file exits 0", async () => {
  const { dir } = await project();
  const run = await cli(["validate", "alpha/registry.yaml", "beta/registry.yaml"], { cwd: dir });
  equal(run.code, 0, run.stdout + run.stderr);
  equal(run.stdout, "ok: checked 2 manifests, 5 implementations\n");
});

Deno.test("validate --imports: missing exports, without running plugin code", async () => {
  const { dir } = await project({
    "alpha/chat.ts":
      "throw new Error('plugin code ran');\nexport class Chat {}\nexport default function log(): string {\n  return 'log';\n}\n",
  });
  const run = await cli(["validate", "alpha/registry.yaml", "--imports"], { cwd: dir });
  equal(run.code, 1);
  match(
    run.stdout,
    /alpha\/registry\.yaml:14:10: error: endpoint\.ghost\.class: "file:\/\/.*alpha\/chat\.ts" has no export "Nope"; it exports: Chat, default \[export_missing\]/,
  );
  match(
    run.stdout,
    /^failed: checked 1 manifest, 3 implementations \(with imports\): 1 error, 0 warnings$/m,
  );
  ok(!run.stderr.includes("plugin code ran"));
});

Deno.test("validate --imports: a module that cannot be resolved, and re-exports", async () => {
  const { dir } = await tree({
    "registry.yaml": `plugin: {name: re, version: 1.0.0}
hook:
  a: ./index.ts#Alpha
  b: ./index.ts#Beta
  gone: ./gone.ts#X
`,
    "index.ts": "export { Impl as Alpha } from './impl.ts';\nexport * from './beta.ts';\n",
    "impl.ts": "export class Impl {}\n",
    "beta.ts": "export class Beta {}\n",
  });
  const out = parsed<
    { valid: boolean; diagnostics: { code: string; path: string; message: string }[] }
  >(
    await cli(["validate", "registry.yaml", "--imports", "--json"], { cwd: dir }),
  );
  equal(out.valid, false);
  deepEqual(out.diagnostics.map((d) => [d.code, d.path]), [["import_failed", "hook.gone.class"]]);
  match(out.diagnostics[0]!.message, /gone\.ts/);
});

Deno.test("validate --json: the documented shape", async () => {
  const { dir } = await project();
  const run = await cli(["validate", "--json"], { cwd: dir });
  equal(run.code, 1);
  const out = parsed<
    { valid: boolean; manifests: Record<string, unknown>[]; diagnostics: Record<string, unknown>[] }
  >(run);
  equal(out.valid, false);
  deepEqual(out.manifests[0], {
    name: "alpha",
    specifier: "./alpha/registry.yaml",
    url: new URL("alpha/registry.yaml", `file://${dir}/`).href,
    status: "ok",
    implementations: 3,
  });
  const typo = out.diagnostics.find((d) => d.path === "endpoint.bad.clas");
  deepEqual(Object.keys(typo!).sort(), [
    "code",
    "column",
    "line",
    "message",
    "path",
    "plugin",
    "severity",
    "url",
  ]);
});

Deno.test("validate: YAML syntax errors, missing files and plugins named after their manifests", async () => {
  const { dir } = await tree({
    "a/registry.yaml": "plugin: {name: first}\nhook:\n  x: [unclosed\n",
    "b/registry.yaml": "hook:\n  y: ./y.ts\n",
  });
  const run = await cli([
    "validate",
    "a/registry.yaml",
    "b/registry.yaml",
    "nowhere.yaml",
    "--json",
  ], {
    cwd: dir,
  });
  equal(run.code, 1);
  const out = parsed<
    {
      manifests: { name: string; status: string }[];
      diagnostics: { code: string; plugin: string }[];
    }
  >(run);
  deepEqual(out.manifests.map((m) => m.status), ["broken", "ok", "broken"]);
  equal(out.manifests[1]!.name, "b-registry");
  deepEqual(out.diagnostics.map((d) => d.code).sort(), ["not_found", "yaml_syntax"]);
});

Deno.test("validate: remote manifests over loopback http, and jsr: from a local JSR", async () => {
  await using server = serve({
    "/p/registry.yaml":
      "plugin: {name: remote, version: 1.0.0}\nhook:\n  ok: ./mod.ts#Hook\n  bad: ./mod.ts#Missing\n",
    "/p/mod.ts": "export class Hook {}\n",
  });
  await fakeJsr(server, "@acme/hooks", {
    "1.0.0": {
      files: { "registry.yaml": "plugin: {name: hooks, version: 1.0.0}\nhook:\n  j: ./mod.ts\n" },
    },
    "1.4.0": {
      files: {
        "registry.yaml":
          "plugin: {name: hooks, version: 1.4.0}\nhook:\n  j:\n    klass: ./mod.ts\n",
      },
    },
  });
  const dir = await Deno.makeTempDir();
  const remote = await cli(["validate", `${server.url}/p/registry.yaml`, "--imports"], {
    cwd: dir,
  });
  equal(remote.code, 1, remote.stderr);
  match(
    remote.stdout,
    /^http:\/\/127\.0\.0\.1:\d+\/s-[0-9a-f]+\/p\/registry\.yaml:4:8: error: hook\.bad\.class: .*has no export "Missing"; it exports: Hook \[export_missing\]$/m,
  );
  const jsr = await cli(["validate", "jsr:@acme/hooks@^1/registry.yaml"], {
    cwd: dir,
    env: { JSR_URL: server.url },
  });
  equal(jsr.code, 1);
  match(
    jsr.stdout,
    new RegExp(
      `^${server.url}/@acme/hooks/1\\.4\\.0/registry\\.yaml:4:5: error: hook\\.j\\.klass: Unknown key "klass"`,
      "m",
    ),
  );
  const listed = parsed<{ plugins: { jsrVersion: string; url: string }[] }>(
    await cli(["list", "--json", "--map", "app.json"], {
      cwd: await (async () => {
        await Deno.writeTextFile(
          `${dir}/app.json`,
          JSON.stringify({ plugins: { hooks: "jsr:@acme/hooks@~1.0/registry.yaml" } }),
        );
        return dir;
      })(),
      env: { JSR_URL: server.url },
    }),
  );
  equal(listed.plugins[0]?.jsrVersion, "1.0.0");
});

Deno.test("validate: --imports is a flag; an unknown option is a usage error", async () => {
  const run = await cli(["validate", "--import"]);
  equal(run.code, 2);
  match(
    run.stderr,
    /^error: Unknown option '--import'\nRun "plugins validate --help" for usage\.\n$/,
  );
});
