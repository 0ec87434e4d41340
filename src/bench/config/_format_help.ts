// `--help` from the settings table: one block per group, every spelling of every flag.
import { type Command, GROUPS, type Setting } from "./setting.ts";

const WIDTH = 80;
const COLUMN = 32;

/** The flag column of a row: `-m, --model NAME (also --model-names)`. */
export function flagSpellings(row: Setting): string {
  const metavar = row.kind.metavar === "" ? "" : ` ${row.kind.metavar}`;
  const main = `${row.short === undefined ? "" : `-${row.short}, `}--${row.flags[0]}`;
  const negation = row.negatable ? ` / --no-${row.flags[0]}` : "";
  const counted = row.kind.flag === "counter" ? `, -${row.short}${row.short}` : "";
  return `${main}${metavar}${negation}${counted}`;
}

/** The help text of a row: what it does, its default, its other spellings. */
export function rowHelp(row: Setting): string {
  const shown = row.defaultText ??
    (row.default === undefined || row.kind.flag === "switch" ? undefined : String(row.default));
  const others = row.flags.slice(1).map((name) => `--${name}`);
  return row.help +
    (shown === undefined ? "" : ` (default: ${shown})`) +
    (others.length === 0 ? "" : `; also ${others.join(", ")}`) +
    (row.file === undefined ? "" : `; file: ${row.file}`);
}

/** The option lines of `rows` for `command`, grouped as {@linkcode GROUPS}. */
export function formatOptions(rows: readonly Setting[], command: Command): string {
  const mine = rows.filter((row) => (row.commands ?? ["bench"]).includes(command));
  const blocks: string[] = [];
  for (const [group, title] of Object.entries(GROUPS)) {
    const members = mine.filter((row) => row.group === group);
    if (members.length === 0) continue;
    const lines = [`${title.replaceAll("`", "")}:`];
    for (const row of members) lines.push(...entry(flagSpellings(row), rowHelp(row)));
    blocks.push(lines.join("\n"));
  }
  return blocks.join("\n\n") + "\n";
}

function entry(flags: string, help: string): string[] {
  const words = help.split(" ");
  const lines: string[] = [];
  let line = `  ${flags}`;
  if (line.length >= COLUMN) {
    lines.push(line);
    line = "";
  }
  line = line.padEnd(COLUMN);
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = " ".repeat(COLUMN);
      empty = true;
    }
    line += (empty ? "" : " ") + word;
    empty = false;
  }
  lines.push(line);
  return lines;
}
