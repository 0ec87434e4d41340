// The part of the trust folder that fetches nothing: reading a lock and checking a plugin against
// it, and the cache directory, for a discovery. Other folders import it, or mod.ts (everything:
// creating a lock and checking a module's bytes fetch them).
export type { Lock, LockedPlugin } from "./types.ts";
export * from "./lock_file.ts";
export * from "./open_lock.ts";
export * from "./default_cache_dir.ts";
