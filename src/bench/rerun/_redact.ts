// Secrets never reach a run's files: the API key, credential headers (Authorization, *-key,
// *-token, cookies) and passwords in URLs are replaced by REDACTED wherever a run describes
// itself (its command line, its settings, the benchmark file's endpoint config).
import { parseArgs } from "node:util";
import type { Setting } from "../config/setting.ts";
import { SETTINGS } from "../config/settings_table.ts";

/** What a secret is replaced with. */
export const REDACTED = "<redacted>";

// Header or config key names that carry credentials.
const SECRET_NAME =
  /^(authorization|proxy-authorization|cookie|set-cookie|api[-_]?key|.*[-_](key|token|secret)|.*password.*|token|secret)$/i;

/** Whether a header or config key names a credential. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name.trim());
}

/** A URL without the password of its user part. */
export function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@]*):[^/@]*@/i, `$1:${REDACTED}@`);
}

/** A deep copy of `value` with every credential-named key's value redacted. */
export function redactObject(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactObject);
  if (typeof value === "string") return redactUrl(value);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map((
      [k, v],
    ) => [k, isSecretName(k) && v !== undefined ? REDACTED : redactObject(v)]),
  );
}

/** One flag of a command line and its value, as typed. */
export interface ArgvGroup {
  /** The setting's key in the table (`apiKey`), or undefined for an unknown flag. */
  readonly key?: string;
  /** The tokens as typed: `["--url", "http://..."]` or `["--url=http://..."]`. */
  readonly tokens: readonly string[];
}

const BENCH_ROWS = (SETTINGS as readonly Setting[]).filter((row) =>
  (row.commands ?? ["bench"]).includes("bench")
);

/** Splits a bench command line into one group per flag (its value with it). */
export function argvGroups(argv: readonly string[]): ArgvGroup[] {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  const keyOf = new Map<string, string>();
  for (const row of BENCH_ROWS) {
    const type = row.kind.flag === undefined ? "string" : "boolean";
    row.flags.forEach((name, i) => {
      options[name] = { type, ...(i === 0 && row.short !== undefined ? { short: row.short } : {}) };
      keyOf.set(name, row.key);
    });
    if (row.negatable) {
      options[`no-${row.flags[0]}`] = { type: "boolean" };
      keyOf.set(`no-${row.flags[0]}`, row.key);
    }
  }
  const { tokens } = parseArgs({
    args: [...argv],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const groups: ArgvGroup[] = [];
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      groups.push({ tokens: [token.value] });
      continue;
    }
    const key = keyOf.get(token.name);
    const end = token.value !== undefined && !token.inlineValue ? token.index + 2 : token.index + 1;
    groups.push({ ...(key === undefined ? {} : { key }), tokens: argv.slice(token.index, end) });
  }
  return groups;
}

/** `--header` values: `Name: value`, `Name value`, `Name=value` or a JSON object. */
function redactHeader(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    try {
      return JSON.stringify(redactObject(JSON.parse(trimmed)));
    } catch {
      return REDACTED;
    }
  }
  const match = /^([^:=\s]+)\s*[:=\s]\s*(.*)$/.exec(trimmed);
  if (match === null) return text;
  return isSecretName(match[1]!) ? `${match[1]}: ${REDACTED}` : text;
}

/** The value of one group with its secret, if any, redacted. */
function redactGroupValue(key: string | undefined, value: string): string {
  if (key === "apiKey") return REDACTED;
  if (key === "headers") return redactHeader(value);
  if (key === "extraInputs") return redactHeader(value);
  return redactUrl(value);
}

/** A group with its value redacted; `redacted` tells whether anything was. */
export function redactGroup(group: ArgvGroup): { group: ArgvGroup; redacted: boolean } {
  const [flag, value] = group.tokens;
  if (flag === undefined) return { group, redacted: false };
  let tokens: string[];
  if (value !== undefined) {
    tokens = [flag, redactGroupValue(group.key, value)];
  } else {
    const eq = flag.indexOf("=");
    tokens = eq > 0 && flag.startsWith("-")
      ? [`${flag.slice(0, eq + 1)}${redactGroupValue(group.key, flag.slice(eq + 1))}`]
      : [flag];
  }
  const redacted = tokens.join("\0") !== group.tokens.join("\0");
  return { group: { ...group, tokens }, redacted };
}

/** The header name of a `--header` group (`X-Api-Key` of `--header "X-Api-Key: v"`). */
export function headerName(group: ArgvGroup): string {
  const value = group.tokens[1] ?? group.tokens[0]!.slice(group.tokens[0]!.indexOf("=") + 1);
  return (/^\s*([^:=\s]+)/.exec(value)?.[1] ?? "").toLowerCase();
}
