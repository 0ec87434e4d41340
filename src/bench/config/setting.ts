import type { ValueKind } from "./_values.ts";

/**
 * The groups `--help` and `docs/cli.md` list settings in, in this order; AIPerf's groups where
 * it has them.
 */
export const GROUPS = {
  general: "General",
  endpoint: "Endpoint",
  input: "Input (the workload)",
  tokenizer: "Tokenizer",
  load: "Load generator (timing and when phases stop)",
  output: "Output and metrics",
  runs: "Repeated runs (AIPerf's multi-run confidence reporting; docs/answers.md)",
  ui: "UI and logging",
  shard: "Sharding (one benchmark from several client machines; docs/scaling.md)",
  server: "Embedded server (when no URL is given; also `deno task serve`)",
  serve: "`deno task serve` only",
} as const;

/** A group of settings (a key of {@linkcode GROUPS}). */
export type Group = keyof typeof GROUPS;

/**
 * How a setting relates to AIPerf's option of the same name:
 * - `same`: AIPerf's option, same meaning and default;
 * - `default`: AIPerf's option, same meaning, another default (the note says which and why);
 * - `no-effect`: accepted so AIPerf command lines run, does nothing here (the note says why);
 * - `ours`: not an AIPerf option.
 */
export type AiperfStatus = "same" | "default" | "no-effect" | "ours";

/** The commands a setting belongs to. */
export type Command = "bench" | "serve";

/** One setting: every place it shows up is derived from this row. */
export interface Setting<K extends string = string, T = unknown, F extends string = string> {
  /** The key of the parsed value (`BenchArgs[key]`). */
  readonly key: K;
  /**
   * The long spellings, without dashes: the first is the one `--help` leads with, then the
   * others (AIPerf's, older ones of ours). All are equal; giving two of them is an error.
   */
  readonly flags: readonly [string, ...string[]];
  /** A one-letter spelling (`-m`). */
  readonly short?: string;
  /** The kind of value: how it is read, checked, shown and written in JSON Schema. */
  readonly kind: ValueKind<T>;
  /** A switch that also has `--no-<flag>` (giving false). */
  readonly negatable?: boolean;
  /** May be given several times; the value is the list of the values given, in order. */
  readonly repeatable?: boolean;
  /**
   * A comma-separated list sweeps the setting (`--concurrency 1,2,4`): one profiling phase per
   * value; the first value is the setting's value.
   */
  readonly sweeps?: boolean;
  /** The default, when one applies whatever else is given (used by the code, shown in help). */
  readonly default?: NoInfer<T>;
  /** How `--help` words the default when it is not a plain value ("one per request"). */
  readonly defaultText?: string;
  /** The group in `--help` and the docs. */
  readonly group: Group;
  /** What it does, in one or two sentences (no default: that is shown from `default`). */
  readonly help: string;
  /** A benchmark-file key this table owns (`server.ttft_ms`, `output`): its schema is `kind`. */
  readonly file?: F;
  /**
   * Where the same setting is written in the benchmark file when a plugin's config or a phase
   * owns it (`timing_strategy.config.concurrency`); for the docs.
   */
  readonly seeFile?: string;
  /**
   * The config key of the chosen implementation of `category` this flag sets, if that
   * implementation's `config_schema` declares it (else the flag is refused for it). `omit`:
   * values that mean "not given".
   */
  readonly plugin?: {
    readonly category: "dataset";
    readonly key: string;
    omit?(value: T): boolean;
  };
  /** How it stands to AIPerf's option. */
  readonly aiperf: AiperfStatus;
  /** Why it differs from AIPerf, for `default` and `no-effect`. */
  readonly aiperfNote?: string;
  /** The commands that take it; `["bench"]` when absent. */
  readonly commands?: readonly Command[];
}

/**
 * Declares a setting; a function only so TypeScript keeps each row's key and value type, from
 * which {@linkcode BenchArgs} is derived.
 *
 * @param setting The row.
 * @returns The same row.
 */
export function setting<const K extends string, T, const F extends string = never>(
  setting: Setting<K, T, F>,
): Setting<K, T, F> {
  return setting;
}
