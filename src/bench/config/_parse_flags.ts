// The command-line parser every row of the settings table gets: spellings, `--no-x`, one
// error for two spellings of one setting, values read by the row's kind, lists that sweep.
import { parseArgs } from "node:util";
import { flagError } from "../_flag_error.ts";
import { BenchConfigError } from "./bench_config_error.ts";
import { readValue } from "./_values.ts";
import type { Setting } from "./setting.ts";

/** The flags of one command line, read. */
export interface ParsedFlags {
  /** Each given setting's value, by key. */
  readonly values: Record<string, unknown>;
  /** The spelling each given setting was typed with (`--duration`, `--no-progress`), by key. */
  readonly spelled: Record<string, string>;
  /** The values of a setting given a comma-separated list (a sweep), by key. */
  readonly lists: Record<string, readonly unknown[]>;
}

type Token = { kind: string; name?: string; value?: string | undefined; index: number };

/**
 * Parses `argv` against `rows`.
 *
 * @param positional The key of the setting one argument without a flag gives (AIPerf's
 * positional model), if any.
 * @throws {BenchConfigError} Naming the flag (as typed) for an unknown flag, a missing or bad
 * value, a stray argument, or two spellings of one setting.
 */
export function parseFlags(
  argv: readonly string[],
  rows: readonly Setting[],
  positional?: string,
): ParsedFlags {
  const options: Record<
    string,
    { type: "string" | "boolean"; short?: string; multiple?: boolean }
  > = {};
  // Long name (without dashes) to its row and whether it is the `--no-` spelling.
  const byName = new Map<string, { row: Setting; negated: boolean }>();
  for (const row of rows) {
    const type = row.kind.flag === undefined ? "string" : "boolean";
    const multiple = row.repeatable === true || row.kind.flag === "counter";
    row.flags.forEach((name, i) => {
      options[name] = {
        type,
        ...(i === 0 && row.short !== undefined ? { short: row.short } : {}),
        ...(multiple ? { multiple } : {}),
      };
      byName.set(name, { row, negated: false });
    });
    if (row.negatable) {
      options[`no-${row.flags[0]}`] = { type: "boolean" };
      byName.set(`no-${row.flags[0]}`, { row, negated: true });
    }
  }
  let tokens: Token[];
  let positionals: string[];
  try {
    ({ tokens, positionals } = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: true,
      tokens: true,
    }) as unknown as { tokens: Token[]; positionals: string[] });
  } catch (error) {
    const { flag, detail } = flagError(error, Object.keys(options));
    throw new BenchConfigError(detail, { flag });
  }
  const given: Given = new Map();
  for (const token of tokens) {
    if (token.kind !== "option" || token.name === undefined) continue;
    const { row, negated } = byName.get(token.name)!;
    const spelling = `--${token.name}`;
    const seen = given.get(row);
    if (seen !== undefined && seen.spelling !== spelling) {
      throw new BenchConfigError(`cannot be combined with ${seen.spelling}`, { flag: spelling });
    }
    const entry = seen ?? { spelling, negated, texts: [] };
    if (token.value !== undefined) {
      if (token.value.trim() === "") {
        throw new BenchConfigError("expected a value", { flag: spelling });
      }
      entry.texts.push(token.value);
    } else entry.texts.push("");
    given.set(row, entry);
  }
  takePositional(positionals, rows, given, positional);
  const parsed: ParsedFlags = { values: {}, spelled: {}, lists: {} };
  for (const [row, { spelling, negated, texts }] of given) {
    parsed.spelled[row.key] = spelling;
    if (row.kind.flag === "switch") parsed.values[row.key] = !negated;
    else if (row.kind.flag === "counter") parsed.values[row.key] = texts.length;
    else if (row.repeatable) parsed.values[row.key] = read(row, texts, spelling);
    else {
      const text = texts.at(-1)!;
      if (row.sweeps && text.includes(",")) {
        const list = sweepList(row, text, spelling);
        parsed.lists[row.key] = list;
        parsed.values[row.key] = list[0];
      } else parsed.values[row.key] = read(row, text, spelling);
    }
  }
  return parsed;
}

type Given = Map<Setting, { spelling: string; negated: boolean; texts: string[] }>;

// One argument without a flag gives the `positional` setting, unless a flag gave it too.
function takePositional(
  positionals: readonly string[],
  rows: readonly Setting[],
  given: Given,
  positional: string | undefined,
): void {
  if (positionals.length === 0) return;
  const row = rows.find((r) => r.key === positional);
  if (row === undefined || positionals.length > 1) {
    const stray = positionals[row === undefined ? 0 : 1];
    throw new BenchConfigError(`unexpected argument "${stray}"; see --help`, {
      flag: "(command line)",
    });
  }
  const seen = given.get(row);
  if (seen !== undefined) {
    throw new BenchConfigError(`given twice: as "${positionals[0]}" and with ${seen.spelling}`, {
      flag: seen.spelling,
    });
  }
  given.set(row, { spelling: `--${row.flags[0]}`, negated: false, texts: [positionals[0]!] });
}

function read(row: Setting, text: string | readonly string[], flag: string): unknown {
  const input = typeof text === "string" ? row.kind.fromText(text) : text;
  const result = readValue(row.kind, input);
  if (result.ok) return result.value;
  const got = row.kind.quotes || typeof text !== "string" ? "" : `, got "${text}"`;
  throw new BenchConfigError(result.message + got, { flag });
}

// A comma-separated list sweeps the setting; its first value configures the first run.
function sweepList(row: Setting, text: string, flag: string): readonly unknown[] {
  const items = text.split(",").map((item) => item.trim());
  if (items.some((item) => item === "")) {
    throw new BenchConfigError(`expected comma-separated values, got "${text}"`, { flag });
  }
  const values = items.map((item) => read(row, item, flag));
  if (new Set(values).size !== values.length) {
    throw new BenchConfigError(`a value is repeated in "${text}"`, { flag });
  }
  return values;
}
