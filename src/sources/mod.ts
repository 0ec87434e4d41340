/**
 * Sources: where a manifest is and how its text is fetched: plugin map specifiers resolved to
 * URLs, `file:`, `https:`, loopback `http:` and `jsr:` read within limits, and module bytes
 * fetched for hashing. For tools; a host needs only the root export.
 *
 * @example Reading a local manifest
 * ```ts
 * import { loadSource, toUrl } from "@plugmap/plugmap/sources";
 * import { equal } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/registry.yaml`, "endpoint:\n  chat: ./chat.ts\n");
 * const source = await loadSource(toUrl(`${dir}/registry.yaml`));
 * equal(source.text, "endpoint:\n  chat: ./chat.ts\n");
 * ```
 *
 * @module
 */
export * from "./load_source.ts";
export * from "./read_local_source.ts";
export * from "./decode_source.ts";
export * from "./resolve_jsr.ts";
export * from "./resolve_plugin_specifier.ts";
export * from "./fetch_bytes.ts";
export * from "./source_error.ts";
export * from "./limits.ts";
export * from "./is_loopback.ts";
export { toUrl } from "../_util/to_url.ts";
export type { PluginMap, PluginMapEntry } from "../config/mod.ts";
