import { formatOptions } from "./_format_help.ts";
import { parseFlags } from "./_parse_flags.ts";
import type { Setting } from "./setting.ts";
import { defaultOf, SETTINGS } from "./settings_table.ts";
import type { ServerSettings } from "./types.ts";

const SERVE_ROWS: readonly Setting[] = SETTINGS.filter((row) =>
  ((row as Setting).commands ?? ["bench"]).includes("serve")
);

/** The `--help` text of `deno task serve`, generated from the settings table. */
export const SERVE_HELP: string = `Usage: deno task serve [options]

Runs an OpenAI-compatible server with deterministic timings: /v1/chat/completions,
/v1/completions (streamed or whole), /v1/embeddings, /v1/models, /health. Stop it with Ctrl-C.
The embedded server of \`deno task bench\` takes the same options.

${formatOptions(SERVE_ROWS, "serve")}`;

/** What `deno task serve` was asked for. */
export interface ServeArgs {
  /** `--help`. */
  readonly help: boolean;
  /** The server's options, defaults applied. */
  readonly options: ServerSettings & {
    readonly port: number;
    readonly hostname: string;
    readonly model: string;
  };
}

// The table keys of the embedded server's options that ServerOptions names the same.
const SERVER_KEYS = [
  "ttftMs",
  "itlMs",
  "outputTokens",
  "reasoningTokens",
  "reasoningField",
  "tokensPerChunk",
  "usage",
  "errorEvery",
  "crashAfter",
] as const;

/**
 * Parses the command line of `deno task serve` against the settings table's server rows.
 *
 * @param argv The arguments after the script.
 * @returns Whether help was asked for, and the server's options.
 * @throws {BenchConfigError} Naming the flag, for an unknown flag or a bad value.
 *
 * @example
 * ```ts
 * import { parseServeArgs } from "./parse_serve_args.ts";
 *
 * const { options } = parseServeArgs(["--port", "0", "--ttft-ms", "5"]);
 * if (options.port !== 0 || options.ttftMs !== 5 || options.hostname !== "127.0.0.1") {
 *   throw new Error("wrong");
 * }
 * ```
 */
export function parseServeArgs(argv: readonly string[]): ServeArgs {
  const { values } = parseFlags(argv, SERVE_ROWS);
  const options: Record<string, unknown> = {
    port: values.port ?? defaultOf("port"),
    hostname: values.host ?? defaultOf("host"),
    model: values.serverModel ?? defaultOf("serverModel"),
  };
  for (const key of SERVER_KEYS) {
    if (values[key] !== undefined) options[key] = values[key];
  }
  return { help: values.help === true, options: options as unknown as ServeArgs["options"] };
}
