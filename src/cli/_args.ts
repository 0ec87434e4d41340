import type { parseArgs, ParseArgsConfig } from "node:util";
import type { Io } from "./_io.ts";

/** The command line is malformed: exit code 2. */
export class UsageError extends Error {
  /** The command whose `--help` explains the right usage. */
  readonly command: string;

  constructor(command: string, message: string) {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}

/** Something asked for does not exist or cannot be done: exit code 1, with a JSON `error.code`. */
export class CliFailure extends Error {
  /** `not_found`, `invalid_map`, `exists`, ... */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = "CliFailure";
    this.code = code;
  }
}

/** Options every command that reads a plugin map takes. */
export const MAP_OPTIONS = {
  map: { type: "string" },
  host: { type: "string" },
  categories: { type: "string" },
  builtins: { type: "string" },
  frozen: { type: "boolean" },
  "no-cache": { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];

/**
 * The first argument that is neither an option nor the value of a {@link MAP_OPTIONS} string
 * option (`--map FILE`), or `undefined`; arguments after `--` are not options.
 */
export function firstPositional(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") return args[i + 1];
    if (!arg.startsWith("-") || arg === "-") return arg;
    const name = arg.slice(2);
    if (
      arg.startsWith("--") && Object.hasOwn(MAP_OPTIONS, name) &&
      MAP_OPTIONS[name as keyof typeof MAP_OPTIONS].type === "string"
    ) i++;
  }
  return undefined;
}

/** Options every command takes. */
export const COMMON_OPTIONS = {
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];

/** Help text for {@link MAP_OPTIONS}. */
export const MAP_OPTIONS_HELP = `
  --map FILE            The plugin map document: JSON, JSONC or YAML with a "plugins" object
                        (default: ./deno.json, else ./deno.jsonc)
  --host NAME@VERSION   The host for "requires" checks (default: the map document's
                        "plugins"."host", else its "name" and "version")
  --categories A,B,...  The host's categories, exactly; sections for others are reported as
                        unknown (default: every category the manifests declare)
  --builtins MANIFEST   The host's own manifest of built-in implementations
  --frozen              Refuse every plugin the lock file beside the map does not list (a
                        lock file there is always verified: changed manifests are refused)
  --no-cache            Neither read nor write the cache ($PLUGMAP_CACHE, else the platform's):
                        every manifest is fetched, parsed and validated again`;

/** Help text for {@link COMMON_OPTIONS}. */
export const COMMON_OPTIONS_HELP = `
  --json                Machine-readable output on stdout (see the authoring guide)
  -h, --help            This help`;

type Options = NonNullable<ParseArgsConfig["options"]>;
type Parsed<O extends Options> = {
  values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true }>>["values"];
  positionals: string[];
};

// The common command lines (`--name value`, `--flag`, words) parsed as node:util's parseArgs
// parses them, without loading node:util (and the Node layer it starts: a few milliseconds of
// every run); `undefined` for anything else (`--name=value`, short options, `--`, a value that
// starts with "-", an unknown option), which parseArgs then parses, or refuses.
function parsePlain<O extends Options>(args: readonly string[], options: O): Parsed<O> | undefined {
  const values: Record<string, string | boolean> = { __proto__: null } as never;
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("-")) {
      positionals.push(arg);
      continue;
    }
    const name = arg.slice(2);
    if (!arg.startsWith("--") || name === "" || !Object.hasOwn(options, name)) return undefined;
    if (options[name]!.type === "boolean") {
      values[name] = true;
      continue;
    }
    const value = args[i + 1];
    if (value === undefined || value.startsWith("-")) return undefined;
    values[name] = value;
    i++;
  }
  return { values, positionals } as Parsed<O>;
}

/** `node:util` `parseArgs` in strict mode, its errors turned into {@link UsageError}s. */
export async function parse<const O extends Options>(
  command: string,
  args: string[],
  options: O,
): Promise<Parsed<O>> {
  const plain = parsePlain(args, options);
  if (plain !== undefined) return plain;
  const { parseArgs } = await import("node:util");
  try {
    const { values, positionals } = parseArgs({
      args,
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals };
  } catch (error) {
    throw new UsageError(command, (error as Error).message.split(/\.( |$)/)[0]!);
  }
}

/**
 * Parses a command's arguments with {@link COMMON_OPTIONS} and its own `options`, and answers
 * `--help` by writing `help`: every command starts this way.
 *
 * @returns The flags and positionals, or `undefined` when `--help` was answered (exit code 0).
 * @throws {UsageError} When the arguments do not parse.
 */
export async function parseCommand<const O extends Options>(
  command: string,
  args: string[],
  options: O,
  help: string,
  io: Pick<Io, "out">,
): Promise<Parsed<typeof COMMON_OPTIONS & O> | undefined> {
  const parsed = await parse(command, args, { ...COMMON_OPTIONS, ...options });
  // COMMON_OPTIONS has `help`; the compiler cannot see it through the generic `O`.
  if ((parsed.values as { help?: boolean }).help) {
    io.out(help);
    return undefined;
  }
  return parsed;
}

/** Fails with a usage error unless there are between `min` and `max` positionals. */
export function arity(
  command: string,
  positionals: readonly string[],
  min: number,
  max: number,
  what: string,
): void {
  if (positionals.length < min) throw new UsageError(command, `Missing ${what}`);
  if (positionals.length > max) {
    throw new UsageError(
      command,
      `Unexpected argument "${positionals[max]}"`,
    );
  }
}
