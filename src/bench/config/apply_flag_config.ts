import { BenchConfigError } from "./bench_config_error.ts";
import type { SelectionSetting } from "./resolve_settings.ts";

/**
 * A selection's config with the keys its flags set (`--isl` sets `input_tokens_mean`), for the
 * implementation chosen: a flag applies when the implementation's `config_schema` declares its
 * key, so a plugin that replaces a built-in gets the same flags by declaring the same keys.
 *
 * @param category The category (`dataset`), for the message.
 * @param selection The selection, with the flags' keys.
 * @param declared The keys the chosen implementation's `config_schema` declares.
 * @returns The config to create the implementation with.
 * @throws {BenchConfigError} Naming the flag, when a flag sets a key the implementation does not
 * declare (unless that flag is quiet).
 *
 * @example
 * ```ts
 * import { applyFlagConfig } from "./apply_flag_config.ts";
 *
 * const config = applyFlagConfig("dataset", {
 *   name: "synthetic",
 *   config: { count: 5 },
 *   field: "dataset",
 *   flags: [{ key: "input_tokens_mean", value: 64, flag: "--isl" }],
 * }, ["count", "input_tokens_mean"]);
 * if (config.input_tokens_mean !== 64 || config.count !== 5) throw new Error("wrong");
 * ```
 */
export function applyFlagConfig(
  category: string,
  selection: SelectionSetting,
  declared: readonly string[],
): Record<string, unknown> {
  const config: Record<string, unknown> = { ...selection.config };
  for (const { key, value, flag, quiet } of selection.flags ?? []) {
    if (declared.includes(key)) config[key] = value;
    else if (!quiet) {
      throw new BenchConfigError(
        `does not apply to the ${category} "${selection.name}" (its config_schema has no ` +
          `"${key}")`,
        { flag },
      );
    }
  }
  return config;
}
