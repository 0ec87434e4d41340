// The part of the sources folder that reads no network: what a discovery of local manifests (and
// one that finds its snapshot) needs. Other folders import it, or mod.ts (everything, fetching
// over https and JSR too, which discovery imports when a manifest is not a local file).
export * from "./read_local_source.ts";
export * from "./decode_source.ts";
export * from "./resolve_plugin_specifier.ts";
export * from "./source_error.ts";
export * from "./limits.ts";
export * from "./is_loopback.ts";
export { toUrl } from "../_util/to_url.ts";
export type { LoadSourceOptions, Source } from "./load_source.ts";
