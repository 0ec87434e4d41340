import { existsSync } from "node:fs";
import { resolveLocation } from "../_file_url.ts";
import { detectDatasetFileType } from "./detect_dataset_type.ts";
import { BenchConfigError } from "./bench_config_error.ts";
import type { BenchmarkFile } from "./benchmark_file.ts";
import { type BenchArgs, flagOf, type TableArgs } from "./parse_bench_args.ts";
import type { Setting } from "./setting.ts";
import { SETTINGS } from "./settings_table.ts";
import type { FlagConfig, SelectionSetting } from "./types.ts";
import { DEFAULTS } from "./_defaults.ts";
import { selection } from "./_selection.ts";
import { publicDataset } from "./_public_dataset.ts";

/** The dataset, its sampler and the client tokenizer of a run. */
export interface DatasetChoice {
  readonly dataset: SelectionSetting;
  readonly sampler: SelectionSetting;
  /** The tokenizer to load (`--tokenizer`, with `@REV` for a revision other than main). */
  readonly tokenizer?: string;
}

/**
 * Chooses the dataset (`--input-file` as `--custom-dataset-type`, else the file's, else
 * `synthetic`), the config keys its flags set, its sampler (`random` for `random_pool`) and the
 * tokenizer.
 *
 * @param args The parsed flags.
 * @param file The benchmark file (`{}` without one).
 * @returns The choice.
 * @throws {BenchConfigError} For `--custom-dataset-type` without `--input-file`. A
 * `--tokenizer-revision` with anything but a Hugging Face `--tokenizer ORG/NAME` is ignored, as
 * AIPerf ignores it.
 *
 * @example
 * ```ts
 * import { resolveDataset } from "./resolve_dataset.ts";
 *
 * const { dataset, sampler } = resolveDataset({ inputFile: "t.jsonl", randomSeed: 3 }, {});
 * if (dataset.name !== "mooncake_trace" || sampler.name !== "sequential") throw new Error();
 * ```
 */
export function resolveDataset(args: BenchArgs, file: BenchmarkFile): DatasetChoice {
  const tokenizer = tokenizerSpec(args);
  let dataset = selection(file.dataset, DEFAULTS.dataset, "dataset");
  if (args.inputFile !== undefined) {
    // Flags are relative to the working directory, whatever the benchmark file's place.
    dataset = {
      name: inputFileType(args) ?? "mooncake_trace",
      config: { path: resolveLocation(args.inputFile).href },
      field: "dataset",
    };
  } else if (args.publicDataset !== undefined) {
    const found = publicDataset(args.publicDataset, flagOf(args, "publicDataset"));
    dataset = {
      name: found.type,
      config: { path: resolveLocation(found.path).href },
      field: "dataset",
    };
  } else if (args.customDatasetType !== undefined) {
    throw new BenchConfigError("needs --input-file", { flag: flagOf(args, "customDatasetType") });
  }
  // Applied to the dataset whose config_schema declares the key (createComponents checks).
  dataset = { ...dataset, flags: datasetFlags(args, tokenizer) };
  let sampler = selection(
    file.dataset_sampler,
    dataset.name === "random_pool" ? "random" : DEFAULTS.sampler,
    "dataset_sampler",
  );
  if (args.randomSeed !== undefined && (sampler.name === "random" || sampler.name === "shuffle")) {
    sampler = { ...sampler, config: { ...sampler.config, seed: args.randomSeed } };
  }
  return { dataset, sampler, ...(tokenizer === undefined ? {} : { tokenizer }) };
}

/**
 * The dataset type of `--input-file`: `--custom-dataset-type`, else the type its first entry
 * shows, else `mooncake_trace` (AIPerf's default); undefined without `--input-file`.
 *
 * @param args The parsed flags.
 * @returns The type.
 *
 * @example
 * ```ts
 * import { inputFileType } from "./resolve_dataset.ts";
 *
 * if (inputFileType({ inputFile: "missing.jsonl" }) !== "mooncake_trace") throw new Error();
 * ```
 */
export function inputFileType(args: BenchArgs): string | undefined {
  if (args.inputFile === undefined) return undefined;
  return args.customDatasetType ?? detectDatasetFileType(resolveLocation(args.inputFile)) ??
    "mooncake_trace";
}

// A revision travels with the tokenizer's name (ORG/NAME@REV), which loadTokenizer reads.
function tokenizerSpec(args: BenchArgs): string | undefined {
  // A revision names a version of a Hugging Face ORG/NAME; with a path or a built-in encoding
  // AIPerf accepts it and it has nothing to select, so it is ignored.
  const hub = /^[\w.-]+\/[\w.-]+$/.test(args.tokenizer ?? "") &&
    !existsSync(args.tokenizer ?? "");
  const revised = !hub || args.tokenizerRevision === undefined || args.tokenizerRevision === "main"
    ? args.tokenizer
    : `${args.tokenizer}@${args.tokenizerRevision}`;
  // AIPerf's default policy (--no-use-server-token-count) counts with a tokenizer: the given
  // one, else the one that sizes the prompts.
  return revised ?? (args.useServerTokenCount === false ? "cl100k_base" : undefined);
}

/** The dataset config keys the flags set, from the settings table's `plugin` rows. */
function datasetFlags(args: BenchArgs, tokenizer: string | undefined): FlagConfig[] {
  const flags: FlagConfig[] = [];
  for (const row of SETTINGS as readonly Setting[]) {
    const value = (args as Record<string, unknown>)[row.key];
    if (row.plugin?.category !== "dataset" || value === undefined) continue;
    if (row.plugin.omit?.(value)) continue;
    flags.push({ key: row.plugin.key, value, flag: flagOf(args, row.key as keyof TableArgs) });
  }
  // --tokenizer also counts tokens the server does not report: it applies to every run, and
  // sizes the prompts of the datasets that generate them; the seed seeds those that take one.
  if (tokenizer !== undefined) {
    flags.push({
      key: "tokenizer",
      value: tokenizer,
      flag: flagOf(args, "tokenizer"),
      quiet: true,
    });
  }
  if (args.randomSeed !== undefined) {
    flags.push({ key: "seed", value: args.randomSeed, flag: "--random-seed", quiet: true });
  }
  return flags;
}
