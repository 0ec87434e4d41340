import { ManifestSyntaxError, ManifestValidationError, type YamlLimits } from "../manifest/core.ts";
import { parseManifest } from "../manifest/parse.ts";
import { withSemver } from "../_util/semver.ts";
import type { PluginRecord } from "./_plugin_record.ts";
import type { IndexSnapshot, Parsed } from "./_index_snapshot.ts";

function parse(text: string, url: string, limits: Partial<YamlLimits> | undefined): Parsed {
  try {
    return { manifest: parseManifest(text, { url, ...(limits ? { limits } : {}) }) };
  } catch (error) {
    if (error instanceof ManifestValidationError) {
      return { problems: error.issues.map((issue) => ({ code: "schema_invalid", ...issue })) };
    }
    if (error instanceof ManifestSyntaxError) {
      return {
        problems: [{
          code: error.code,
          ...(error.line !== undefined ? { line: error.line, column: error.column ?? 1 } : {}),
          message: error.reason,
        }],
      };
    }
    throw error;
  }
}

/**
 * Stage 2, parse and validate: each manifest text becomes a validated {@link Manifest}
 * (`parseManifest` holds the rules); YAML and schema problems become diagnostics with their
 * line, column and field path. With an index snapshot, a manifest whose text it holds (the same
 * text, compared whole) is taken from it instead: the same result, without YAML parsing and
 * validation.
 */
export async function parseManifests(
  plugins: readonly PluginRecord[],
  limits: Partial<YamlLimits> | undefined,
  snapshot?: IndexSnapshot,
): Promise<void> {
  for (const plugin of plugins) {
    const source = plugin.source;
    if (source === undefined) continue;
    let parsed = snapshot?.get(source.url, source.text);
    if (parsed === undefined) {
      // Plain versions and ranges are checked without semver; the first other one loads it.
      parsed = await withSemver(() => parse(source.text, source.url, limits));
      snapshot?.set(source.url, source.text, parsed);
    }
    if ("manifest" in parsed) {
      plugin.manifest = parsed.manifest;
      plugin.status = parsed.manifest.plugin.enabled ? "ok" : "disabled";
    } else {
      const base = { severity: "error" as const, plugin: plugin.name, url: plugin.url };
      for (const problem of parsed.problems) plugin.diagnostics.push({ ...base, ...problem });
    }
  }
}
