import type { RunConfig } from "../types.ts";

// Settings a rerun changes on purpose (its own output folder, the --rerun flag itself).
const EXPECTED = new Set(["output", "rerun"]);

/**
 * What differs between a run and its rerun: plugmap's version, the environment (Deno, OS,
 * architecture), the files read (by SHA-256: benchmark file, dataset file, plugin map, lock),
 * the selected implementations' configs and the settings (the output folder aside).
 *
 * @param original The original run's description.
 * @param now The rerun's description.
 * @returns One sentence per difference; empty when nothing differs.
 *
 * @example
 * ```ts
 * import { rerunDifferences } from "./rerun_differences.ts";
 *
 * const base = { plugmap_version: "0.2.0", command_line: [], cwd: "/", settings: {},
 *   selected: {}, phases: {}, models: [], slos: [], files: {}, redacted: [],
 *   environment: { deno: "2.9.6", os: "linux", arch: "x86_64" } };
 * const diff = rerunDifferences(base, { ...base, environment: { ...base.environment, deno: "2.9.7" } });
 * if (diff[0] !== "environment deno: 2.9.6 -> 2.9.7") throw new Error(diff.join("; "));
 * ```
 */
export function rerunDifferences(original: RunConfig, now: RunConfig): string[] {
  const out: string[] = [];
  const text = (v: unknown) => v === undefined ? "(none)" : JSON.stringify(v);
  if (original.plugmap_version !== now.plugmap_version) {
    out.push(`plugmap ${original.plugmap_version} -> ${now.plugmap_version}`);
  }
  for (const key of union(original.environment, now.environment)) {
    const [a, b] = [original.environment?.[key], now.environment?.[key]];
    if (a !== b) out.push(`environment ${key}: ${a ?? "(none)"} -> ${b ?? "(none)"}`);
  }
  for (const key of union(original.files, now.files)) {
    const [a, b] = [original.files?.[key], now.files?.[key]];
    if (a === undefined || b === undefined) {
      out.push(`${key}: ${a === undefined ? "new" : "no longer read"} (${(a ?? b)!.path})`);
    } else if (a.sha256 !== b.sha256) {
      out.push(
        `${key} ${b.path} changed since the original (sha256 ${short(a.sha256)} -> ${
          short(b.sha256)
        })`,
      );
    }
  }
  for (const key of union(original.selected, now.selected)) {
    const [a, b] = [original.selected?.[key], now.selected?.[key]];
    if (canonical(a) !== canonical(b)) out.push(`${key}: ${text(a)} -> ${text(b)}`);
  }
  for (const key of union(original.settings, now.settings)) {
    if (EXPECTED.has(key)) continue;
    const [a, b] = [original.settings?.[key]?.value, now.settings?.[key]?.value];
    if (canonical(a) !== canonical(b)) out.push(`setting ${key}: ${text(a)} -> ${text(b)}`);
  }
  return out;
}

// JSON with object keys sorted: the order headers were given in is no difference.
function canonical(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) =>
      typeof v === "object" && v !== null && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0))
        : v,
  );
}

function union(a: object | undefined, b: object | undefined): string[] {
  return [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].sort();
}

function short(hash: string | undefined): string {
  return hash === undefined ? "unreadable" : hash.slice(0, 12);
}
