// The lock file's valibot schemas: imported by `readLock` only when a lock file is there, so a
// discovery without one loads no schema library.
import * as v from "../_deps/valibot.ts";
import { isIntegrity } from "../_util/integrity.ts";
import type { Lock, LockedPlugin } from "./types.ts";

const Integrity = v.pipe(
  v.string(),
  v.check(isIntegrity, 'Expected "sha256-<64 hex digits>"'),
);

/** One plugin as pinned by a lock file: the schema `readLock` validates with. */
export const LockedPluginSchema: v.GenericSchema<unknown, LockedPlugin> = v.strictObject({
  /** The manifest specifier as written in the plugin map. */
  specifier: v.string(),
  /** The manifest URL it resolved to (after redirects; `jsr:` ranges resolved). */
  url: v.string(),
  /** The exact version a `jsr:` range resolved to. */
  jsrVersion: v.optional(v.string()),
  /** `sha256-<hex>` of the manifest text's bytes. */
  manifest: Integrity,
  /** Network module URL to `sha256-<hex>`, for every `class` that points at the network. */
  modules: v.record(v.string(), Integrity),
});

/** A lock file (format version 1): the schema `readLock` validates with. */
export const LockSchema: v.GenericSchema<unknown, Lock> = v.strictObject({
  version: v.literal(1),
  plugins: v.record(v.string(), LockedPluginSchema),
});
