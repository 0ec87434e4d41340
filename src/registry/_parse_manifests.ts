import {
  ManifestSyntaxError,
  ManifestValidationError,
  parseManifest,
  type YamlLimits,
} from "../manifest/mod.ts";
import type { PluginRecord } from "./_plugin_record.ts";

/**
 * Stage 2, parse and validate: each manifest text becomes a validated {@link Manifest}
 * (`parseManifest` holds the rules); YAML and schema problems become diagnostics with their
 * line, column and field path.
 */
export function parseManifests(
  plugins: readonly PluginRecord[],
  limits: Partial<YamlLimits> | undefined,
): void {
  for (const plugin of plugins) {
    if (plugin.source === undefined) continue;
    const base = { severity: "error" as const, plugin: plugin.name, url: plugin.url };
    try {
      plugin.manifest = parseManifest(plugin.source.text, {
        url: plugin.source.url,
        ...(limits ? { limits } : {}),
      });
      plugin.status = plugin.manifest.plugin.enabled ? "ok" : "disabled";
    } catch (error) {
      if (error instanceof ManifestValidationError) {
        for (const issue of error.issues) {
          plugin.diagnostics.push({ ...base, code: "schema_invalid", ...issue });
        }
      } else if (error instanceof ManifestSyntaxError) {
        plugin.diagnostics.push({
          ...base,
          code: error.code,
          ...(error.line !== undefined ? { line: error.line, column: error.column ?? 1 } : {}),
          message: error.reason,
        });
      } else throw error;
    }
  }
}
