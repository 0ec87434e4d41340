/** plugmap's version, as published (a test keeps it equal to deno.json's). */
export const PLUGMAP_VERSION = "0.2.0";

/**
 * The SHA-256 of the library's own sources (every file under src/ but cli/, bench/ and this one),
 * recomputed by tests/registry/snapshot_sources_test.ts, which fails until it is updated. Part of
 * every snapshot key with the version: a checkout used by path between two commits of one version
 * never reads a snapshot that other code wrote.
 */
export const LIBRARY_SOURCES = "b94312443ccad33c4789af3cbb16e045b8da488427df824f2cb551074d9d3c9c";

/** What a snapshot's header and key carry for "this plugmap": version and sources. */
export const SNAPSHOT_VERSION = `${PLUGMAP_VERSION}+${LIBRARY_SOURCES.slice(0, 16)}`;
