/**
 * `deno task bench:plugins`: the `plugins` command line of the benchmark's host. `list`, `show`,
 * `validate`, `explain` and `lock` are the library's commands, run with the host's name and
 * version, its categories and built-ins, on the plugin map of a benchmark file (`--config FILE`,
 * before the command); `init DIR --category C --implementation N` writes a benchmark plugin.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { main as pluginsMain, type MainIo, PLUGMAP_VERSION } from "../cli/main.ts";
import { didYouMean } from "./_did_you_mean.ts";
import { BENCH_CATEGORIES, BENCH_HOST } from "./run/create_bench_registry.ts";
import {
  type BenchCategory,
  SCAFFOLD_CATEGORIES,
  scaffoldFiles,
} from "./scaffold/scaffold_files.ts";

/** `bench:plugins --help`. */
export const BENCH_PLUGINS_HELP =
  `Usage: deno task bench:plugins [--config FILE] <command> [options]

The plugins command line for the benchmark (host ${BENCH_HOST.name}@${BENCH_HOST.version}).

  --config FILE     The benchmark file whose plugins.map the commands read (in this
                    repository's task: examples/benchmark.yaml); --map FILE after the
                    command names any other plugin map

Commands:
  list [CATEGORY [NAME]]   The benchmark's plugins and built-ins, per category
  show PLUGIN              One plugin: metadata, implementations, problems
  validate [MANIFEST ...]  Validate manifests against the benchmark's host and categories
  explain CATEGORY NAME    Which implementation a name resolves to, and why
  lock                     Pin every plugin of the map in plugins.lock.json
  schema                   The manifest JSON Schema
  init DIR --category C --implementation N
                           Create a benchmark plugin (see init --help)

Categories: ${Object.keys(BENCH_CATEGORIES).join(", ")}.
`;

/** `bench:plugins init --help`. */
export const BENCH_INIT_HELP = `Usage: deno task bench:plugins init DIR [options]

Create a benchmark plugin in DIR: registry.yaml (requiring ${BENCH_HOST.name}>=${BENCH_HOST.version}), a
module implementing the category's contract from @plugmap/plugmap/bench, a test that runs it in a
short benchmark against the embedded server, deno.json and a README. From a checkout of plugmap,
deno.json links that checkout ("links"), so "deno task test" works offline; otherwise plugmap
comes from JSR.

Options:
  --category C          ${SCAFFOLD_CATEGORIES.join(", ")} (default: phase_hook)
  --implementation N    The implementation's name (default: the plugin's name)
  --name NAME           The plugin's name (default: DIR's last path segment)
  --package @SCOPE/NAME The JSR package name (default: @you/NAME)
  --from checkout|jsr   Where the plugin gets plugmap (default: checkout when this command
                        runs from one)
  -h, --help            This help

Exit status: 0, 1 when a file to create already exists, 2 on a usage error.
`;

// Commands of the library's CLI that read a plugin map, and so take the host presets.
const MAP_COMMANDS = new Set(["list", "show", "validate", "explain", "lock"]);
const COMMANDS = [...MAP_COMMANDS, "schema", "init", "help"];
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

class UsageError extends Error {}

/**
 * Runs `deno task bench:plugins` with `args`.
 *
 * @param args The arguments (`["--config", "bench.yaml", "list"]`).
 * @param io Where to write, and the working directory; the process's by default.
 * @returns The exit status: 0, 1 problems found, 2 usage error.
 *
 * @example List the benchmark's built-in exporters
 * ```ts
 * import { main } from "./plugins.ts";
 * import { equal, match } from "node:assert/strict";
 *
 * let out = "";
 * equal(await main(["list", "exporter"], { out: (t) => void (out += t), err: () => {} }), 0);
 * match(out, /^console\b/m);
 * ```
 */
export async function main(args: readonly string[], io: MainIo = {}): Promise<number> {
  const out = io.out ?? ((text: string) => void Deno.stdout.writeSync(encode(text)));
  const err = io.err ?? ((text: string) => void Deno.stderr.writeSync(encode(text)));
  const cwd = io.cwd ?? Deno.cwd();
  try {
    // Options before the command are this command line's own.
    let config: string | undefined;
    let at = 0;
    while (args[at]?.startsWith("-")) {
      const arg = args[at]!;
      if (arg === "--help" || arg === "-h") {
        out(BENCH_PLUGINS_HELP);
        return 0;
      }
      if (arg === "--config" && args[at + 1] !== undefined) {
        config = args[at + 1];
        at += 2;
      } else if (arg.startsWith("--config=")) {
        config = arg.slice("--config=".length);
        at += 1;
      } else {
        throw new UsageError(
          `Unknown option "${arg}" before the command${didYouMean(arg, ["--config", "--help"])}`,
        );
      }
    }
    const [command, ...rest] = args.slice(at);
    if (command === undefined) {
      err(BENCH_PLUGINS_HELP);
      return 2;
    }
    if (command === "init") return await init(rest, { out, err, cwd });
    if (!COMMANDS.includes(command)) {
      throw new UsageError(`Unknown command "${command}"${didYouMean(command, COMMANDS)}`);
    }
    if (command === "help" && rest[0] === "init") {
      out(BENCH_INIT_HELP);
      return 0;
    }
    const presets = MAP_COMMANDS.has(command)
      ? [
        "--host",
        `${BENCH_HOST.name}@${BENCH_HOST.version}`,
        "--categories",
        Object.keys(BENCH_CATEGORIES).join(","),
        "--builtins",
        new URL("./registry.yaml", import.meta.url).href,
        ...(config === undefined || rest.some((a) => /^--map(=|$)/.test(a))
          ? []
          : ["--map", config]),
      ]
      : [];
    return await pluginsMain([command, ...rest, ...presets], { ...io, out, err, cwd });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`error: ${error.message}\nRun "deno task bench:plugins --help" for usage.\n`);
    return 2;
  }
}

interface InitIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly cwd: string;
}

async function init(args: readonly string[], io: InitIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        help: { type: "boolean", short: "h" },
        category: { type: "string" },
        implementation: { type: "string" },
        name: { type: "string" },
        package: { type: "string" },
        from: { type: "string" },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = (error as Error).message.split(/\.( |$)/)[0]!;
    const flag = /'(--[^' ]+)'/.exec(message)?.[1];
    const known = ["--category", "--implementation", "--name", "--package", "--from", "--help"];
    throw new UsageError(`init: ${message}${flag ? didYouMean(flag, known) : ""}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(BENCH_INIT_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? "init: missing DIR" : `init: unexpected "${positionals[1]}"`,
    );
  }
  const category = values.category ?? "phase_hook";
  if (!SCAFFOLD_CATEGORIES.includes(category as BenchCategory)) {
    throw new UsageError(
      `init: unknown category "${category}"${didYouMean(category, SCAFFOLD_CATEGORIES)}; ` +
        `categories: ${SCAFFOLD_CATEGORIES.join(", ")}`,
    );
  }
  const dir = new URL(
    positionals[0]!.replace(/\/*$/, "/"),
    `file://${io.cwd.replace(/\/*$/, "/")}`,
  );
  const base = decodeURIComponent(dir.pathname.split("/").filter(Boolean).at(-1) ?? "plugin");
  const name = values.name ??
    base.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^[^a-z]+/, "");
  const implementation = values.implementation ?? name.replaceAll("-", "_");
  for (const [flag, value] of [["--name", name], ["--implementation", implementation]]) {
    if (!IDENTIFIER.test(value!)) {
      throw new UsageError(`init: invalid ${flag} "${value}": expected an identifier`);
    }
  }
  const pkg = values.package ?? `@you/${name.replaceAll("_", "-")}`;
  if (!/^@[a-z0-9-]+\/[a-z0-9-]+$/.test(pkg)) {
    throw new UsageError(`init: invalid --package "${pkg}": expected @scope/name in lower case`);
  }
  // Run from a checkout (file:), the plugin links it: its tests then need no network.
  const root = new URL("../../", import.meta.url);
  const from = values.from ?? (root.protocol === "file:" ? "checkout" : "jsr");
  if (from !== "checkout" && from !== "jsr") {
    throw new UsageError(`init: invalid --from "${from}": expected checkout or jsr`);
  }
  if (from === "checkout" && root.protocol !== "file:") {
    throw new UsageError(`init: --from checkout: this command runs from ${root.href}`);
  }
  const files = await scaffoldFiles({
    plugin: name,
    package: pkg,
    category: category as BenchCategory,
    implementation,
    plugmapVersion: PLUGMAP_VERSION,
    ...(from === "checkout"
      ? { checkout: decodeURIComponent(root.pathname).replace(/\/$/, "") }
      : {}),
  });
  // Nothing is written when any file is there already.
  for (const file of Object.keys(files)) {
    const path = new URL(file, dir);
    try {
      await Deno.lstat(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    io.err(`error: cannot create "${path.pathname}": it already exists\n`);
    return 1;
  }
  await Deno.mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    await Deno.writeTextFile(new URL(file, dir), text, { createNew: true });
  }
  io.out(
    `Created benchmark plugin "${name}" (${category} "${implementation}") in ${dir.pathname}:\n` +
      Object.keys(files).map((f) => `  ${f}\n`).join("") +
      `Next: cd ${positionals[0]} && deno task test\n`,
  );
  return 0;
}

function encode(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
