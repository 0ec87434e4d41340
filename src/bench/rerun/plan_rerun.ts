import { isAbsolute, join } from "node:path";
import { BenchConfigError } from "../config/bench_config_error.ts";
import type { RunConfig } from "../types.ts";
import { argvGroups, headerName, REDACTED, redactGroup } from "./_redact.ts";

/** A rerun, ready to run: the command line to run and the run it repeats. */
export interface RerunPlan {
  /** The command line: the original's, with the flags given beside `--rerun` over it. */
  readonly argv: readonly string[];
  /** `argv` with its secrets redacted, to show. */
  readonly shown: readonly string[];
  /** The original run's description. */
  readonly original: RunConfig;
  /** Where the original's description was read. */
  readonly from: string;
  /** Sentences for the user: what was dropped (secrets) and where the rerun writes. */
  readonly notes: readonly string[];
}

// Paths in the original command line are relative to its working directory.
const PATH_KEYS = ["config", "inputFile"];

/**
 * Plans `deno task bench --rerun DIR`: reads the run description (`run_config`) that DIR's
 * `profile_export.json` holds (for a sweep's, a search's or repeated runs' folder, its first
 * run's), and builds the command line to run: the original's, minus the flags given now (which
 * win), minus redacted secrets (the API key comes again from `--api-key` or `OPENAI_API_KEY`,
 * credential headers from `--header`), with relative paths made absolute against the original
 * working directory and, unless `--output` is given, a new output folder beside DIR
 * (`DIR-rerun`, `DIR-rerun-2`, ...).
 *
 * @param dir The original run's output folder.
 * @param argv The command line given now (with `--rerun DIR` in it).
 * @returns The plan.
 * @throws {BenchConfigError} When DIR has no readable `profile_export.json` with a `run_config`.
 *
 * @example
 * ```ts
 * import { planRerun } from "./plan_rerun.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/profile_export.json`, JSON.stringify({ run_config: {
 *   command_line: ["--concurrency", "4", "--api-key", "<redacted>", "--output", dir],
 *   cwd: "/", redacted: ["--api-key"] } }));
 * const plan = await planRerun(dir, ["--rerun", dir, "--request-count", "5"]);
 * await Deno.remove(dir, { recursive: true });
 * if (plan.argv.join(" ") !== `--concurrency 4 --output ${dir}-rerun --request-count 5`) {
 *   throw new Error(plan.argv.join(" "));
 * }
 * ```
 */
export async function planRerun(dir: string, argv: readonly string[]): Promise<RerunPlan> {
  const { config: original, path: from } = await readRunConfig(dir);
  const now = argvGroups(argv).filter((g) => g.key !== "rerun");
  // Headers merge by name (the redacted ones are given again one by one); other flags given
  // now replace the original's.
  const given = new Set(now.map((g) => g.key).filter((k) => k !== undefined && k !== "headers"));
  const headersNow = new Set(now.filter((g) => g.key === "headers").map(headerName));
  const notes: string[] = [];
  const kept: string[][] = [];
  for (const group of argvGroups(original.command_line)) {
    if (group.key === "rerun" || (group.key !== undefined && given.has(group.key))) continue;
    if (group.key === "headers" && headersNow.has(headerName(group))) continue;
    if (group.tokens.some((t) => t.includes(REDACTED))) {
      if (group.key === "apiKey") {
        notes.push(
          "the original's --api-key was not written: pass --api-key again, or set OPENAI_API_KEY",
        );
      } else {
        notes.push(
          `the original's ${group.tokens.join(" ")} was not written: pass it again to send it`,
        );
      }
      continue;
    }
    kept.push(absolute(group, original.cwd));
  }
  if (!given.has("output") && kept.some((g) => argvGroups(g)[0]?.key === "output")) {
    const index = kept.findIndex((g) => argvGroups(g)[0]?.key === "output");
    const output = await freeFolder(dir.replace(/\/+$/, "") + "-rerun");
    kept[index] = ["--output", output];
    notes.push(`writing to ${output} (--output to choose)`);
  }
  const all = [...kept, ...now.map((g) => [...g.tokens])];
  return {
    argv: all.flat(),
    shown: all.flatMap((tokens) => redactGroup(argvGroups(tokens)[0]!).group.tokens),
    original,
    from,
    notes,
  };
}

function absolute(group: { key?: string; tokens: readonly string[] }, cwd: string): string[] {
  const tokens = [...group.tokens];
  if (!PATH_KEYS.includes(group.key ?? "") || tokens.length !== 2) return tokens;
  const value = tokens[1]!;
  if (!isAbsolute(value) && !/^[a-z][a-z0-9+.-]*:/i.test(value)) tokens[1] = join(cwd, value);
  return tokens;
}

async function freeFolder(base: string): Promise<string> {
  for (let n = 1;; n++) {
    const path = n === 1 ? base : `${base}-${n}`;
    try {
      await Deno.stat(path);
    } catch {
      return path;
    }
  }
}

// A folder of several runs: the first run holds the description of them all (a sweep's first
// value, a search's first probe, repeated runs' run_0001).
async function firstRunOf(dir: string): Promise<string | undefined> {
  const exists = (path: string) => Deno.stat(path).then(() => true, () => false);
  const repeated = join(dir, "profile_runs", "run_0001", "profile_export.json");
  if (await exists(repeated)) return repeated;
  for (const [file, key] of [["sweep.json", "points"], ["search.json", "probes"]] as const) {
    try {
      const data = JSON.parse(await Deno.readTextFile(join(dir, file)));
      const first = data?.[key]?.find((p: { dir?: unknown }) => typeof p.dir === "string");
      if (first !== undefined) return join(dir, first.dir, "profile_export.json");
    } catch {
      // Not this kind of folder.
    }
  }
  return undefined;
}

async function readRunConfig(dir: string): Promise<{ config: RunConfig; path: string }> {
  let path = join(dir, "profile_export.json");
  const fail = (detail: string) => new BenchConfigError(detail, { flag: "--rerun" });
  try {
    await Deno.stat(path);
  } catch {
    path = await firstRunOf(dir) ?? path;
  }
  let json: { run_config?: RunConfig };
  try {
    json = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "no such file (give a folder a run wrote with --output)"
      : (error as Error).message;
    throw fail(`cannot read "${path}": ${reason}`);
  }
  const config = json.run_config;
  if (typeof config !== "object" || config === null || !Array.isArray(config.command_line)) {
    throw fail(
      `"${path}" has no run_config (written by a plugmap older than this feature): ` +
        "nothing to rerun from",
    );
  }
  return { config, path };
}
