import type { RunConfig } from "../types.ts";
import { escapeHtml, table } from "./_html.ts";

function isRunConfig(value: unknown): value is RunConfig {
  return typeof value === "object" && value !== null &&
    Array.isArray((value as RunConfig).command_line);
}

function shell(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The "How to run it again" section of a run's report: the command line (secrets redacted),
 * `--rerun`, the settings given by flag or file with their source, the models, SLOs, seed and
 * tokenizer, the files read with their SHA-256, plugmap's version and the environment.
 *
 * @param value The run's `run_config` (anything else gives a sentence saying it is missing).
 * @returns HTML.
 *
 * @example
 * ```ts
 * import { runConfigHtml } from "./run_config_html.ts";
 *
 * const html = runConfigHtml({ plugmap_version: "0.2.0", command_line: ["--concurrency", "4"],
 *   cwd: "/", settings: { concurrency: { value: 4, source: "flag", flag: "--concurrency" } },
 *   selected: {}, phases: {}, models: [], slos: [], files: {}, environment: {}, redacted: [] });
 * if (!html.includes("deno task bench --concurrency 4")) throw new Error(html);
 * ```
 */
export function runConfigHtml(value: unknown): string {
  if (!isRunConfig(value)) {
    return "<p>This run has no description (written by an older plugmap): it cannot be rerun.</p>";
  }
  const c = value;
  const given = Object.entries(c.settings).filter(([, s]) => s.source !== "default");
  const defaults = Object.keys(c.settings).length - given.length;
  const facts: [string, string][] = [
    ["plugmap", c.plugmap_version],
    ["environment", Object.entries(c.environment).map(([k, v]) => `${k} ${v}`).join(", ")],
    ["models", c.models.join(", ") || "(the endpoint's default)"],
    ["SLOs (--goodput)", c.slos.map((s) => `${s.metric}:${s.limit}`).join(" ") || "(none)"],
    ["seed", c.seed === undefined ? "(none: each part's own default)" : String(c.seed)],
    ["tokenizer", c.tokenizer ?? "(none)"],
    ...Object.entries(c.selected).map(([k, s]): [string, string] => [
      k,
      `${s.name} ${JSON.stringify(s.config)}`,
    ]),
    ...Object.entries(c.files).map(([k, f]): [string, string] => [
      k,
      `${f.path}${f.sha256 === undefined ? "" : ` (sha256 ${f.sha256.slice(0, 16)}…)`}`,
    ]),
    ...(c.redacted.length === 0 ? [] : [["not written (secrets)", c.redacted.join(", ")] as [
      string,
      string,
    ]]),
  ];
  return [
    `<pre class="command">deno task bench ${escapeHtml(c.command_line.map(shell).join(" "))}</pre>`,
    `<p>Run it again (same settings, prompts and schedule) with <code>deno task bench --rerun ` +
    `DIR</code>, DIR being this run's folder; secrets are asked for again.</p>`,
    `<dl class="settings">${
      facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")
    }</dl>`,
    `<h3>Settings given (${given.length}; ${defaults} more at their defaults)</h3>`,
    table(
      ["setting", "value", "from"],
      given.map(([key, s]) => [
        key,
        JSON.stringify(s.value),
        s.source === "flag" ? `flag ${s.flag ?? ""}` : "benchmark file",
      ]),
      3,
    ),
  ].join("\n");
}
