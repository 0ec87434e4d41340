import { ConfigError, parseJsonc, type PluginMap, pluginMapOf } from "../config/mod.ts";
import { mapLocator, rememberDocument } from "./_map_positions.ts";
import { ManifestSyntaxError } from "../manifest/core.ts";
import { decodeSource, readLocalSource, SourceError, toUrl } from "../sources/core.ts";
import type { RegistryOptions } from "./types.ts";
import { importLazily } from "../_util/import_lazily.ts";

/**
 * Reads the plugin map of a JSON, JSONC or YAML document: its `"plugins"` object (or
 * `"plugins"."map"`, in documents whose `"plugins"` section holds other settings too) and its
 * `"imports"` (deno.json works as it is: Deno ignores the `"plugins"` key). The document is
 * read like a manifest: a local file, `https:`, loopback `http:` or `jsr:`, with the same size
 * cap, redirect checks, status check and time-out; YAML under the same YAML limits. JSON may
 * carry comments and trailing commas, as deno.json may (`.json` and `.jsonc` alike).
 *
 * @param path A path or URL of the document.
 * @param options Limits (a manifest's by default) and the JSR base URL, as in
 * {@link RegistryOptions}.
 * @returns The plugin map (empty when the document has no `"plugins"`).
 * @throws {ConfigError} The document cannot be read or parsed (with line and column), or its
 * map is invalid.
 *
 * @example Reading a deno.json with comments
 * ```ts
 * import { loadPluginMap } from "@plugmap/plugmap";
 * import { equal } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/deno.json`, `{
 *   // Deno reads comments and trailing commas in deno.json; so does plugmap.
 *   "imports": { "@acme/hooks": "jsr:@acme/hooks@^1" },
 *   "plugins": { "hooks": "@acme/hooks/registry.yaml", },
 * }`);
 * const map = await loadPluginMap(`${dir}/deno.json`);
 * equal(map.plugins[0]?.specifier, "@acme/hooks/registry.yaml");
 * equal(map.imports["@acme/hooks"], "jsr:@acme/hooks@^1");
 * ```
 */
export async function loadPluginMap(
  path: string | URL,
  options: Pick<RegistryOptions, "limits" | "jsrUrl"> = {},
): Promise<PluginMap> {
  let url = toUrl(path);
  let text: string;
  try {
    const limits = options.limits?.source ? { limits: options.limits.source } : {};
    if (url.protocol === "file:") {
      // What loadSource does for a file, without loading what it needs for the network.
      text = decodeSource(readLocalSource(url, limits), url.href);
    } else {
      const { loadSource } = await importLazily<typeof import("../sources/mod.ts")>(
        new URL("../sources/mod.ts", import.meta.url),
      );
      const source = await loadSource(url, {
        ...limits,
        ...(options.jsrUrl !== undefined ? { jsrUrl: options.jsrUrl } : {}),
      });
      text = source.text;
      // Relative specifiers resolve against where the document really is (after redirects).
      url = new URL(source.url);
    }
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    throw new ConfigError({
      source: url.href,
      issues: [{ message: `Cannot read: ${error.reason}` }],
      cause: error,
    });
  }
  let doc: unknown;
  const yaml = /\.ya?ml$/i.test(url.pathname);
  if (yaml) {
    // The YAML parser is loaded for a YAML document only (deno.json needs none).
    const { parseYaml } = await importLazily<typeof import("../manifest/mod.ts")>(
      new URL("../manifest/mod.ts", import.meta.url),
    );
    try {
      doc = parseYaml(text, {
        url,
        ...(options.limits?.yaml ? { limits: options.limits.yaml } : {}),
      });
    } catch (error) {
      if (!(error instanceof ManifestSyntaxError)) throw error;
      throw new ConfigError({
        source: url.href,
        issues: [{
          message: `Cannot parse: ${error.reason}`,
          ...(error.line !== undefined ? { line: error.line, column: error.column ?? 1 } : {}),
        }],
        cause: error,
      });
    }
  } else {
    doc = await parseJsonc(text, url.href);
  }
  const locate = mapLocator(text, doc, yaml);
  let map: PluginMap;
  try {
    map = pluginMapOf(doc, url.href);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Each problem at the line and column of its field.
    const issues = await Promise.all(error.issues.map(async (issue) => ({
      ...issue,
      ...(issue.path !== undefined ? await locate(issue.path) : undefined),
    })));
    throw new ConfigError({ source: error.source, issues, cause: error });
  }
  rememberDocument(map, locate);
  return map;
}
