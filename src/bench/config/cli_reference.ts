import { flagSpellings } from "./_format_help.ts";
import { GROUPS, type Setting } from "./setting.ts";
import { SETTINGS } from "./settings_table.ts";

const STATUS = {
  same: "AIPerf's, same meaning and default",
  default: "AIPerf's, another default",
  "no-effect": "AIPerf's, accepted, no effect",
  ours: "not in AIPerf",
} as const;

/**
 * The command-line reference (`docs/cli.md`), generated from the settings table: every setting,
 * every spelling, its default, its benchmark-file key and how it stands to AIPerf.
 *
 * @returns Markdown (not yet formatted by `deno fmt`).
 *
 * @example
 * ```ts
 * import { cliReference } from "./cli_reference.ts";
 *
 * if (!cliReference().includes("`--duration`")) throw new Error("missing");
 * ```
 */
export function cliReference(): string {
  const out = [
    "<!-- Generated from src/bench/config/settings_table.ts by `deno task gen:cli`; do not edit. -->",
    "",
    "# Command-line reference",
    "",
    "`deno task bench [options]` benchmarks an OpenAI-compatible server; `deno task serve " +
    "[options]` runs the embedded server alone. Every spelling of every option is listed; " +
    "giving two spellings of one setting (`--duration 5 --benchmark-duration 9`, " +
    "`--progress --no-progress`) exits 2 naming both. Flags override the benchmark file " +
    "(`--config FILE`); the *File key* column says where the same setting goes in that file " +
    "([JSON Schema](../schema/benchmark.schema.json)).",
    "",
    "To add an option, add one row to `src/bench/config/settings_table.ts` (its top comment " +
    "says how) and run `deno task gen:cli`.",
    "",
  ];
  for (const [group, title] of Object.entries(GROUPS)) {
    const rows = (SETTINGS as readonly Setting[]).filter((row) => row.group === group);
    if (rows.length === 0) continue;
    out.push(`## ${title}`, "");
    out.push("| Option | Default | File key | AIPerf | Description |", "|---|---|---|---|---|");
    for (const row of rows) out.push(line(row));
    out.push("");
  }
  return out.join("\n");
}

function line(row: Setting): string {
  const spellings = [flagSpellings(row), ...row.flags.slice(1).map((name) => `--${name}`)]
    .map((flag) => `\`${escape(flag)}\``).join("<br>");
  const shown = row.defaultText ??
    (row.default === undefined ? "" : String(row.default));
  const file = row.file ?? row.seeFile;
  const aiperf = STATUS[row.aiperf] + (row.aiperfNote ? `: ${row.aiperfNote}` : "");
  const commands = row.commands?.includes("serve") && row.commands.includes("bench")
    ? " (bench and serve)"
    : "";
  return `| ${spellings} | ${escape(shown)} | ${file ? `\`${file}\`` : ""} | ${escape(aiperf)} | ` +
    `${escape(row.help)}${commands} |`;
}

function escape(text: string): string {
  return text.replaceAll("|", "\\|");
}
