/**
 * Sources: fetching manifest text from `file:`, `https:`, loopback `http:` and `jsr:` URLs,
 * within limits.
 *
 * @module
 */
export * from "./load_source.ts";
export * from "./resolve_jsr.ts";
export * from "./source_error.ts";
export * from "./limits.ts";
export * from "./is_loopback.ts";
