import { isPluginName as pluginName } from "../_util/names.ts";
import { isVersion as version } from "../_util/semver.ts";

/**
 * Whether `name` may name a plugin: in a plugin map, or as a manifest's `plugin.name`.
 *
 * @param name The name.
 * @returns `true` for `slo`, `@acme/hooks`; `false` for `-x`, `__proto__`.
 *
 * @example
 * ```ts
 * import { isPluginName } from "@plugmap/plugmap/manifest";
 * import { equal } from "node:assert/strict";
 *
 * equal(isPluginName("@acme/hooks"), true);
 * equal(isPluginName("two words"), false);
 * ```
 */
export function isPluginName(name: string): boolean {
  return pluginName(name);
}

/**
 * Whether `text` is a semver version, as a manifest's `plugin.version` must be.
 *
 * @param text The version.
 * @returns `true` for `1.2.0`, `1.0.0-rc.1`; `false` for `1.2`.
 *
 * @example
 * ```ts
 * import { isVersion } from "@plugmap/plugmap/manifest";
 * import { equal } from "node:assert/strict";
 *
 * equal(isVersion("1.2.0"), true);
 * equal(isVersion("1.2"), false);
 * ```
 */
export function isVersion(text: string): boolean {
  return version(text);
}
