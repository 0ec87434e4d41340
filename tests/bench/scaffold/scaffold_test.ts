// Writing a benchmark plugin from the scaffold, as a new author does: `bench:plugins init`, the
// plugin's own `deno task test`, then a benchmark that maps it. Subprocesses from the checkout,
// with no JSR reachable (the scaffold links the checkout).
import { equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { scaffoldFiles } from "../../../src/bench/scaffold/scaffold_files.ts";
import { SCAFFOLD_CATEGORIES } from "../../../src/bench/scaffold/scaffold_files.ts";
import { main as pluginsMain } from "../../../src/bench/plugins.ts";
import { ROOT, tempTree } from "../_helpers.ts";

async function run(args: string[], cwd: string) {
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { NO_COLOR: "1", JSR_URL: "http://127.0.0.1:9" }, // JSR is out of reach
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("scaffold: init an exporter, its tests pass, a benchmark that maps it gets its file", async () => {
  const parent = await Deno.makeTempDir({ prefix: "plugmap-scaffold-" });
  const dir = join(parent, "csvx-plugin");
  try {
    const init = await run(
      ["task", "bench:plugins", "init", dir, "--category", "exporter", "--implementation", "csvx"],
      ROOT,
    );
    equal(init.code, 0, init.stderr);
    match(init.stdout, /Created benchmark plugin "csvx-plugin" \(exporter "csvx"\)/);

    const test = await run(["task", "test"], dir);
    equal(test.code, 0, test.stdout + test.stderr);
    match(test.stdout, /csvx runs in a short benchmark \.\.\. .*ok/);

    await Deno.writeTextFile(
      join(parent, "bench.yaml"),
      `phases: { warmup: { request_count: 1 }, profiling: { request_count: 5 } }
server: { ttft_ms: 1, itl_ms: 0, output_tokens: 3 }
exporters: [console, csvx]
plugins:
  map: { csvx: ./csvx-plugin/registry.yaml }
`,
    );
    const out = join(parent, "out");
    const bench = await run(
      ["task", "bench", "--config", join(parent, "bench.yaml"), "--output", out, "--no-progress"],
      ROOT,
    );
    equal(bench.code, 0, bench.stderr);
    match(bench.stdout, new RegExp(`Wrote ${out}/csvx\\.csv`));
    const lines = (await Deno.readTextFile(join(out, "csvx.csv"))).trimEnd().split("\n");
    equal(lines[0], "index,start_ms,latency_ms,error");
    equal(lines.length, 1 + 5);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("scaffold: every category's module implements its contract and runs (type-checked)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-scaffold-" });
  try {
    const modules: string[] = [];
    for (const category of SCAFFOLD_CATEGORIES) {
      const files = await scaffoldFiles({
        plugin: `my-${category.replaceAll("_", "-")}`,
        package: "@you/x",
        category,
        implementation: `my_${category}`,
        plugmapVersion: "0.0.0",
      });
      for (const [file, text] of Object.entries(files)) {
        await Deno.mkdir(join(dir, category), { recursive: true });
        // The tests run in this checkout, where @plugmap/plugmap is the package itself.
        await Deno.writeTextFile(join(dir, category, file), text);
        if (file.endsWith(".ts")) modules.push(join(dir, category, file));
      }
    }
    // Type-checked against the published contracts, then every scaffold test run.
    const test = await run(["test", "-A", "--config", join(ROOT, "deno.json"), ...modules], ROOT);
    equal(test.code, 0, test.stdout + test.stderr);
    match(test.stdout, /ok \| 6 passed \| 0 failed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bench:plugins init: usage errors, did-you-mean, existing files refused", async () => {
  const dir = await tempTree({ "taken/registry.yaml": "keep me\n" });
  try {
    let err = "";
    const io = { out: () => {}, err: (t: string) => void (err += t), cwd: dir };
    equal(await pluginsMain(["init", "x", "--category", "exportr"], io), 2);
    match(err, /unknown category "exportr" \(did you mean "exporter"\?\)/);
    equal(await pluginsMain(["init", "x", "--categroy", "exporter"], io), 2);
    match(err, /Unknown option '--categroy' \(did you mean "--category"\?\)/);
    equal(await pluginsMain(["init"], io), 2);
    match(err, /init: missing DIR/);
    equal(await pluginsMain(["lst"], io), 2);
    match(err, /Unknown command "lst" \(did you mean "list"\?\)/);
    equal(await pluginsMain(["init", "taken", "--category", "exporter"], io), 1);
    match(err, /cannot create ".*taken\/registry\.yaml": it already exists/);
    equal(await Deno.readTextFile(join(dir, "taken/registry.yaml")), "keep me\n");
    ok(!(await exists(join(dir, "taken/taken.ts"))), "nothing is written");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bench:plugins: the map commands get the host, its categories and built-ins", async () => {
  let out = "";
  const io = { out: (t: string) => void (out += t), err: () => {}, cwd: ROOT };
  equal(await pluginsMain(["--config", "examples/benchmark.yaml", "list", "--json"], io), 0);
  const list = JSON.parse(out) as { plugins: { name: string; status: string }[] };
  equal(list.plugins[0]?.name, "plugmap-bench");
  ok(list.plugins.every((p) => p.status === "ok"), out);
  ok(list.plugins.some((p) => p.name === "slo"), out);
});

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("plugins init from a checkout: the scaffold links it, its tests pass offline", async () => {
  const parent = await Deno.makeTempDir({ prefix: "plugmap-scaffold-" });
  const dir = join(parent, "hello");
  try {
    const init = await run(["task", "plugins", "init", dir], ROOT);
    equal(init.code, 0, init.stderr);
    const config = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
    equal(config.links?.[0], ROOT.replace(/\/$/, ""));
    const test = await run(["task", "test"], dir);
    equal(test.code, 0, test.stdout + test.stderr);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("plugins: an unknown command gets the nearest one", async () => {
  const { main } = await import("../../../src/cli/main.ts");
  let err = "";
  equal(await main(["lst"], { out: () => {}, err: (t) => void (err += t) }), 2);
  match(err, /Unknown command "lst" \(did you mean "list"\?\)/);
});

// The templates are real files (`deno check src/` type-checks them as they are); scaffolding
// fills every placeholder and points the imports at the package by name. The test above
// type-checks and runs what is scaffolded from them.
Deno.test("scaffold: every template placeholder is filled, imports name the package", async () => {
  const { scaffoldFiles: libraryFiles } = await import("../../../src/cli/_templates.ts");
  const made = [
    await libraryFiles({
      plugin: "hi",
      package: "@you/hi",
      category: "greeter",
      implementation: "hello",
      plugmap: "jsr:@plugmap/plugmap@^0.2.0",
    }),
  ];
  for (const category of SCAFFOLD_CATEGORIES) {
    made.push(
      await scaffoldFiles({
        plugin: "p",
        package: "@you/p",
        category,
        implementation: "impl",
        plugmapVersion: "0.2.0",
        checkout: "/c",
      }),
    );
  }
  for (const files of made) {
    equal(Object.keys(files).length, 5);
    for (const [file, text] of Object.entries(files)) {
      equal(/__[A-Za-z_]+__|\.\.\/mod\.ts|plugin(_check)?\.ts/.exec(text)?.[0], undefined, file);
      // The package by name, never a path into this repository.
      if (file.endsWith(".ts")) equal(/from "\.\.\//.exec(text)?.[0], undefined, file);
    }
  }
});
