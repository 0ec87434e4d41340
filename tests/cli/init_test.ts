import { deepEqual, equal, match, ok } from "node:assert/strict";
import { cli, parsed } from "./_helpers.ts";

const ROOT = new URL("../../", import.meta.url);

async function deno(args: string[], cwd: string) {
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  return { code: output.code, text };
}

// plugmap is not on JSR from here: the scaffold's own deno.json maps it to JSR; this import map
// stands in for that package, with the dependencies it brings.
async function localPlugmap(dir: string): Promise<string> {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  const path = `${dir}/../plugmap-import-map.json`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      imports: { ...config.imports, "@plugmap/plugmap": new URL("mod.ts", ROOT).href },
    }),
  );
  return path;
}

Deno.test({
  name: "init: the scaffold's own tests, fmt, lint, validate and publish --dry-run pass",
  sanitizeResources: false,
  async fn() {
    const parent = await Deno.makeTempDir();
    const run = await cli(["init", "greeter-plugin"], { cwd: parent });
    equal(run.code, 0, run.stderr);
    match(run.stdout, /^Created plugin "greeter-plugin" in .*greeter-plugin\/:$/m);
    const dir = `${parent}/greeter-plugin`;
    const files = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    deepEqual(files, ["README.md", "deno.json", "hello.ts", "hello_test.ts", "registry.yaml"]);
    const manifest = await Deno.readTextFile(`${dir}/registry.yaml`);
    match(
      manifest,
      /^# yaml-language-server: \$schema=https:\/\/jsr\.io\/@plugmap\/plugmap\/0\.2\.0\/schema\/registry\.schema\.json$/m,
    );
    const config = JSON.parse(await Deno.readTextFile(`${dir}/deno.json`));
    equal(config.name, "@you/greeter-plugin");
    equal(config.imports["@plugmap/plugmap"], "jsr:@plugmap/plugmap@^0.2.0");

    const importMap = await localPlugmap(dir);
    const test = await deno(
      ["test", "--no-lock", "--allow-read", `--import-map=${importMap}`],
      dir,
    );
    equal(test.code, 0, test.text);
    match(test.text, /3 passed/);
    const validate = await cli(["validate", "registry.yaml", "--imports"], { cwd: dir });
    equal(validate.code, 0, validate.stdout + validate.stderr);
    const fmt = await deno(["fmt", "--check"], dir);
    equal(fmt.code, 0, fmt.text);
    const lint = await deno(["lint"], dir);
    equal(lint.code, 0, lint.text);
    const publish = await deno(["publish", "--dry-run", "--no-lock"], dir);
    equal(publish.code, 0, publish.text);
    match(publish.text, /registry\.yaml/);
    ok(!publish.text.includes("hello_test.ts"), "tests are not published");
  },
});

Deno.test("init: options name the plugin, package, category and implementation", async () => {
  const parent = await Deno.makeTempDir();
  const run = await cli([
    "init",
    "x",
    "--name",
    "slo",
    "--package",
    "@acme/slo",
    "--category",
    "phase_hook",
    "--implementation",
    "slo_check",
    "--json",
  ], { cwd: parent });
  equal(run.code, 0, run.stderr);
  deepEqual(parsed(run), {
    directory: `${parent}/x/`,
    files: ["registry.yaml", "slo_check.ts", "slo_check_test.ts", "deno.json", "README.md"],
  });
  const manifest = await Deno.readTextFile(`${parent}/x/registry.yaml`);
  ok(manifest.includes("phase_hook:\n  slo_check:\n    class: ./slo_check.ts#SloCheck\n"));
  const listed = await cli(["validate", "x/registry.yaml"], { cwd: parent });
  equal(listed.code, 0, listed.stdout);
});

Deno.test("init: refuses to overwrite, and rejects bad names", async () => {
  const parent = await Deno.makeTempDir();
  equal((await cli(["init", "p"], { cwd: parent })).code, 0);
  const again = await cli(["init", "p"], { cwd: parent });
  equal(again.code, 1);
  match(again.stderr, /Cannot create ".*\/p\/registry\.yaml": it already exists/);
  const json = parsed<{ error: { code: string } }>(
    await cli(["init", "p", "--json"], { cwd: parent }),
  );
  equal(json.error.code, "exists");
  const badName = await cli(["init", "q", "--category", "no way"], { cwd: parent });
  equal(badName.code, 2);
  match(badName.stderr, /Invalid --category "no way": expected an identifier/);
  const badPackage = await cli(["init", "q", "--package", "acme"], { cwd: parent });
  equal(badPackage.code, 2);
  equal((await cli(["init"], { cwd: parent })).code, 2);
});
