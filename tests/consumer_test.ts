// plugmap imported the ways another project imports it: by relative path, absolute path, file:
// URL and http: URL from a project whose deno.json knows nothing of plugmap's dependencies, and
// through a workspace and "links". Each consumer is a throwaway project in a temp directory; it
// imports mod.ts and every subpath export, passes `deno check`, and runs a small host app.
import { deepEqual, equal, ok } from "node:assert/strict";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { serve } from "./_helpers/server.ts";
import { jsrRegistry } from "./_helpers/jsr_registry.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const DENO = Deno.execPath();

const SUBPATHS = {
  ".": "mod.ts",
  "./manifest": "src/manifest/mod.ts",
  "./sources": "src/sources/mod.ts",
  "./trust": "src/trust/mod.ts",
  "./cli": "src/cli/main.ts",
  "./bench": "src/bench/mod.ts",
};

Deno.test("consumer: the subpaths tested here are deno.json's exports", async () => {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  deepEqual(
    Object.fromEntries(Object.entries(config.exports).map(([k, v]) => [k, String(v).slice(2)])),
    SUBPATHS,
  );
});

/**
 * A small host app, like the README's quick start, importing plugmap from `base`; with `bench`
 * (the default) it also runs a short benchmark.
 */
function app(base: (subpath: string) => string, bench = true): string {
  const library = `import { createRegistry, formatDiagnostic, loadPluginMap } from "${base(".")}";
import { parseManifest } from "${base("./manifest")}";
import { toUrl } from "${base("./sources")}";
import { defaultCacheDir } from "${base("./trust")}";
import { main } from "${base("./cli")}";
// The app's own schema library, at its own version: plugmap takes any Standard Schema.
import * as v from "npm:valibot@^1.0.0";

interface PhaseHook {
  onPhaseStart(phase: string): string;
}

const registry = await createRegistry({
  host: { name: "consumer", version: "1.0.0" },
  categories: {
    phase_hook: { description: "Hooks", instance: v.object({ onPhaseStart: v.function() }) },
  },
  plugins: await loadPluginMap(new URL("./deno.json", import.meta.url)),
});
for (const d of registry.diagnostics) console.log(formatDiagnostic(d));
const hooks = registry.factory<PhaseHook>("phase_hook");
const hook = await hooks.create("shout", { prefix: ">>" });
console.log(hooks.list().map((i) => i.qualifiedName).join(","));
console.log(hook.onPhaseStart("warmup"));
console.log(parseManifest("endpoint:\\n  chat: ./chat.ts\\n").categories["endpoint"]?.["chat"]?.class);
console.log(toUrl("/x/y.yaml").href, typeof defaultCacheDir);
let schema = "";
await main(["schema"], { out: (text) => { schema += text; }, err: () => {}, colorOut: false, colorErr: false, cwd: "/" });
console.log(JSON.parse(schema).title.includes("registry.yaml"));
`;
  if (!bench) return library;
  return `import { BENCH_HOST, main as bench } from "${base("./bench")}";
${library}// The benchmark, run from wherever plugmap came from: a short run against its embedded server.
let table = "";
const status = await bench(["--request-count", "3", "--warmup-request-count", "0", "--no-progress"], {
  stdout: (text) => void (table += text), stderr: () => {}, terminal: false, signals: false,
});
console.log(BENCH_HOST.name, status, table.includes("Request Count"));
`;
}

const EXPECTED = [
  "loud/shout",
  ">> WARMUP",
  "./chat.ts",
  "file:///x/y.yaml function",
  "true",
  "plugmap-bench 0 true",
];

/** A consumer project: a deno.json with a plugin map and nothing about plugmap's dependencies. */
async function consumer(extra: Record<string, unknown> = {}): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-consumer-" });
  await Deno.mkdir(join(dir, "loud"));
  await Deno.writeTextFile(
    join(dir, "loud/registry.yaml"),
    "plugin: {name: loud, version: 1.0.0}\nphase_hook:\n  shout:\n    class: ./hook.ts#Shout\n" +
      "    config_schema:\n      prefix: {type: string, required: true}\n",
  );
  await Deno.writeTextFile(
    join(dir, "loud/hook.ts"),
    "export class Shout {\n  constructor(readonly config: { prefix: string }) {}\n" +
      "  onPhaseStart(phase: string): string {\n    return `${this.config.prefix} ${phase.toUpperCase()}`;\n  }\n}\n",
  );
  await Deno.writeTextFile(
    join(dir, "deno.json"),
    JSON.stringify({ ...extra, plugins: { loud: "./loud/registry.yaml" } }, null, 2),
  );
  return dir;
}

async function deno(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command(DENO, {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...env },
  }).output();
  const out = new TextDecoder().decode(stdout);
  const err = new TextDecoder().decode(stderr);
  equal(code, 0, `deno ${args.join(" ")} failed:\n${out}\n${err}`);
  return out;
}

/** Type-checks and runs each app of a consumer; each must print the quick start's lines. */
async function checkAndRun(
  dir: string,
  apps: string[],
  allow: string[] = [],
  env: Record<string, string> = {},
) {
  await deno(dir, ["check", ...allow, ...apps], env);
  for (const file of apps) {
    // The benchmark part of the app starts its embedded server on 127.0.0.1 and talks to it.
    const permissions = allow.length > 0
      ? ["--allow-read", "--allow-env", "--allow-net=127.0.0.1", ...allow]
      : ["-A"];
    const out = await deno(dir, ["run", ...permissions, file], env);
    deepEqual(out.trim().split("\n"), EXPECTED, `${file} printed:\n${out}`);
  }
}

Deno.test("consumer: by relative path, absolute path and file: URL, with an empty import map", async () => {
  const dir = await consumer();
  const rel = relative(dir, ROOT).replaceAll("\\", "/");
  const ways = {
    "relative.ts": (s: string) => `./${rel}/${SUBPATHS[s as keyof typeof SUBPATHS]}`,
    "absolute.ts": (s: string) => join(ROOT, SUBPATHS[s as keyof typeof SUBPATHS]),
    "file_url.ts": (s: string) =>
      pathToFileURL(join(ROOT, SUBPATHS[s as keyof typeof SUBPATHS])).href,
  };
  for (const [file, base] of Object.entries(ways)) {
    await Deno.writeTextFile(join(dir, file), app(base));
  }
  const config = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
  equal(config.imports, undefined);
  await checkAndRun(dir, Object.keys(ways));
  await Deno.remove(dir, { recursive: true });
});

// @tsconfig/strictest's options, as a strict project has them. Deno checks local files with the
// importer's options, so plugmap's own files must pass them when imported by path (the bench is
// an application on its own subpath: not held to these).
const STRICTEST = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noPropertyAccessFromIndexSignature: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
};

Deno.test("consumer: by path, with @tsconfig/strictest's compiler options", async () => {
  const dir = await consumer({ compilerOptions: STRICTEST });
  const base = (s: string) => join(ROOT, SUBPATHS[s as keyof typeof SUBPATHS]);
  await Deno.writeTextFile(join(dir, "strict.ts"), app(base, false));
  await deno(dir, ["check", "strict.ts"]);
  const out = await deno(dir, ["run", "-A", "strict.ts"]);
  deepEqual(out.trim().split("\n"), EXPECTED.slice(0, -1), out);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("consumer: by http: URL from a loopback server", async () => {
  // The repository's files, served as a static host would, with TypeScript content types.
  await using server = serve({});
  const files = new TextDecoder().decode(
    (await new Deno.Command("git", { args: ["ls-files", "mod.ts", "src"], cwd: ROOT }).output())
      .stdout,
  ).trim().split("\n");
  ok(files.length > 50);
  for (const file of files) {
    const bytes = await Deno.readFile(join(ROOT, file));
    server.routes.set(`/plugmap/${file}`, bytes);
  }
  const dir = await consumer();
  const host = new URL(server.url).host;
  await Deno.writeTextFile(
    join(dir, "http.ts"),
    app((s) => `${server.url}/plugmap/${SUBPATHS[s as keyof typeof SUBPATHS]}`),
  );
  await checkAndRun(dir, ["http.ts"], [`--allow-import=${host}`]);
  ok(server.requests.includes("/plugmap/src/_deps/valibot.ts"));
  await Deno.remove(dir, { recursive: true });
});

/** The repository's tracked files under `paths` (all of them by default), copied into `dir`. */
async function copyTracked(dir: string, paths: string[] = []): Promise<void> {
  const files = new TextDecoder().decode(
    (await new Deno.Command("git", { args: ["ls-files", ...paths], cwd: ROOT }).output()).stdout,
  ).trim().split("\n");
  for (const file of files) {
    await Deno.mkdir(join(dir, file, ".."), { recursive: true });
    await Deno.copyFile(join(ROOT, file), join(dir, file));
  }
}

/** The library's files (what `deno publish` uploads), copied into `dir`. */
async function copyLibrary(dir: string): Promise<void> {
  await copyTracked(dir, ["mod.ts", "deno.json", "src", "schema", "README.md", "LICENSE"]);
  // The library's own deno.json, without the repository's tasks and tools' imports.
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  await Deno.writeTextFile(
    join(dir, "deno.json"),
    JSON.stringify({ name: config.name, version: config.version, exports: config.exports }),
  );
}

Deno.test("consumer: through a workspace member and through links", async () => {
  const root = await Deno.makeTempDir({ prefix: "plugmap-workspace-" });
  await copyLibrary(join(root, "plugmap"));
  const bare = (s: string) => s === "." ? "@plugmap/plugmap" : `@plugmap/plugmap/${s.slice(2)}`;

  // A workspace: the app names plugmap by its package name; no import map anywhere.
  await Deno.writeTextFile(
    join(root, "deno.json"),
    JSON.stringify({ workspace: ["./plugmap", "./app"] }),
  );
  const app1 = await consumer();
  await Deno.rename(app1, join(root, "app"));
  await Deno.writeTextFile(join(root, "app/main.ts"), app(bare));
  await checkAndRun(join(root, "app"), ["main.ts"]);

  // "links": a jsr: dependency served from a local checkout instead of the registry.
  const linked = await consumer({
    links: [join(root, "plugmap")],
    imports: { "@plugmap/plugmap": "jsr:@plugmap/plugmap@^0.2.0" },
  });
  await Deno.writeTextFile(join(linked, "main.ts"), app(bare));
  await checkAndRun(linked, ["main.ts"]);
  await Deno.remove(root, { recursive: true });
  await Deno.remove(linked, { recursive: true });
});

Deno.test("consumer: through JSR, after a real `deno publish` to a JSR-like registry", async () => {
  // The repository as `deno publish` sees it on a clean clone (tracked files, its own deno.json
  // with its "publish" excludes), published with a token to a loopback registry.
  await using registry = jsrRegistry();
  const env = { JSR_URL: registry.url };
  const source = await Deno.makeTempDir({ prefix: "plugmap-publish-" });
  await copyTracked(source);
  await deno(source, ["publish", "--token", "test-token"], env);
  deepEqual(registry.tokens, ["test-token"]);
  const files = registry.published.get("@plugmap/plugmap@0.2.0");
  ok(files?.["mod.ts"] && files["src/bench/mod.ts"] && files["deno.json"], "published files");
  ok(!Object.keys(files).some((path) => path.startsWith("tests/")), "tests/ is not published");

  // A project that only did `deno add jsr:@plugmap/plugmap` imports it by its package name.
  const dir = await consumer();
  await deno(dir, ["add", "jsr:@plugmap/plugmap"], env);
  const config = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
  equal(config.imports["@plugmap/plugmap"], "jsr:@plugmap/plugmap@^0.2.0");
  const bare = (s: string) => s === "." ? "@plugmap/plugmap" : `@plugmap/plugmap/${s.slice(2)}`;
  await Deno.writeTextFile(join(dir, "main.ts"), app(bare));
  // And one that names the jsr: specifier in full, with no import map at all.
  await Deno.writeTextFile(
    join(dir, "full.ts"),
    app((s) => `jsr:@plugmap/plugmap@^0.2.0${s === "." ? "" : s.slice(1)}`),
  );
  await checkAndRun(dir, ["main.ts", "full.ts"], [], env);
  ok(registry.requests.includes("/@plugmap/plugmap/0.2.0/src/_deps/valibot.ts"));

  // The benchmark straight from the registry: `deno run -A jsr:@plugmap/plugmap/bench`.
  const table = await deno(dir, [
    "run",
    "-A",
    "jsr:@plugmap/plugmap/bench",
    "--request-count",
    "3",
    "--warmup-request-count",
    "0",
    "--no-progress",
  ], env);
  ok(/Request Count \(requests\) │ +3 /.test(table), table);

  // `plugins init` from the registry reads its templates (published files) over http(s).
  ok(files["src/cli/templates/plugin.ts"] && files["src/bench/scaffold/templates/README.md"]);
  await deno(dir, ["run", "-A", "jsr:@plugmap/plugmap/cli", "init", "made", "--name", "made"], env);
  const manifest = await Deno.readTextFile(join(dir, "made", "registry.yaml"));
  ok(manifest.includes("  name: made\n") && manifest.includes("class: ./hello.ts#Hello"), manifest);
  await Deno.remove(source, { recursive: true });
  await Deno.remove(dir, { recursive: true });
});
