import { flagSpellings } from "./_format_help.ts";
import { AIPERF_OPTIONS, type AiperfOption } from "./aiperf_options.ts";
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
  out.push(...aiperfSection());
  return out.join("\n");
}

/** Every spelling a row accepts, with dashes (`--x`, `--no-x`, `-m`, `-vv`). */
export function rowSpellings(row: Setting): string[] {
  const short = row.short === undefined ? [] : [`-${row.short}`];
  return [
    ...row.flags.map((name) => `--${name}`),
    ...(row.negatable ? [`--no-${row.flags[0]}`] : []),
    ...short,
    ...(row.kind.flag === "counter" ? short.map((flag) => flag + row.short) : []),
  ];
}

/** The rows of ours that take an AIPerf option (that spell it one of its ways). */
export function rowsFor(option: AiperfOption): Setting[] {
  return (SETTINGS as readonly Setting[]).filter((row) =>
    (row.commands ?? ["bench"]).includes("bench") &&
    rowSpellings(row).some((flag) => option.flags.includes(flag))
  );
}

const AIPERF_STATUS = {
  same: "supported as is",
  default: "accepted, another default",
  "no-effect": "accepted, no effect",
  ours: "supported",
} as const;

function aiperfSection(): string[] {
  const rows = AIPERF_OPTIONS.map((option) => {
    const taking = rowsFor(option);
    return { option, row: taking[0], taking };
  });
  const supported = rows.filter(({ row }) => row !== undefined).length;
  const out = [
    "## Every option of `aiperf profile`",
    "",
    `AIPerf's options as its reference lists them (\`docs/cli_options.md\`, ai-dynamo/aiperf ` +
    `commit 023e12c): ${supported} of ${rows.length} are accepted here. The table is generated ` +
    "from `src/bench/config/aiperf_options.ts` and the settings table: an option is supported " +
    "when a row spells it.",
    "",
    "| AIPerf option | AIPerf default | Here | Ours | Why |",
    "|---|---|---|---|---|",
  ];
  let group = "";
  for (const { option, row, taking } of rows) {
    if (option.group !== group) {
      group = option.group;
      out.push(`| **${escape(group)}** | | | | |`);
    }
    const flags = option.flags.map((flag) => `\`${flag}\``).join(" ");
    const status = row === undefined ? "not supported" : AIPERF_STATUS[row.aiperf];
    const ours = taking.map((r) => `\`--${r.flags[0]}\``).join(" ");
    const why = row === undefined
      ? option.why
      : row.aiperf === "default"
      ? `${row.aiperfNote ?? ""}; ours: ${row.defaultText ?? String(row.default ?? "none")}`
      : row.aiperfNote ?? "";
    out.push(`| ${flags} | ${escape(option.default)} | ${status} | ${ours} | ${escape(why)} |`);
  }
  out.push("");
  return out;
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
