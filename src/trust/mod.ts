/**
 * Trust: lock files that pin every plugin's manifest URL, manifest hash and network module
 * hashes.
 *
 * @module
 */
export * from "./types.ts";
export * from "./create_lock.ts";
export * from "./lock_file.ts";
