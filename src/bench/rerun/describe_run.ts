import type { LoadedBenchmarkFile } from "../config/load_benchmark_file.ts";
import { type BenchArgs, flagOf } from "../config/parse_bench_args.ts";
import type { BenchmarkSettings, SelectionSetting } from "../config/resolve_settings.ts";
import type { Setting } from "../config/setting.ts";
import { SETTINGS } from "../config/settings_table.ts";
import type { FileDigest, RunConfig, SettingSource } from "../types.ts";
import { fileDigest, sha256 } from "./_digest.ts";
import { PLUGMAP_VERSION } from "./_version.ts";
import { argvGroups, headerName, REDACTED, redactGroup, redactObject } from "./_redact.ts";

/** What {@linkcode describeRun} reads. */
export interface RunInputs {
  /** The command line after `deno task bench`. */
  readonly argv: readonly string[];
  /** It, parsed. */
  readonly args: BenchArgs;
  /** The benchmark file, when one was given. */
  readonly loaded?: LoadedBenchmarkFile;
  /** The resolved settings. */
  readonly settings: BenchmarkSettings;
}

/**
 * Describes a run so that it can be run again and compared: each setting of the settings table
 * with its value and where it came from (flag, file or default), the selected implementations
 * and their configs, phases, models, SLOs, tokenizer, seed, the files read (benchmark file,
 * dataset file, plugin map, lock) by SHA-256, plugmap's version and the environment. Secrets
 * (the API key, credential headers, URL passwords) are replaced by `<redacted>`.
 *
 * @param inputs The command line, its parse, the benchmark file and the resolved settings.
 * @returns The description, as written to `run_config` in `profile_export.json`.
 *
 * @example
 * ```ts
 * import { describeRun } from "./describe_run.ts";
 * import { parseBenchArgs } from "../config/parse_bench_args.ts";
 * import { resolveSettings } from "../config/resolve_settings.ts";
 *
 * const argv = ["--concurrency", "4", "--api-key", "sk-secret"];
 * const args = parseBenchArgs(argv);
 * const run = await describeRun({ argv, args, settings: resolveSettings(args) });
 * if (JSON.stringify(run).includes("sk-secret")) throw new Error("leaked");
 * if (run.settings.concurrency?.source !== "flag") throw new Error("wrong");
 * ```
 */
export async function describeRun(inputs: RunInputs): Promise<RunConfig> {
  const { argv, args, loaded, settings } = inputs;
  const redacted: string[] = [];
  const commandLine = argvGroups(argv).flatMap((g) => {
    const { group, redacted: hidden } = redactGroup(g);
    if (hidden) redacted.push(g.key === "headers" ? `--header ${headerName(g)}` : g.tokens[0]!);
    return group.tokens;
  });
  const endpointConfig = settings.endpoint.config;
  if (loaded !== undefined && JSON.stringify(redactObject(endpointConfig)).includes(REDACTED)) {
    redacted.push(`${loaded.name}: endpoint.config`);
  }
  const model = endpointConfig.model;
  return {
    plugmap_version: PLUGMAP_VERSION,
    command_line: commandLine,
    cwd: Deno.cwd(),
    settings: settingSources(args, loaded),
    selected: {
      endpoint: selected(settings.endpoint),
      timing_strategy: selected(settings.timing),
      dataset: selected(settings.dataset),
      dataset_sampler: selected(settings.sampler),
      ...Object.fromEntries(settings.hooks.map((h, i) => [`phase_hooks[${i}]`, selected(h)])),
    },
    phases: redactObject({
      ...(settings.warmup === undefined ? {} : { warmup: settings.warmup }),
      profiling: settings.profiling,
      ...(settings.sweep === undefined ? {} : { sweep: settings.sweep }),
    }) as Record<string, unknown>,
    models: Array.isArray(model) ? model.map(String) : model === undefined ? [] : [String(model)],
    slos: (settings.goodput ?? []).map(({ metric, limit }) => ({ metric, limit })),
    ...(settings.tokenizer === undefined ? {} : { tokenizer: settings.tokenizer }),
    ...(args.randomSeed === undefined ? {} : { seed: args.randomSeed }),
    files: await files(settings, loaded),
    ...(settings.pluginMap === undefined ? {} : { plugin_map: settings.pluginMap }),
    environment: {
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      os: Deno.build.os,
      arch: Deno.build.arch,
    },
    redacted,
  };
}

function selected(s: SelectionSetting): { name: string; config: Record<string, unknown> } {
  return { name: s.name, config: redactObject(s.config) as Record<string, unknown> };
}

function settingSources(args: BenchArgs, loaded?: LoadedBenchmarkFile): RunConfig["settings"] {
  const out: Record<string, { value: unknown; source: SettingSource; flag?: string }> = {};
  const given = args as Readonly<Record<string, unknown>>;
  for (const row of SETTINGS as readonly Setting[]) {
    if (!(row.commands ?? ["bench"]).includes("bench") || row.key === "help") continue;
    const hidden = (value: unknown) => row.key === "apiKey" ? REDACTED : redactObject(value);
    if (given[row.key] !== undefined) {
      out[row.key] = {
        value: hidden(given[row.key]),
        source: "flag",
        flag: flagOf(args, row.key as never),
      };
      continue;
    }
    const inFile = row.file === undefined || loaded === undefined
      ? undefined
      : row.file.split(".").reduce<unknown>(
        (at, part) => (at as Record<string, unknown> | undefined)?.[part],
        loaded.file,
      );
    if (inFile !== undefined) out[row.key] = { value: hidden(inFile), source: "file" };
    else if (row.default !== undefined) out[row.key] = { value: row.default, source: "default" };
  }
  return out;
}

async function files(
  settings: BenchmarkSettings,
  loaded?: LoadedBenchmarkFile,
): Promise<Record<string, FileDigest>> {
  const out: Record<string, FileDigest> = {};
  if (loaded !== undefined) {
    out.benchmark_file = await fileDigest(loaded.url);
    const lock = new URL("plugins.lock.json", loaded.url);
    const digest = await fileDigest(lock);
    if (digest.sha256 !== undefined) out.lock = digest;
  }
  const path = settings.dataset.config.path;
  if (typeof path === "string") out.input_file = await fileDigest(path, settings.baseUrl);
  if (settings.pluginMap !== undefined) {
    const canonical = JSON.stringify(Object.entries(settings.pluginMap).sort());
    out.plugin_map = { path: "plugins.map", sha256: await sha256(canonical) };
  }
  return out;
}
