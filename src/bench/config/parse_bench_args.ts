import { AIPERF_OPTIONS } from "./aiperf_options.ts";
import { BenchConfigError } from "./bench_config_error.ts";
import { formatOptions } from "./_format_help.ts";
import { parseFlags } from "./_parse_flags.ts";
import type { Setting } from "./setting.ts";
import { SETTINGS } from "./settings_table.ts";

/** AIPerf's `--endpoint-type` values and the endpoint implementations they select. */
export const ENDPOINT_TYPES: Readonly<Record<string, string>> = {
  chat: "openai_chat",
  completions: "openai_completions",
  embeddings: "openai_embeddings",
  responses: "openai_responses",
  rankings: "rankings",
  nim_rankings: "rankings",
  hf_tei_rankings: "rankings",
  cohere_rankings: "rankings",
};

type Row = (typeof SETTINGS)[number];
type ValueOf<R> = R extends Setting<string, infer T> ? T : never;

/** The value of every row of the settings table, by key; absent flags are absent keys. */
export type TableArgs = { readonly [R in Row as R["key"]]?: ValueOf<R> };

/** The command line of `deno task bench`, parsed and typed. Absent flags are absent keys. */
export type BenchArgs = TableArgs & {
  /** `--concurrency 1,2,4` or `--request-rate 5,10`: one profiling phase per value. */
  readonly sweep?: SweepArgs;
};

/** A swept flag and its values, in the order given. */
export interface SweepArgs {
  readonly flag: "--concurrency" | "--request-rate";
  readonly values: readonly number[];
}

const BENCH_ROWS: readonly Setting[] = SETTINGS.filter((row) =>
  ((row as Setting).commands ?? ["bench"]).includes("bench")
);

/** The `--help` text of `deno task bench`, generated from the settings table. */
export const BENCH_HELP: string = `Usage: deno task bench [options]

Benchmarks an OpenAI-compatible LLM server. Without --url (and no url in the
benchmark file) it starts an embedded server on 127.0.0.1 and benchmarks that.
Flags are AIPerf's where AIPerf has them; every spelling is listed. Giving two
spellings of one setting is an error. Reference: docs/cli.md.

${formatOptions(BENCH_ROWS, "bench")}
HTTPS with a private CA: DENO_CERT=ca.pem deno task bench --url https://...
(or DENO_TLS_CA_STORE=system to trust the system's store); a TLS failure names
its cause, e.g. "invalid peer certificate: UnknownIssuer".

Exit status: 0 done, 1 a phase hook failed the run (e.g. an SLO), nothing
succeeded, an export failed, or (--strict-plugins) a plugin problem or a hook
that threw, 2 bad flags or configuration, 130 interrupted (Ctrl-C).
`;

/**
 * Parses the command line of `deno task bench` against the settings table, then folds the
 * spellings that mean one thing (`--endpoint-type`, `-v`, `--ui-type`, a swept list).
 *
 * @param argv The arguments after the script.
 * @returns The typed flags.
 * @throws {BenchConfigError} For an unknown flag, a missing value, a value out of range or two
 * spellings of one setting, naming the flag as typed.
 *
 * @example
 * ```ts
 * import { parseBenchArgs } from "./parse_bench_args.ts";
 *
 * const args = parseBenchArgs(["--concurrency", "4", "--no-streaming"]);
 * if (args.concurrency !== 4 || args.streaming !== false) throw new Error("wrong");
 * ```
 */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  // AIPerf takes the model as its one positional argument (`aiperf profile MODEL ...`).
  const { values, spelled, lists } = withAiperfReason(() => parseFlags(argv, BENCH_ROWS, "model"));
  const args = values as MutableArgs;
  SPELLED.set(args, spelled);
  foldEndpoint(args, spelled);
  foldSweep(args, lists);
  // AIPerf's --ui-type: "none" is no progress line; its two screens are our progress line.
  if (args.uiType !== undefined) args.progress ??= args.uiType !== "none";
  // AIPerf's logging flags: -v is --log-level debug, -vv (or --extra-verbose) trace.
  if (args.extraVerbose || (args.verbose ?? 0) > 1) args.logLevel ??= "trace";
  else if (args.verbose === 1) args.logLevel ??= "debug";
  return args;
}

type MutableArgs = { -readonly [K in keyof BenchArgs]: BenchArgs[K] };

// An AIPerf option no row takes is refused with the reason docs/cli.md gives, not as unknown.
function withAiperfReason<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const flag = error instanceof BenchConfigError ? error.flag : undefined;
    const option = AIPERF_OPTIONS.find((o) => o.why !== "" && o.flags.includes(flag ?? ""));
    if (option === undefined || !/: unknown flag/.test((error as Error).message)) throw error;
    throw new BenchConfigError(
      `AIPerf's option is not supported here: ${option.why} (see docs/cli.md)`,
      { flag: flag! },
    );
  }
}

// How each flag was typed, kept beside the parsed values so that later rules name it as typed.
const SPELLED = new WeakMap<BenchArgs, Readonly<Record<string, string>>>();

/**
 * The flag a setting of `args` was given with, as typed (`--isl`), or its first spelling when
 * `args` was not parsed from a command line.
 *
 * @param args Parsed (or hand-made) flags.
 * @param key A key of the settings table.
 * @returns The flag, with its dashes.
 */
export function flagOf(args: BenchArgs, key: keyof TableArgs): string {
  const typed = SPELLED.get(args)?.[key];
  if (typed !== undefined) return typed;
  const row = SETTINGS.find((r) => r.key === key);
  return row === undefined ? `--${key}` : `--${row.flags[0]}`;
}

// AIPerf's --endpoint is a route (/v1/chat/completions); ours was an implementation name,
// which never has a "/". --endpoint-type names one of the OpenAI implementations.
function foldEndpoint(args: MutableArgs, spelled: Record<string, string>): void {
  if (args.endpoint?.includes("/")) {
    args.endpointPath ??= args.endpoint;
    delete args.endpoint;
  }
  if (args.endpointType !== undefined) {
    const name = ENDPOINT_TYPES[args.endpointType]!;
    if (args.endpoint !== undefined && args.endpoint !== name) {
      throw new BenchConfigError(`contradicts --endpoint ${args.endpoint}`, {
        flag: spelled.endpointType!,
      });
    }
    args.endpoint = name;
  }
}

function foldSweep(args: MutableArgs, lists: Record<string, readonly unknown[]>): void {
  const concurrencies = lists.concurrency as readonly number[] | undefined;
  const rates = lists.requestRate as readonly number[] | undefined;
  if (concurrencies !== undefined && rates !== undefined) {
    throw new BenchConfigError("cannot sweep both --concurrency and --request-rate", {
      flag: "--request-rate",
    });
  }
  if (concurrencies !== undefined) args.sweep = { flag: "--concurrency", values: concurrencies };
  if (rates !== undefined) args.sweep = { flag: "--request-rate", values: rates };
  if (args.sweepMaxErrorRate !== undefined && args.sweep === undefined) {
    throw new BenchConfigError("needs a sweep (--concurrency 1,2,4 or --request-rate 5,10)", {
      flag: "--sweep-max-error-rate",
    });
  }
}
