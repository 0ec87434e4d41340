/**
 * The `plugins` command line: list, show, validate and explain the plugins of a plugin map,
 * print the manifest JSON Schema, and scaffold a new plugin.
 *
 * ```sh
 * deno run -A jsr:@plugmap/plugmap/cli list
 * deno run -A jsr:@plugmap/plugmap/cli validate registry.yaml --imports
 * ```
 *
 * @example Running a command in-process
 * ```ts
 * import { main } from "@plugmap/plugmap/cli";
 * import { equal, ok } from "node:assert/strict";
 *
 * let out = "";
 * const code = await main(["schema"], { out: (text) => { out += text; } });
 * equal(code, 0);
 * ok(JSON.parse(out).title.includes("registry.yaml"));
 * ```
 *
 * @module
 */
// _io.ts and _args.ts are small and every command uses them: imported with main.ts, not one
// after the other at run time (each dynamic import waits a turn of the event loop).
import { type Io, paint, processIo } from "./_io.ts";
import { CliFailure, firstPositional, UsageError } from "./_args.ts";
import { PLUGMAP_VERSION } from "./_version.ts";

export { PLUGMAP_VERSION };

/** Where {@link main} writes; every field is optional and defaults to the process's own. */
export interface MainIo {
  /** Writes to standard output. */
  out?: (text: string) => void;
  /** Writes to standard error. */
  err?: (text: string) => void;
  /** Whether standard output takes colour. Default: a terminal and `NO_COLOR` unset. */
  colorOut?: boolean;
  /** Whether standard error takes colour. */
  colorErr?: boolean;
  /** The working directory relative paths resolve against. Default: `Deno.cwd()`. */
  cwd?: string;
}

type Command = (args: string[], io: Io) => Promise<number>;

// Each command is imported when it runs: `plugins --help` loads none of them, and `list` does
// not load the JSON Schema generator or the scaffolding templates. The specifier is built at run
// time so that Deno does not follow it when the program starts: a literal `import("./x.ts")` is
// followed, with every npm package below it resolved, whichever command runs.
function command(file: string, name: string): () => Promise<Command> {
  return async () => (await import(new URL(file, import.meta.url).href))[name];
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  list: command("./list.ts", "listCommand"),
  show: command("./show.ts", "showCommand"),
  validate: command("./validate.ts", "validateCommand"),
  explain: command("./explain.ts", "explainCommand"),
  schema: command("./schema.ts", "schemaCommand"),
  init: command("./init.ts", "initCommand"),
  lock: command("./lock.ts", "lockCommand"),
};

const HELP = `Usage: plugins <command> [options]

Inspect, check and create plugmap plugins.

Commands:
  list [CATEGORY [NAME]]   List plugins, a category's implementations, or one implementation
  show PLUGIN              Show one plugin: metadata, implementations, problems
  validate [MANIFEST ...]  Validate manifests without running plugin code (--imports: exports too)
  explain CATEGORY NAME    Explain which implementation a name resolves to, and why
  schema                   Print the manifest JSON Schema (--markdown: the reference)
  init DIR                 Create a new plugin
  lock                     Pin every plugin's manifest and network modules in plugins.lock.json

Every command takes --help and --json. The plugin map is read from ./deno.json ("plugins")
unless --map FILE names another document. When plugins.lock.json is beside it, discovery is
verified against it (--frozen: unlisted plugins are refused too). Options may also come before
the command (plugins --map app.yaml list), so a task can preset them.

Exit status: 0 ok, 1 problems found, 2 usage error.
`;

// Options may come before the command (`plugins --map app.yaml list`), so a task can preset
// them; the first word naming a command is the command.
function commandFirst(args: string[]): string[] {
  if (args[0] === undefined || !args[0].startsWith("-")) return args;
  if (["--help", "-h", "--version", "-V"].includes(args[0])) return args;
  const at = args.findIndex((arg) => arg === "help" || Object.hasOwn(COMMANDS, arg));
  return at < 0 ? args : [args[at]!, ...args.slice(0, at), ...args.slice(at + 1)];
}

/**
 * Runs the `plugins` command line.
 *
 * @param args The arguments, without the program name (`["list", "endpoint"]`).
 * @param io Where to write, colour, and the working directory; defaults to the process's.
 * @returns The exit code: 0 ok, 1 problems found, 2 usage error.
 */
export async function main(args: string[], io: MainIo = {}): Promise<number> {
  const defaults = io.out && io.err && io.colorOut !== undefined && io.colorErr !== undefined &&
      io.cwd !== undefined
    ? undefined
    : processIo();
  const full: Io = {
    out: io.out ?? defaults!.out,
    err: io.err ?? defaults!.err,
    colorOut: io.colorOut ?? (io.out ? false : defaults!.colorOut),
    colorErr: io.colorErr ?? (io.err ? false : defaults!.colorErr),
    cwd: io.cwd ?? defaults!.cwd,
  };
  const [command, ...rest] = commandFirst(args);
  const asJson = rest.includes("--json");
  const p = paint(full.colorErr);
  if (command === undefined) {
    full.err(HELP);
    return 2;
  }
  if (command === "--help" || command === "-h" || command === "help") {
    const topic = rest[0] !== undefined && Object.hasOwn(COMMANDS, rest[0])
      ? COMMANDS[rest[0]]
      : undefined;
    if (topic) return await (await topic())(["--help"], full);
    full.out(HELP);
    return 0;
  }
  if (command === "--version" || command === "-V") {
    full.out(`plugmap ${PLUGMAP_VERSION}\n`);
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  try {
    if (load === undefined) {
      // No command word anywhere: the mistyped command is the first word that is not an option
      // given before it (nor the value of one: `plugins --map app.yaml lst`).
      const typed = command.startsWith("-") ? firstPositional(args) : command;
      if (typed === undefined) throw new UsageError("", "Missing command");
      // The library's did-you-mean (the registry's rule for names), not a second one; loaded
      // only for a mistyped command, so start-up stays lean.
      const { UnknownImplementationError } = await import("../../mod.ts");
      const { suggestion } = new UnknownImplementationError({
        category: "command",
        requested: typed,
        available: Object.keys(COMMANDS),
      });
      const hint = suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`;
      throw new UsageError("", `Unknown command "${typed}"${hint}`);
    }
    return await (await load())(rest, full);
  } catch (error) {
    if (error instanceof UsageError) {
      const help = error.command ? `plugins ${error.command} --help` : "plugins --help";
      full.err(`${p.red(p.bold("error"))}: ${error.message}\nRun "${help}" for usage.\n`);
      return 2;
    }
    if (error instanceof CliFailure) {
      const { MapFailure } = await import("./_workspace.ts");
      const diagnostics = error instanceof MapFailure ? error.diagnostics : [];
      if (asJson) {
        const { json } = await import("./_json.ts");
        full.out(json({ error: { code: error.code, message: error.message }, diagnostics }));
      } else if (diagnostics.length > 0) {
        const { renderDiagnostics } = await import("./_diagnostics.ts");
        full.err(renderDiagnostics(diagnostics, full.colorErr));
      } else {
        full.err(`${p.red(p.bold("error"))}: ${error.message}\n`);
      }
      return 1;
    }
    throw error;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
